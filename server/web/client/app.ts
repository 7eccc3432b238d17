/**
 * The chat inside the widget's iframe (/widget/frame.html). It runs in its own document on our
 * origin: the host page's CSS and scripts cannot reach it, it talks only to our server
 * (same origin, CSP connect-src 'self'), and keeps the conversation in this tab's sessionStorage.
 * Every UI string comes from /widget/i18n/<lang>.json (server/i18n/locales/<lang>/widget.json).
 */
import { parseMarkdown, plainText, safeHref } from './markdown.js';
import { append, h, icon, link, renderBlocks, type LinkLabels } from './dom.js';
import { palette } from './color.js';
import { telHref } from './phone.js';

type Strings = { [key: string]: string | Strings };

interface Citation {
  id: string;
  kind: string;
  title: string;
  url?: string | null;
  updated?: string | null;
}
interface QuickReply {
  label: string;
  payload: string;
}
interface Answer {
  conversationId?: string;
  answerId: string;
  lang: string;
  kind: string;
  text: string;
  summary?: string;
  citations: Citation[];
  quickReplies: QuickReply[];
  notices?: string[];
}
interface Language {
  code: string;
  name: string;
  status: 'full' | 'partial';
}
interface Profile {
  code: string;
  name: string;
  hotline?: string;
  nationalHotline?: string;
  oneStop?: { name?: string; address?: string; hours?: string };
  languages: Language[];
  defaultLanguage: string;
}
type Turn = { role: 'user'; text: string; hidden?: boolean } | { role: 'bot'; answer: Answer };
interface State {
  v: 1;
  lang: string;
  /** The citizen picked the language: send it with every question instead of letting the server guess. */
  langChosen: boolean;
  open: boolean;
  conversationId?: string;
  turns: Turn[];
  feedback: Record<string, 'up' | 'down'>;
}

const MAX_TURNS = 60;
const MAX_MESSAGE = 1000;
const params = new URLSearchParams(location.search);
const param = (name: string, re: RegExp) => {
  const v = params.get(name) ?? '';
  return re.test(v) ? v : '';
};
const province = param('province', /^[a-z0-9-]{2,40}$/);
const requestedLang = param('lang', /^[a-z]{2,3}$/);
const position = params.get('position') === 'left' ? 'left' : 'right';
const colors = palette(params.get('color'));
const standalone = window.parent === window;
const parentOrigin = (() => {
  try {
    const o = new URL(params.get('parent') ?? '').origin;
    return o && o !== 'null' ? o : '*';
  } catch {
    return '*';
  }
})();
const STORAGE_KEY = `dvc-widget:v1:${province || '-'}`;

// ---------------------------------------------------------------------------------------------
// Storage: this tab only. If storage is blocked (some privacy settings), keep it in memory.

const memory = new Map<string, string>();
function storageGet(key: string): string | null {
  try {
    return window.sessionStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}
function storageSet(key: string, value: string): void {
  try {
    window.sessionStorage.setItem(key, value);
  } catch {
    memory.set(key, value);
  }
}

function loadState(): State | null {
  try {
    const raw = JSON.parse(storageGet(STORAGE_KEY) ?? 'null');
    if (raw && raw.v === 1 && Array.isArray(raw.turns) && typeof raw.lang === 'string') {
      return { ...raw, feedback: raw.feedback && typeof raw.feedback === 'object' ? raw.feedback : {} } as State;
    }
  } catch {
    /* unreadable: start again */
  }
  return null;
}

let state: State;
let pending: Turn | null = null;

function save(): void {
  if (state.turns.length > MAX_TURNS) state.turns.splice(0, state.turns.length - MAX_TURNS);
  // A question waiting for its answer is not written yet: if the answer is a safety warning, the
  // question (which may hold an OTP or a password) is never written at all.
  storageSet(STORAGE_KEY, JSON.stringify({ ...state, turns: state.turns.filter((turn) => turn !== pending) }));
}

// ---------------------------------------------------------------------------------------------
// Strings

let S: Strings = {};

function lookup(key: string): unknown {
  let cur: unknown = S;
  for (const part of key.split('.')) cur = cur && typeof cur === 'object' ? (cur as Strings)[part] : undefined;
  return cur;
}

function t(key: string, vars: Record<string, string | number> = {}): string {
  const value = lookup(key);
  const s = typeof value === 'string' ? value : key;
  return s.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => (name in vars ? String(vars[name]) : ''));
}

function entries(key: string): Array<[string, string]> {
  const value = lookup(key);
  return value && typeof value === 'object' ? Object.entries(value as Strings).filter((e): e is [string, string] => typeof e[1] === 'string') : [];
}

async function loadStrings(lang: string): Promise<Strings> {
  try {
    const res = await fetch(`/widget/i18n/${lang}.json`);
    if (res.ok) return (await res.json()) as Strings;
  } catch {
    /* fall back below */
  }
  return lang === 'vi' ? {} : loadStrings('vi');
}

const linkLabels = (): LinkLabels => ({ newTab: t('newTab'), call: (number) => t('call', { number }) });

// ---------------------------------------------------------------------------------------------
// UI

let profile: Profile | null = null;
let languages: Language[] = [];
let busy = false;
let uid = 0;
let launcher: HTMLButtonElement;
let panel: HTMLElement;
let log: HTMLElement;
let input: HTMLTextAreaElement;
let sendButton: HTMLButtonElement;
let live: HTMLElement;
let humanButton: HTMLButtonElement;
let humanCard: HTMLElement;
let resizeObserver: ResizeObserver | null = null;

const nextId = (prefix: string) => `${prefix}-${++uid}`;
const rootFontPx = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

function announce(message: string): void {
  live.textContent = '';
  window.setTimeout(() => {
    live.textContent = message.length > 600 ? `${message.slice(0, 600)}…` : message;
  }, 60);
}

/** Tells the loader on the host page how big the iframe must be (it only ever receives sizes). */
function postState(): void {
  if (standalone || !launcher) return;
  const rem = rootFontPx();
  let width: number;
  let height: number;
  if (state.open) {
    width = Math.ceil(26 * rem);
    height = Math.ceil(44 * rem);
  } else {
    const r = launcher.getBoundingClientRect();
    width = Math.ceil(r.width + 2 * rem);
    height = Math.ceil(r.height + 2 * rem);
  }
  window.parent.postMessage({ source: 'dvc-widget', type: 'state', open: state.open, width, height, title: t('title') }, parentOrigin);
}

function setOpen(open: boolean, byUser: boolean): void {
  state.open = standalone || open;
  save();
  panel.hidden = !state.open;
  launcher.hidden = state.open;
  launcher.setAttribute('aria-expanded', String(state.open));
  postState();
  if (!byUser) return;
  if (state.open) window.requestAnimationFrame(() => input.focus({ preventScroll: true }));
  else launcher.focus({ preventScroll: true });
}

function scrollToEnd(): void {
  log.scrollTop = log.scrollHeight;
}

function formatDate(updated: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(updated);
  if (!m) return updated;
  try {
    const locale = state.lang === 'vi' ? 'vi-VN' : state.lang === 'en' ? 'en-GB' : state.lang;
    return new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  } catch {
    return updated;
  }
}

function chip(label: string, onClick: () => void, ...before: Array<Node | null>): HTMLButtonElement {
  return h('button', { class: 'dvc-chip', attrs: { type: 'button' }, on: { click: onClick } }, ...before, label);
}

/** Buttons that send a question: the welcome suggestions and the quick replies under the last answer. */
function choices(labelKey: string, items: QuickReply[]): HTMLElement {
  const id = nextId('dvc-qr');
  return h(
    'div',
    { class: 'dvc-qr', attrs: { role: 'group', 'aria-labelledby': id } },
    h('p', { class: 'dvc-label', attrs: { id }, text: t(labelKey) }),
    ...items.map((q) => chip(q.label, () => void send(q.payload))),
  );
}

function welcome(): HTMLElement {
  const el = h('div', { class: 'dvc-msg dvc-bot dvc-welcome' }, h('p', { text: t('welcome') }));
  if (!state.turns.length) el.appendChild(choices('suggestionsLabel', entries('suggestions').map(([, q]) => ({ label: q, payload: q }))));
  return el;
}

function userMessage(turn: Extract<Turn, { role: 'user' }>): HTMLElement {
  const hidden = turn.hidden || !turn.text;
  return h('div', { class: `dvc-msg dvc-user${hidden ? ' dvc-hidden' : ''}` }, h('span', { class: 'dvc-sr', text: `${t('you')} ` }), h('p', { text: hidden ? t('hiddenMessage') : turn.text }));
}

function sources(citations: Citation[]): HTMLElement {
  const labels = linkLabels();
  const id = nextId('dvc-src');
  const items = citations.map((c) => {
    const href = c.url ? safeHref(c.url) : null;
    const title = href && !href.startsWith('tel:') ? link(href, true, labels, c.title) : h('span', { text: c.title });
    const date = c.updated ? h('span', { class: 'dvc-date' }, ' · ', h('time', { attrs: { datetime: c.updated }, text: t('updated', { date: formatDate(c.updated) }) })) : null;
    return h('li', {}, title, date);
  });
  return h('div', { class: 'dvc-sources' }, h('p', { class: 'dvc-label', attrs: { id }, text: t('sources') }), h('ul', { attrs: { 'aria-labelledby': id } }, ...items));
}

function feedback(answer: Answer): HTMLElement {
  const box = h('div', { class: 'dvc-feedback' });
  const thanks = () => h('p', { class: 'dvc-thanks', attrs: { tabindex: -1 }, text: t('feedback.thanks') });
  if (state.feedback[answer.answerId]) {
    box.appendChild(thanks());
    return box;
  }
  const qid = nextId('dvc-fbq');
  const error = h('p', { class: 'dvc-error', attrs: { role: 'alert', hidden: true }, text: t('feedback.error') });
  const up = h('button', { class: 'dvc-icon-btn', attrs: { type: 'button', 'aria-label': t('feedback.up'), title: t('feedback.up'), 'aria-pressed': 'false', 'data-rating': 'up' } }, icon('up'));
  const down = h('button', { class: 'dvc-icon-btn', attrs: { type: 'button', 'aria-label': t('feedback.down'), title: t('feedback.down'), 'aria-pressed': 'false', 'data-rating': 'down' } }, icon('down'));
  let form: HTMLFormElement | null = null;

  const submit = async (rating: 'up' | 'down', reason?: string, comment?: string) => {
    const controls = Array.from(box.querySelectorAll<HTMLButtonElement | HTMLSelectElement | HTMLTextAreaElement>('button, select, textarea'));
    controls.forEach((c) => (c.disabled = true));
    error.hidden = true;
    try {
      const body: Record<string, string> = { answerId: answer.answerId, rating };
      if (reason) body.reason = reason;
      if (comment && comment.trim()) body.comment = comment.trim().slice(0, 1000);
      const res = await fetch('/api/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(String(res.status));
      state.feedback[answer.answerId] = rating;
      save();
      const done = thanks();
      box.replaceChildren(done);
      done.focus({ preventScroll: true });
      announce(t('feedback.thanks'));
    } catch {
      controls.forEach((c) => (c.disabled = false));
      error.hidden = false;
    }
  };

  up.addEventListener('click', () => {
    up.setAttribute('aria-pressed', 'true');
    void submit('up');
  });
  down.addEventListener('click', () => {
    down.setAttribute('aria-pressed', 'true');
    if (form) {
      form.querySelector('select')?.focus();
      return;
    }
    const selectId = nextId('dvc-reason');
    const commentId = nextId('dvc-comment');
    const select = h(
      'select',
      { attrs: { id: selectId, name: 'reason' } },
      ...entries('feedback.reasons').map(([value, label]) => h('option', { attrs: { value: value === 'none' ? '' : value }, text: label })),
    );
    const comment = h('textarea', { attrs: { id: commentId, name: 'comment', rows: 2, maxlength: 1000 } });
    form = h(
      'form',
      {
        class: 'dvc-fb-form',
        on: {
          submit: (e) => {
            e.preventDefault();
            void submit('down', select.value || undefined, comment.value);
          },
        },
      },
      h('label', { attrs: { for: selectId }, text: t('feedback.reasonLabel') }),
      select,
      h('label', { attrs: { for: commentId }, text: t('feedback.commentLabel') }),
      comment,
      h(
        'div',
        { class: 'dvc-row' },
        h('button', { class: 'dvc-button', attrs: { type: 'submit' }, text: t('feedback.send') }),
        h('button', { class: 'dvc-chip', attrs: { type: 'button' }, text: t('feedback.skip'), on: { click: () => void submit('down') } }),
      ),
    );
    box.insertBefore(form, error);
    select.focus();
  });

  append(box, h('div', { class: 'dvc-row', attrs: { role: 'group', 'aria-labelledby': qid } }, h('span', { attrs: { id: qid }, text: t('feedback.question') }), up, down), error);
  return box;
}

function botMessage(answer: Answer, opts: { live: boolean; last: boolean }): HTMLElement {
  const safety = answer.kind === 'safety';
  const el = h('div', {
    class: `dvc-msg dvc-bot${safety ? ' dvc-safety' : ''}`,
    attrs: { lang: answer.lang, 'data-kind': answer.kind, 'data-answer-id': answer.answerId, role: safety && opts.live ? 'alert' : null },
  });
  el.appendChild(h('span', { class: 'dvc-sr', text: `${t('assistant')} ` }));
  if (safety) el.appendChild(h('p', { class: 'dvc-safety-title' }, icon('warning'), h('strong', { text: t('safety') })));
  for (const notice of answer.notices ?? []) el.appendChild(h('p', { class: 'dvc-notice' }, h('strong', { text: `${t('notice')}: ` }), notice));
  const body = h('div', { class: 'dvc-body' });
  body.appendChild(renderBlocks(parseMarkdown(answer.text), linkLabels()));
  el.appendChild(body);
  if (answer.citations?.length) el.appendChild(sources(answer.citations));
  if (opts.last && answer.quickReplies?.length) el.appendChild(choices('quickReplies', answer.quickReplies));
  if (answer.answerId) el.appendChild(feedback(answer));
  return el;
}

function renderHistory(): void {
  log.replaceChildren(welcome());
  const last = state.turns.length - 1;
  state.turns.forEach((turn, i) => {
    log.appendChild(turn.role === 'user' ? userMessage(turn) : botMessage(turn.answer, { live: false, last: i === last }));
  });
  scrollToEnd();
}

/** Only what the widget shows is kept in storage. */
function keep(a: Answer): Answer {
  return {
    answerId: a.answerId,
    lang: a.lang,
    kind: a.kind,
    text: a.text,
    summary: a.summary,
    citations: (a.citations ?? []).map(({ id, kind, title, url, updated }) => ({ id, kind, title, url, updated })),
    quickReplies: (a.quickReplies ?? []).map(({ label, payload }) => ({ label, payload })),
    notices: a.notices ?? [],
  };
}

class ChatError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter: number,
    readonly code: string,
  ) {
    super(code);
  }
}

function errorMessage(err: unknown): string {
  if (err instanceof ChatError) {
    if (err.status === 429) return t('errors.rateLimited', { seconds: err.retryAfter || 30 });
    if (err.code === 'message_too_long') return t('errors.tooLong');
    return t('errors.generic');
  }
  return t('errors.network');
}

async function send(raw: string): Promise<void> {
  const text = raw.trim().slice(0, MAX_MESSAGE);
  if (!text || busy) return;
  busy = true;
  sendButton.setAttribute('aria-disabled', 'true');
  log.querySelectorAll('.dvc-qr, .dvc-error-msg').forEach((e) => e.remove());
  const turn: Extract<Turn, { role: 'user' }> = { role: 'user', text };
  state.turns.push(turn);
  pending = turn;
  const userEl = userMessage(turn);
  log.appendChild(userEl);
  input.value = '';
  autosize();
  const typing = h('div', { class: 'dvc-typing', attrs: { 'aria-hidden': 'true' } }, h('span'), h('span'), h('span'));
  log.appendChild(typing);
  scrollToEnd();
  announce(t('typing'));
  try {
    const body: Record<string, string> = { message: text, channel: 'web' };
    if (province) body.province = province;
    if (state.conversationId) body.conversationId = state.conversationId;
    if (state.langChosen || state.lang !== 'vi') body.lang = state.lang;
    const res = await fetch('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) {
      const data = (await res.json().catch(() => ({}))) as { error?: string };
      throw new ChatError(res.status, Number(res.headers.get('retry-after')) || 0, data.error ?? '');
    }
    const answer = (await res.json()) as Answer;
    const kept = keep(answer);
    let questionEl = userEl;
    if (answer.kind === 'safety') {
      // The question may hold an OTP, a password or a card number: hide it on screen too, and
      // never write it to storage.
      turn.hidden = true;
      turn.text = '';
      questionEl = userMessage(turn);
      userEl.replaceWith(questionEl);
    }
    if (answer.conversationId) state.conversationId = answer.conversationId;
    state.turns.push({ role: 'bot', answer: kept });
    pending = null;
    save();
    typing.remove();
    const el = botMessage(kept, { live: true, last: true });
    log.appendChild(el);
    // Show the question and the beginning of its answer (a long answer is read from its top).
    log.scrollTop = Math.max(0, questionEl.offsetTop - rootFontPx() / 2);
    if (kept.kind !== 'safety') announce(`${t('assistant')} ${kept.summary || plainText(parseMarkdown(kept.text))}`);
  } catch (err) {
    pending = null;
    typing.remove();
    const i = state.turns.lastIndexOf(turn);
    if (i !== -1) state.turns.splice(i, 1);
    save();
    userEl.remove();
    if (!input.value) input.value = text;
    autosize();
    log.appendChild(h('p', { class: 'dvc-error dvc-error-msg', attrs: { role: 'alert' }, text: errorMessage(err) }));
    scrollToEnd();
  } finally {
    busy = false;
    sendButton.removeAttribute('aria-disabled');
  }
}

function autosize(): void {
  if (!input) return;
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight + 2, rootFontPx() * 8)}px`;
}

function renderHuman(): void {
  const labels = linkLabels();
  const title = h('h2', { attrs: { id: 'dvc-human-title', tabindex: -1 }, text: t('human.title') });
  const close = chip(t('human.close'), () => toggleHuman(false));
  if (!profile) {
    humanCard.replaceChildren(title, h('p', { text: t('human.unavailable') }), close);
    return;
  }
  const p = profile;
  const dl = h('dl');
  const row = (label: string, value: Node | string) => append(dl, h('dt', { text: label }), h('dd', {}, value));
  const tel = (n: string) => {
    const href = telHref(n);
    return href ? link(href, false, labels, icon('phone'), n) : n;
  };
  const digits = (s?: string) => (s ?? '').replace(/\D/g, '');
  if (p.hotline && digits(p.hotline) !== digits(p.nationalHotline)) row(t('human.hotline', { province: p.name }), tel(p.hotline));
  if (p.nationalHotline) row(t('human.nationalHotline'), tel(p.nationalHotline));
  if (p.oneStop?.name) row(t('human.office'), p.oneStop.name);
  if (p.oneStop?.address) row(t('human.address'), p.oneStop.address);
  row(t('human.hours'), p.oneStop?.hours ?? t('human.hoursUnknown'));
  humanCard.replaceChildren(title, h('p', { text: t('human.intro') }), dl, close);
}

function toggleHuman(show = humanCard.hidden): void {
  humanCard.hidden = !show;
  humanButton.setAttribute('aria-expanded', String(show));
  if (show) humanCard.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  else humanButton.focus({ preventScroll: true });
}

function newConversation(): void {
  state.turns = [];
  state.conversationId = undefined;
  state.feedback = {};
  save();
  renderHistory();
  announce(t('conversationCleared'));
  input.focus();
}

async function switchLanguage(code: string): Promise<void> {
  state.lang = code;
  state.langChosen = true;
  save();
  S = await loadStrings(code);
  build();
  document.getElementById('dvc-lang')?.focus();
}

function build(): void {
  document.documentElement.lang = state.lang;
  document.title = t('title');
  launcher = h(
    'button',
    { class: 'dvc-launcher', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'dvc-panel', title: t('launcher.open') }, on: { click: () => setOpen(true, true) } },
    icon('chat'),
    h('span', { text: t('launcher.label') }),
  );
  const header = h(
    'header',
    { class: 'dvc-header' },
    h('div', { class: 'dvc-heading' }, h('h1', { attrs: { id: 'dvc-title' }, text: t('title') }), h('p', { text: t('subtitle') })),
    h('button', { class: 'dvc-header-btn dvc-new', attrs: { type: 'button', 'aria-label': t('newConversation'), title: t('newConversation') }, on: { click: newConversation } }, icon('plus')),
    standalone ? null : h('button', { class: 'dvc-header-btn dvc-close', attrs: { type: 'button', 'aria-label': t('close'), title: t('close') }, on: { click: () => setOpen(false, true) } }, icon('close')),
  );
  const languageField =
    languages.length > 1
      ? h(
          'div',
          { class: 'dvc-lang' },
          h('label', { class: 'dvc-sr', attrs: { for: 'dvc-lang' }, text: t('language.label') }),
          h(
            'select',
            { attrs: { id: 'dvc-lang', title: t('language.label') }, on: { change: (e) => void switchLanguage((e.target as HTMLSelectElement).value) } },
            ...languages.map((l) =>
              h('option', { attrs: { value: l.code, lang: l.code, selected: l.code === state.lang }, text: l.status === 'partial' ? t('language.partial', { name: l.name }) : l.name }),
            ),
          ),
        )
      : null;
  humanButton = h('button', { class: 'dvc-chip', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'dvc-human' }, on: { click: () => toggleHuman() } }, icon('person'), t('human.button'));
  const toolbar = h('div', { class: 'dvc-toolbar' }, languageField, humanButton);
  humanCard = h('section', { class: 'dvc-human', attrs: { id: 'dvc-human', hidden: true, 'aria-labelledby': 'dvc-human-title' } });
  renderHuman();
  log = h('div', { class: 'dvc-log', attrs: { tabindex: 0, role: 'region', 'aria-label': t('log') } });
  input = h('textarea', {
    attrs: { id: 'dvc-input', name: 'message', rows: 1, maxlength: MAX_MESSAGE, placeholder: t('input.placeholder'), autocomplete: 'off', enterkeyhint: 'send' },
    on: {
      input: autosize,
      keydown: (e) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          void send(input.value);
        }
      },
    },
  });
  sendButton = h('button', { class: 'dvc-send', attrs: { type: 'submit', 'aria-label': t('input.send'), title: t('input.send') } }, icon('send'));
  const form = h(
    'form',
    {
      class: 'dvc-composer',
      on: {
        submit: (e) => {
          e.preventDefault();
          void send(input.value);
        },
      },
    },
    h('label', { class: 'dvc-sr', attrs: { for: 'dvc-input' }, text: t('input.label') }),
    input,
    sendButton,
  );
  panel = h(
    'section',
    { class: 'dvc-panel', attrs: { id: 'dvc-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'dvc-title' } },
    header,
    toolbar,
    humanCard,
    log,
    form,
    h('p', { class: 'dvc-disclaimer', text: t('disclaimer') }),
  );
  live = h('div', { class: 'dvc-sr', attrs: { 'aria-live': 'polite', 'aria-atomic': 'true' } });
  const root = h('div', { class: `dvc-root dvc-${position}${standalone ? ' dvc-standalone' : ''}` }, launcher, panel, live);
  document.body.replaceChildren(root);
  renderHistory();
  resizeObserver?.disconnect();
  resizeObserver = new ResizeObserver(() => {
    if (!state.open) postState();
  });
  resizeObserver.observe(launcher);
  setOpen(state.open, false);
}

async function init(): Promise<void> {
  const saved = loadState();
  state = saved ?? { v: 1, lang: requestedLang || 'vi', langChosen: false, open: standalone, turns: [], feedback: {} };
  const root = document.documentElement.style;
  root.setProperty('--dvc-accent', colors.accent);
  root.setProperty('--dvc-on-accent', colors.onAccent);
  root.setProperty('--dvc-link', colors.link);
  const guess = state.lang;
  const [loadedProfile, strings] = await Promise.all([
    fetch(`/api/profile${province ? `?province=${province}` : ''}`)
      .then((r) => (r.ok ? (r.json() as Promise<Profile>) : null))
      .catch(() => null),
    loadStrings(guess),
  ]);
  profile = loadedProfile;
  languages = profile?.languages ?? [];
  if (!saved && !requestedLang && profile) state.lang = profile.defaultLanguage;
  if (languages.length && !languages.some((l) => l.code === state.lang)) state.lang = languages.some((l) => l.code === 'vi') ? 'vi' : languages[0].code;
  S = state.lang === guess ? strings : await loadStrings(state.lang);
  build();
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && state.open && !standalone) {
      e.preventDefault();
      setOpen(false, true);
    }
  });
  window.addEventListener('resize', () => {
    if (!state.open) postState();
  });
}

void init();

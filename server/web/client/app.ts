/**
 * The chat inside the widget's iframe (/widget/frame.html). It runs in its own document on our
 * origin: the host page's CSS and scripts cannot reach it, it talks only to our server
 * (same origin, CSP connect-src 'self'), and keeps the conversation in this tab's sessionStorage.
 * Every UI string comes from /widget/i18n/<lang>.json (server/i18n/locales/<lang>/widget.json).
 *
 * This file is the controller: it wires settings (settings.ts), the stored conversation
 * (state.ts), the server calls (api.ts) and the views (views/). Everything it changes lives in
 * the closure of startWidget, none at module level.
 */
import { el } from '../../browser-kit/dom.js';
import { translator, type Strings } from '../../browser-kit/strings.js';
import { ChatError, createApi, type Language, type Notice, type Profile } from './api.js';
import { plainText } from '../../browser-kit/markdown.js';
import { parseAnswer } from './dom.js';
import { readSettings } from './settings.js';
import { createStore, keep, type UserTurn } from './state.js';
import type { ViewContext } from './views/context.js';
import { humanContent } from './views/human.js';
import { botMessage, staffMessage, userMessage, welcome } from './views/messages.js';
import { panelView, type PanelParts } from './views/panel.js';

async function startWidget(): Promise<void> {
  const settings = readSettings();
  const api = createApi(settings.province);
  const store = createStore(settings.storageKey, () => ({ v: 1, lang: settings.requestedLang || 'vi', langChosen: false, open: settings.standalone, turns: [], feedback: {} }));
  const { state } = store;
  let strings = translator({});
  let profile: Profile | null = null;
  let languages: Language[] = [];
  let parts: PanelParts | null = null;
  let busy = false;
  let uid = 0;
  let resizeObserver: ResizeObserver | null = null;
  let notice: Notice | null = null;
  let noticeTimer: number | undefined;

  const rootFontPx = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const ctx: ViewContext = {
    t: (key, params) => strings.t(key, params),
    entries: (key) => strings.entries(key),
    store,
    api,
    nextId: (prefix) => `${prefix}-${++uid}`,
    linkLabels: () => ({ newTab: ctx.t('newTab'), call: (number) => ctx.t('call', { number }) }),
    announce(message) {
      const live = parts!.live;
      live.textContent = '';
      window.setTimeout(() => {
        live.textContent = message.length > 600 ? `${message.slice(0, 600)}…` : message;
      }, 60);
    },
    send: (text) => void send(text),
  };
  const { t } = ctx;
  const setStrings = (table: Strings) => (strings = translator(table));

  /** Tells the loader on the host page how big the iframe must be (it only ever receives sizes). */
  function postState(): void {
    if (settings.standalone || !parts) return;
    const rem = rootFontPx();
    let width: number;
    let height: number;
    if (state.open) {
      width = Math.ceil(26 * rem);
      height = Math.ceil(44 * rem);
    } else {
      const r = parts.launcher.getBoundingClientRect();
      width = Math.ceil(r.width + 2 * rem);
      height = Math.ceil(r.height + 2 * rem);
    }
    window.parent.postMessage({ source: 'dvc-widget', type: 'state', open: state.open, width, height, title: t('title') }, settings.parentOrigin);
  }

  function setOpen(open: boolean, byUser: boolean): void {
    const { panel, launcher, input } = parts!;
    state.open = settings.standalone || open;
    store.save();
    panel.hidden = !state.open;
    launcher.hidden = state.open;
    launcher.setAttribute('aria-expanded', String(state.open));
    postState();
    if (!byUser) return;
    if (state.open) window.requestAnimationFrame(() => input.focus({ preventScroll: true }));
    else launcher.focus({ preventScroll: true });
  }

  function scrollToEnd(): void {
    parts!.log.scrollTop = parts!.log.scrollHeight;
  }

  function renderHistory(): void {
    const { log } = parts!;
    log.replaceChildren(welcome(ctx));
    const last = state.turns.length - 1;
    state.turns.forEach((turn, i) => {
      log.appendChild(turn.role === 'user' ? userMessage(ctx, turn) : turn.role === 'staff' ? staffMessage(ctx, turn) : botMessage(ctx, turn.answer, { live: false, last: i === last }));
    });
    scrollToEnd();
  }

  // While the conversation has an open ticket the widget keeps one request for staff replies
  // waiting on the server (long polling: the route answers as soon as an officer sends), so a
  // reply shows within a second. Plain requests, not a stream: they pass the frame's CSP, any
  // proxy and flaky mobile networks, and are the route other portals' clients use too.
  let following: AbortController | null = null;
  function stopFollowing(): void {
    following?.abort();
    following = null;
  }
  /** One request; false when it failed (the loop then pauses before the next). */
  async function fetchStaff(wait: number, signal: AbortSignal): Promise<boolean> {
    const { conversationId, conversationToken } = state;
    if (!conversationId || !conversationToken || !parts) return false;
    const got = await api.messages(conversationId, conversationToken, state.staffAfter ?? 0, wait, signal);
    // A new conversation started while this one waited: what came back belongs to the old one.
    if (!got || signal.aborted || state.conversationId !== conversationId) return false;
    for (const m of got.messages) {
      if (m.id <= (state.staffAfter ?? 0)) continue;
      state.staffAfter = m.id;
      if (m.author !== 'staff') continue;
      const turn = { role: 'staff' as const, id: m.id, text: m.text };
      state.turns.push(turn);
      parts.log.appendChild(staffMessage(ctx, turn));
      scrollToEnd();
      ctx.announce(`${t('staff')}: ${m.text}`);
    }
    if (got.handoff) state.handoff = got.handoff;
    if (!got.handoff || got.handoff.status === 'closed') state.handoff = undefined;
    store.save();
    return true;
  }
  const pause = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const timer = window.setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        window.clearTimeout(timer);
        resolve();
      });
    });
  function followHandoff(): void {
    if (!state.handoff || state.handoff.status === 'closed') {
      stopFollowing();
      return;
    }
    if (following) return;
    const control = new AbortController();
    following = control;
    void (async () => {
      // The first request does not wait: a reload shows what was sent meanwhile at once.
      let wait = 0;
      while (!control.signal.aborted && state.handoff) {
        const started = Date.now();
        const ok = await fetchStaff(wait, control.signal);
        wait = settings.waitSeconds;
        const gap = ok ? settings.minGapMs - (Date.now() - started) : settings.retryMs;
        if (gap > 0) await pause(gap, control.signal);
      }
      if (following === control) following = null;
    })();
  }

  function errorMessage(err: unknown): string {
    if (err instanceof ChatError) {
      if (err.status === 429) return t('errors.rateLimited', { seconds: err.retryAfter || 30 });
      if (err.code === 'message_too_long') return t('errors.tooLong');
      return t('errors.generic');
    }
    return t('errors.network');
  }

  function autosize(): void {
    if (!parts) return;
    const { input } = parts;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, rootFontPx() * 8)}px`;
  }

  async function send(raw: string): Promise<void> {
    const trimmed = raw.trim();
    const text = settings.maxMessage ? trimmed.slice(0, settings.maxMessage) : trimmed;
    if (!text || busy || !parts) return;
    const { log, input, sendButton } = parts;
    busy = true;
    sendButton.setAttribute('aria-disabled', 'true');
    log.querySelectorAll('.dvc-qr, .dvc-error-msg').forEach((e) => e.remove());
    const turn: UserTurn = { role: 'user', text };
    state.turns.push(turn);
    store.pending = turn;
    const userEl = userMessage(ctx, turn);
    log.appendChild(userEl);
    input.value = '';
    autosize();
    const typing = el('div', { class: 'dvc-typing', 'aria-hidden': 'true' }, el('span'), el('span'), el('span'));
    log.appendChild(typing);
    scrollToEnd();
    ctx.announce(t('typing'));
    try {
      const body: Record<string, string> = { message: text, channel: 'web' };
      if (settings.province) body.province = settings.province;
      if (state.conversationId && state.conversationToken) {
        body.conversationId = state.conversationId;
        body.conversationToken = state.conversationToken;
      }
      if (state.langChosen || state.lang !== 'vi') body.lang = state.lang;
      const answer = await api.chat(body);
      const kept = keep(answer);
      let questionEl = userEl;
      if (answer.kind === 'safety') {
        // The question may hold an OTP, a password or a card number: hide it on screen too, and
        // never write it to storage.
        turn.hidden = true;
        turn.text = '';
        questionEl = userMessage(ctx, turn);
        userEl.replaceWith(questionEl);
      }
      // A token means the server started a conversation (the first message, or the old token was
      // not accepted): remember both; otherwise the conversation goes on as it was.
      if (answer.conversationId && answer.conversationToken) {
        state.conversationId = answer.conversationId;
        state.conversationToken = answer.conversationToken;
      }
      store.pending = null;
      typing.remove();
      if (answer.handoff) {
        state.handoff = answer.handoff.status === 'closed' ? undefined : { ticket: answer.handoff.ticket, status: answer.handoff.status };
        followHandoff();
      }
      if (!kept.text) {
        // A person holds the conversation: the assistant stays silent; the question was passed on.
        store.save();
        ctx.announce(t('human.requestNote'));
        return;
      }
      state.turns.push({ role: 'bot', answer: kept });
      store.save();
      log.appendChild(botMessage(ctx, kept, { live: true, last: true }));
      // Show the question and the beginning of its answer (a long answer is read from its top).
      log.scrollTop = Math.max(0, questionEl.offsetTop - rootFontPx() / 2);
      if (kept.kind !== 'safety') ctx.announce(`${t('assistant')} ${kept.summary || plainText(parseAnswer(kept.text))}`);
    } catch (err) {
      store.pending = null;
      typing.remove();
      const i = state.turns.lastIndexOf(turn);
      if (i !== -1) state.turns.splice(i, 1);
      store.save();
      userEl.remove();
      if (!input.value) input.value = text;
      autosize();
      log.appendChild(el('p', { class: 'dvc-error dvc-error-msg', role: 'alert', text: errorMessage(err) }));
      scrollToEnd();
    } finally {
      busy = false;
      sendButton.removeAttribute('aria-disabled');
    }
  }

  /**
   * The service notice as a banner: text only (never HTML), until its end time, when it hides
   * by itself; the server stops sending it then too.
   */
  function renderNotice(): void {
    if (!parts) return;
    const banner = parts.notice;
    window.clearTimeout(noticeTimer);
    const left = notice ? Date.parse(notice.endsAt) - Date.now() : 0;
    if (!notice || !(left > 0)) {
      banner.hidden = true;
      banner.replaceChildren();
      return;
    }
    banner.lang = notice.lang;
    banner.replaceChildren(el('strong', { text: `${t('notice.label')}: ` }), el('span', { text: notice.text }));
    banner.hidden = false;
    noticeTimer = window.setTimeout(renderNotice, Math.min(left, 2_147_000_000));
  }

  async function loadNotice(): Promise<void> {
    notice = await api.notice(state.lang);
    renderNotice();
  }

  function toggleHuman(show = parts!.humanCard.hidden): void {
    const { humanCard, humanButton } = parts!;
    humanCard.hidden = !show;
    humanButton.setAttribute('aria-expanded', String(show));
    if (show) humanCard.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
    else humanButton.focus({ preventScroll: true });
  }

  function newConversation(): void {
    state.turns = [];
    state.conversationId = undefined;
    state.conversationToken = undefined;
    state.handoff = undefined;
    state.staffAfter = undefined;
    stopFollowing();
    state.feedback = {};
    store.save();
    renderHistory();
    ctx.announce(t('conversationCleared'));
    parts!.input.focus();
  }

  async function switchLanguage(code: string): Promise<void> {
    state.lang = code;
    state.langChosen = true;
    store.save();
    setStrings(await api.strings(code));
    build();
    void loadNotice();
    document.getElementById('dvc-lang')?.focus();
  }

  function build(): void {
    document.documentElement.lang = state.lang;
    document.title = t('title');
    parts = panelView(ctx, settings, languages, {
      open: () => setOpen(true, true),
      close: () => setOpen(false, true),
      newConversation: () => newConversation(),
      switchLanguage: (code) => void switchLanguage(code),
      toggleHuman: () => toggleHuman(),
      submit: () => void send(parts!.input.value),
      autosize: () => autosize(),
    });
    parts.humanCard.replaceChildren(...humanContent(ctx, profile, () => toggleHuman(false)));
    document.body.replaceChildren(parts.root);
    renderHistory();
    resizeObserver?.disconnect();
    resizeObserver = new ResizeObserver(() => {
      if (!state.open) postState();
    });
    resizeObserver.observe(parts.launcher);
    renderNotice();
    setOpen(state.open, false);
  }

  const root = document.documentElement.style;
  root.setProperty('--dvc-accent', settings.colors.accent);
  root.setProperty('--dvc-on-accent', settings.colors.onAccent);
  root.setProperty('--dvc-link', settings.colors.link);
  const guess = state.lang;
  const [loadedProfile, table] = await Promise.all([api.profile(), api.strings(guess)]);
  profile = loadedProfile;
  languages = profile?.languages ?? [];
  if (!store.restored && !settings.requestedLang && profile) state.lang = profile.defaultLanguage;
  if (languages.length && !languages.some((l) => l.code === state.lang)) state.lang = languages.some((l) => l.code === 'vi') ? 'vi' : languages[0].code;
  setStrings(state.lang === guess ? table : await api.strings(state.lang));
  build();
  void loadNotice();
  // A reload (or the next page of the portal, same tab) picks up a handoff where it was.
  followHandoff();
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && state.open && !settings.standalone) {
      e.preventDefault();
      setOpen(false, true);
    }
  });
  window.addEventListener('resize', () => {
    if (!state.open) postState();
  });
}

void startWidget();

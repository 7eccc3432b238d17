/** The conversation's messages: welcome with suggestions, the citizen's questions, answers with sources and quick replies. */
import { el } from '../../../browser-kit/dom.js';
import { icon, link, parseAnswer, renderBlocks } from '../dom.js';
import { safeHref } from '../../../browser-kit/markdown.js';
import type { Answer, Citation, QuickReply, StaffTurn, UserTurn } from '../state.js';
import type { ViewContext } from './context.js';
import { feedback } from './feedback.js';

export function chip(label: string, onClick: () => void, ...before: Array<Node | null>): HTMLButtonElement {
  return el('button', { class: 'dvc-chip', type: 'button', onclick: onClick }, ...before, label);
}

/** Buttons that send a question: the welcome suggestions and the quick replies under the last answer. */
function choices(ctx: ViewContext, label: string, items: QuickReply[]): HTMLElement {
  const id = ctx.nextId('dvc-qr');
  return el(
    'div',
    { class: 'dvc-qr', role: 'group', 'aria-labelledby': id },
    el('p', { class: 'dvc-label', id, text: label }),
    ...items.map((q) => chip(q.label, () => ctx.send(q.payload))),
  );
}

export function welcome(ctx: ViewContext): HTMLElement {
  const { t } = ctx;
  const box = el('div', { class: 'dvc-msg dvc-bot dvc-welcome' }, el('p', { text: t('welcome') }));
  if (!ctx.store.state.turns.length) box.appendChild(choices(ctx, t('suggestionsLabel'), ctx.entries('suggestions').map(([, q]) => ({ label: q, payload: q }))));
  return box;
}

export function userMessage({ t }: ViewContext, turn: UserTurn): HTMLElement {
  const hidden = turn.hidden || !turn.text;
  return el('div', { class: `dvc-msg dvc-user${hidden ? ' dvc-hidden' : ''}` }, el('span', { class: 'dvc-sr', text: `${t('you')} ` }), el('p', { text: hidden ? t('hiddenMessage') : turn.text }));
}

function formatDate(lang: string, updated: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(updated);
  if (!m) return updated;
  try {
    const locale = lang === 'vi' ? 'vi-VN' : lang === 'en' ? 'en-GB' : lang;
    return new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  } catch {
    return updated;
  }
}

function sources(ctx: ViewContext, citations: Citation[]): HTMLElement {
  const { t } = ctx;
  const labels = ctx.linkLabels();
  const id = ctx.nextId('dvc-src');
  const items = citations.map((c) => {
    const href = c.url ? safeHref(c.url) : null;
    const title = href && !href.startsWith('tel:') ? link(href, true, labels, c.title) : el('span', { text: c.title });
    const date = c.updated
      ? el('span', { class: 'dvc-date' }, ' · ', el('time', { datetime: c.updated, text: t('updated', { date: formatDate(ctx.store.state.lang, c.updated) }) }))
      : null;
    return el('li', {}, title, date);
  });
  return el('div', { class: 'dvc-sources' }, el('p', { class: 'dvc-label', id, text: t('sources') }), el('ul', { 'aria-labelledby': id }, ...items));
}

export function botMessage(ctx: ViewContext, answer: Answer, opts: { live: boolean; last: boolean }): HTMLElement {
  const { t } = ctx;
  const safety = answer.kind === 'safety';
  const box = el('div', {
    class: `dvc-msg dvc-bot${safety ? ' dvc-safety' : ''}`,
    lang: answer.lang,
    'data-kind': answer.kind,
    'data-answer-id': answer.answerId,
    role: safety && opts.live ? 'alert' : null,
  });
  box.appendChild(el('span', { class: 'dvc-sr', text: `${t('assistant')} ` }));
  if (safety) box.appendChild(el('p', { class: 'dvc-safety-title' }, icon('warning'), el('strong', { text: t('safety') })));
  for (const notice of answer.notices ?? []) box.appendChild(el('p', { class: 'dvc-notice' }, el('strong', { text: `${t('notice')}: ` }), notice));
  const body = el('div', { class: 'dvc-body' });
  body.appendChild(renderBlocks(parseAnswer(answer.text), ctx.linkLabels()));
  box.appendChild(body);
  if (answer.citations?.length) box.appendChild(sources(ctx, answer.citations));
  if (opts.last && answer.quickReplies?.length) box.appendChild(choices(ctx, t('quickReplies'), answer.quickReplies));
  if (answer.answerId) box.appendChild(feedback(ctx, answer));
  return box;
}

/** An officer's reply: plain text (never Markdown: it was typed by a person, not reviewed content). */
export function staffMessage({ t }: ViewContext, turn: StaffTurn): HTMLElement {
  return el(
    'div',
    { class: 'dvc-msg dvc-bot dvc-staff', 'data-staff-message': String(turn.id) },
    el('p', { class: 'dvc-label', text: t('staff') }),
    el('p', { class: 'dvc-staff-text', text: turn.text }),
  );
}

import { $, api, clear, el, errorMessage, filtersInAddress, fmtDateTime, fmtNumber, formQuery, setStatus, t } from './common.js';
import type { QueueItem } from '../../../review/review-store.js';

const PAGE = 50;
const form = $('#queue-filters') as HTMLFormElement;
const status = $('#queue-status');
const list = $('#queue');
const pager = $('#queue-pages');
const prev = $('#queue-prev') as HTMLAnchorElement;
const next = $('#queue-next') as HTMLAnchorElement;

const params = new URLSearchParams(location.search);
const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);

function pageHref(newOffset: number): string {
  const p = new URLSearchParams(location.search);
  if (newOffset > 0) p.set('offset', String(newOffset));
  else p.delete('offset');
  const s = p.toString();
  return `/staff/review${s ? `?${s}` : ''}`;
}

function item(it: QueueItem, position: number): HTMLElement {
  const href = `/staff/review/conversations/${encodeURIComponent(it.conversationId)}#answer-${it.id}`;
  const kindLabel = t(`review.kinds.${it.kind}`);
  return el(
    'li',
    { class: `queue-item reason-${it.reason}`, 'data-answer-id': it.id, 'data-reason': it.reason },
    el(
      'div',
      { class: 'queue-why' },
      el('span', { class: 'queue-pos', 'aria-label': t('review.position', { n: position }) }, String(position)),
      el('span', { class: `reason-badge reason-${it.reason}` }, t(`review.reasons.${it.reason}`)),
    ),
    el(
      'div',
      { class: 'queue-main' },
      el('a', { class: 'queue-question', href }, it.question || t('common.none')),
      el('p', { class: 'queue-reason' }, el('span', { class: 'visually-hidden' }, `${t('review.why')} `), t(`review.reasonHelp.${it.reason}`)),
      el(
        'ul',
        { class: 'queue-meta' },
        el('li', {}, t('review.asked', { time: fmtDateTime(it.createdAt) })),
        el('li', { class: `kind-pill kind-${it.kind}` }, kindLabel),
        el('li', {}, t('review.confidenceValue', { value: fmtNumber(it.confidence, 2) })),
        it.feedback ? el('li', { class: `feedback-pill feedback-${it.feedback}` }, t(`review.feedbacks.${it.feedback}`)) : null,
        el('li', {}, t(`review.channels.${it.channel}`) === `review.channels.${it.channel}` ? it.channel : t(`review.channels.${it.channel}`)),
        el('li', {}, it.province),
        el('li', {}, it.lang),
        it.topics.length ? el('li', { class: 'topics' }, it.topics.join(', ')) : null,
        it.verdict ? el('li', { class: `verdict-pill verdict-${it.verdict}` }, t('review.verdictDone', { verdict: t(`verdicts.${it.verdict}`) })) : null,
      ),
    ),
  );
}

async function load(): Promise<void> {
  const query = formQuery(form);
  query.set('limit', String(PAGE));
  if (offset) query.set('offset', String(offset));
  list.setAttribute('aria-busy', 'true');
  try {
    const body = await api<{ items: QueueItem[]; total: number }>(`/staff/api/review/queue?${query}`);
    clear(list);
    body.items.forEach((it, i) => list.appendChild(item(it, offset + i + 1)));
    if (!body.items.length) setStatus(status, t('review.empty'));
    else
      setStatus(
        status,
        `${t('review.count', { total: body.total })} · ${t('common.showing', { from: offset + 1, to: offset + body.items.length, total: body.total })}`,
      );
    list.setAttribute('start', String(offset + 1));
    const hasPrev = offset > 0;
    const hasNext = offset + body.items.length < body.total;
    pager.hidden = !hasPrev && !hasNext;
    prev.hidden = !hasPrev;
    next.hidden = !hasNext;
    prev.href = pageHref(Math.max(0, offset - PAGE));
    next.href = pageHref(offset + PAGE);
  } catch (err) {
    setStatus(status, errorMessage(err), 'error');
  } finally {
    list.removeAttribute('aria-busy');
  }
}

filtersInAddress(form, '/staff/review');

sessionStorage.setItem('dvc-queue-url', location.pathname + location.search);
void load();

import { $, api, clear, el, errorMessage, filtersInAddress, fmtDateTime, formQuery, setStatus, t } from './common.js';
import type { GapCluster } from '../../../review/content-gaps.js';

const form = $('#gap-filters') as HTMLFormElement;
const status = $('#gaps-status');
const list = $('#gaps');

function cluster(c: GapCluster, filters: URLSearchParams): HTMLElement {
  const q = filters.toString();
  return el(
    'li',
    { class: 'card gap', 'data-gap-id': c.id },
    el('div', { class: 'gap-count' }, el('span', { class: 'gap-number' }, String(c.count)), el('span', { class: 'gap-unit' }, t('gaps.count', { count: c.count }).replace(/^\d+\s*/, ''))),
    el(
      'div',
      { class: 'gap-main' },
      el('h2', { class: 'gap-title' }, c.questions[0] ?? c.id),
      el('p', { class: 'hint' }, t('gaps.lastSeen', { time: fmtDateTime(c.lastSeen) })),
      c.questions.length > 1
        ? el('details', {}, el('summary', {}, `${t('gaps.questions')} (${c.questions.length})`), el('ul', { class: 'plain-list' }, c.questions.map((x) => el('li', {}, x))))
        : null,
      c.nearTopics.length ? el('p', {}, el('strong', {}, `${t('gaps.nearTopics')}: `), c.nearTopics.join(', ')) : null,
      c.expectedArticles.length ? el('p', {}, el('strong', {}, `${t('gaps.expected')}: `), c.expectedArticles.join(', ')) : null,
    ),
    el(
      'div',
      { class: 'gap-actions' },
      el(
        'a',
        {
          class: 'btn',
          href: `/staff/api/gaps/${encodeURIComponent(c.id)}/brief${q ? `?${q}` : ''}`,
          download: `brief-${c.id}.md`,
          'aria-label': t('gaps.briefLabel', { question: c.questions[0] ?? c.id }),
        },
        t('gaps.brief'),
      ),
    ),
  );
}

async function load(): Promise<void> {
  const filters = formQuery(form);
  list.setAttribute('aria-busy', 'true');
  try {
    const body = await api<{ clusters: GapCluster[] }>(`/staff/api/gaps${filters.toString() ? `?${filters}` : ''}`);
    clear(list);
    for (const c of body.clusters) list.appendChild(cluster(c, filters));
    setStatus(status, body.clusters.length ? t('gaps.clusters', { count: body.clusters.length }) : t('gaps.empty'));
  } catch (err) {
    setStatus(status, errorMessage(err), 'error');
  } finally {
    list.removeAttribute('aria-busy');
  }
}

filtersInAddress(form, '/staff/gaps');

void load();

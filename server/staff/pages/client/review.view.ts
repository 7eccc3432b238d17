/** The review page's body, rendered on the server; its behaviour is in ./review.ts. */
import { OUTCOMES } from '../../../domain/outcomes.js';
import { html, SafeHtml, options, CHANNELS, KINDS, VERDICT_KEYS, dateFields, checkbox, on, type PageContext, type Query } from '../html.js';

export function reviewBody(ctx: PageContext, q: Query, provinces: string[]): SafeHtml {
  const { t } = ctx;
  const any = t('common.any');
  return html`<h1>${t('review.title')}</h1>
<p class="lead">${t('review.intro')}</p>
<form id="queue-filters" class="filters" action="/staff/review" method="get" aria-label="${t('common.filters')}">
  <div class="field field-wide">
    <label for="f-q">${t('review.q')}</label>
    <input id="f-q" name="q" type="search" value="${q.q ?? ''}" maxlength="200">
  </div>
  ${dateFields(ctx, q, 'f')}
  <div class="field">
    <label for="f-channel">${t('review.channel')}</label>
    <select id="f-channel" name="channel">${options(CHANNELS, (v) => t(`review.channels.${v}`), q.channel, any)}</select>
  </div>
  <div class="field">
    <label for="f-province">${t('review.province')}</label>
    ${provinces.length
      ? html`<select id="f-province" name="province">${options(provinces, (v) => v, q.province, any)}</select>`
      : html`<input id="f-province" name="province" type="text" value="${q.province ?? ''}" maxlength="40">`}
  </div>
  <div class="field">
    <label for="f-lang">${t('review.lang')}</label>
    <select id="f-lang" name="lang">${options(['vi', 'en'], (v) => t(`review.langs.${v}`), q.lang, any)}</select>
  </div>
  <div class="field">
    <label for="f-kind">${t('review.kind')}</label>
    <select id="f-kind" name="kind">${options(KINDS, (v) => t(`review.kinds.${v}`), q.kind, any)}</select>
  </div>
  <div class="field">
    <label for="f-outcome">${t('review.outcome')}</label>
    <select id="f-outcome" name="outcome">${options(OUTCOMES, (v) => t(`review.outcomes.${v}`), q.outcome, any)}</select>
  </div>
  <div class="field">
    <label for="f-topic">${t('review.topic')}</label>
    <input id="f-topic" name="topic" type="text" value="${q.topic ?? ''}" maxlength="80" placeholder="${t('review.topicHint')}" aria-describedby="f-topic-hint" spellcheck="false">
    <span id="f-topic-hint" class="visually-hidden">${t('review.topicHint')}</span>
  </div>
  <div class="field">
    <label for="f-confidence">${t('review.confidence')}</label>
    <select id="f-confidence" name="confidence">${options(['low', 'medium', 'high'], (v) => t(`review.bands.${v}`), q.confidence, any)}</select>
  </div>
  <div class="field">
    <label for="f-feedback">${t('review.feedback')}</label>
    <select id="f-feedback" name="feedback">${options(['down', 'up', 'none'], (v) => t(`review.feedbacks.${v}`), q.feedback, any)}</select>
  </div>
  <div class="field">
    <label for="f-review">${t('review.reviewStatus')}</label>
    <select id="f-review" name="review">${options(
      ['unreviewed', 'reviewed', ...VERDICT_KEYS],
      (v) => (v === 'unreviewed' || v === 'reviewed' ? t(`review.statuses.${v}`) : `${t('review.statuses.reviewed')}: ${t(`verdicts.${v}`)}`),
      q.review ?? 'unreviewed',
    )}</select>
  </div>
  <div class="filter-row">
    ${checkbox('f-all', 'all', t('review.all'), on(q.all))}
    ${checkbox('f-test', 'includeTest', t('common.includeTest'), on(q.includeTest))}
    <div class="filter-actions">
      <a class="btn btn-quiet" href="/staff/review">${t('common.reset')}</a>
      <button type="submit" class="btn btn-primary">${t('common.apply')}</button>
    </div>
  </div>
</form>
<p id="queue-status" class="status-line" role="status" aria-live="polite">${t('common.loading')}</p>
<ol id="queue" class="queue" aria-label="${t('review.list')}"></ol>
<nav id="queue-pages" class="pager" aria-label="${t('common.pagination')}" hidden>
  <a id="queue-prev" class="btn btn-quiet" href="#">${t('common.prev')}</a>
  <a id="queue-next" class="btn btn-quiet" href="#">${t('common.next')}</a>
</nav>`;
}

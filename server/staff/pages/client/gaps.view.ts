/** The gaps page's body, rendered on the server; its behaviour is in ./gaps.ts. */
import { html, SafeHtml, dateFields, checkbox, on, type PageContext, type Query } from '../html.js';

export function gapsBody(ctx: PageContext, q: Query): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('gaps.title')}</h1>
<p class="lead">${t('gaps.intro')}</p>
<form id="gap-filters" class="filters filters-compact" action="/staff/gaps" method="get" aria-label="${t('common.filters')}">
  ${dateFields(ctx, q, 'g')}
  <div class="filter-row">
    ${checkbox('g-test', 'includeTest', t('common.includeTest'), on(q.includeTest))}
    <div class="filter-actions"><button type="submit" class="btn btn-primary">${t('common.apply')}</button></div>
  </div>
</form>
<p id="gaps-status" class="status-line" role="status" aria-live="polite">${t('common.loading')}</p>
<ol id="gaps" class="gaps"></ol>`;
}

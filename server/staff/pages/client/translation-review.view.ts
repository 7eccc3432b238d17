/** The translation-review page's body, rendered on the server; its behaviour is in ./translation-review.ts. */
import { html, SafeHtml, type PageContext } from '../html.js';

/** One pending translation: Vietnamese source beside it, the diff of the Vietnamese since, approve / reject. */
export function translationReviewBody(ctx: PageContext, id: string): SafeHtml {
  const { t } = ctx;
  return html`<p class="back-link"><a href="/staff/translations" id="back-to-translations">${t('translations.back')}</a></p>
<h1>${t('translations.reviewTitle')}</h1>
<p class="lead">${t('translations.reviewIntro')}</p>
<div id="revision" data-revision-id="${id}" aria-busy="true">
  <p class="status-line" role="status">${t('common.loading')}</p>
</div>`;
}

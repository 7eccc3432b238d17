/** The doc page's body, rendered on the server; its behaviour is in ./doc.ts. */
import { html, SafeHtml, type PageContext } from '../html.js';

export function docBody(ctx: PageContext, id: string, placeholders: Record<string, string>): SafeHtml {
  const { t } = ctx;
  return html`<p class="back-link no-print"><a href="/staff">${t('doc.back')}</a></p>
<div id="doc" data-doc-id="${id}" data-placeholders="${JSON.stringify(placeholders)}" aria-busy="true">
  <p class="status-line" role="status">${t('common.loading')}</p>
</div>`;
}

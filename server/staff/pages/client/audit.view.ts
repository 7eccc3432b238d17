/** The audit page's body, rendered on the server; its behaviour is in ./audit.ts. */
import { html, SafeHtml, type PageContext } from '../html.js';

export function auditBody(ctx: PageContext): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('audit.title')}</h1>
<p class="lead">${t('audit.intro')}</p>
<p id="audit-status" class="status-line" role="status" aria-live="polite">${t('common.loading')}</p>
<div class="table-wrap">
  <table class="data-table" id="audit-table">
    <thead><tr><th scope="col">${t('audit.at')}</th><th scope="col">${t('audit.user')}</th><th scope="col">${t('audit.action')}</th><th scope="col">${t('audit.target')}</th><th scope="col">${t('audit.details')}</th></tr></thead>
    <tbody></tbody>
  </table>
</div>`;
}

/** The translations page's body, rendered on the server; its behaviour is in ./translations.ts. */
import { html, SafeHtml, type PageContext } from '../html.js';

/** Languages with their completeness, and what waits for review in the chosen one (the client fills both in). */
export function translationsBody(ctx: PageContext, lang: string | undefined, perms: { review: boolean; exports: boolean }): SafeHtml {
  const { t } = ctx;
  const chosen = lang && /^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(lang) ? lang : '';
  return html`<h1>${t('translations.title')}</h1>
<p class="lead">${t('translations.intro')}</p>
<section class="card" aria-labelledby="langs-title">
  <h2 id="langs-title">${t('translations.languages')}</h2>
  <p id="langs-status" class="status-line" role="status" aria-live="polite">${t('common.loading')}</p>
  <div class="table-wrap">
    <table class="data-table" id="langs-table">
      <thead>
        <tr>
          <th scope="col" rowspan="2">${t('translations.language')}</th>
          <th scope="col" rowspan="2" class="num">${t('translations.strings')}</th>
          <th scope="colgroup" colspan="4" class="col-group">${t('translations.articles')}</th>
          <th scope="col" rowspan="2" class="num">${t('translations.pending')}</th>
        </tr>
        <tr>
          <th scope="col" class="num">${t('translations.states.approved')}</th>
          <th scope="col" class="num">${t('translations.states.draft')}</th>
          <th scope="col" class="num">${t('translations.states.stale')}</th>
          <th scope="col" class="num">${t('translations.states.missing')}</th>
        </tr>
      </thead>
      <tbody></tbody>
    </table>
  </div>
  <p class="hint">${t('translations.countsHint')}</p>
</section>
<section class="card" aria-labelledby="pending-title" id="pending-section" data-lang="${chosen}" data-can-review="${perms.review ? 'true' : 'false'}">
  <h2 id="pending-title">${t('translations.pendingTitle')}</h2>
  <p id="pending-status" class="status-line" role="status" aria-live="polite"></p>
  <ol id="pending" class="pending-list"></ol>
  ${perms.review ? '' : html`<p class="hint" id="pending-editors-only">${t('translations.editorsOnly')}</p>`}
  ${perms.exports
    ? html`<div class="data-block" id="export-block" hidden>
    <h3>${t('translations.export')}</h3>
    <p class="hint">${t('translations.exportHint')}</p>
    <p class="button-row">
      <a class="btn" id="export-xliff" href="#" download>${t('translations.exportXliff')}</a>
      <a class="btn" id="export-csv" href="#" download>${t('translations.exportCsv')}</a>
    </p>
  </div>`
    : ''}
</section>`;
}

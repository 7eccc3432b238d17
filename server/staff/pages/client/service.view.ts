/** The channels-and-notices page's body, rendered on the server; its behaviour is in ./service.ts. */
import { html, SafeHtml, type PageContext } from '../html.js';
import { NOTICE_MAX_CHARS } from '../../../domain/service.js';

export function serviceBody(ctx: PageContext): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('service.title')}</h1>
<p class="lead">${t('service.intro')}</p>
<section class="card" aria-labelledby="service-channels-title">
  <h2 id="service-channels-title">${t('service.channels')}</h2>
  <p class="hint">${t('service.offHint')}</p>
  <p id="service-status" class="status-line" role="status" aria-live="polite">${t('common.loading')}</p>
  <div class="table-wrap">
    <table class="data-table" id="service-table">
      <thead><tr><th scope="col">${t('service.channel')}</th><th scope="col">${t('service.state')}</th><th scope="col"><span class="visually-hidden">${t('users.actions')}</span></th></tr></thead>
      <tbody></tbody>
    </table>
  </div>
</section>
<section class="card" aria-labelledby="service-notice-title">
  <h2 id="service-notice-title">${t('service.notice')}</h2>
  <p id="notice-current" class="status-line">${t('common.loading')}</p>
  <form id="notice-form" class="form-grid" novalidate>
    <div class="field">
      <label for="notice-vi">${t('service.textVi')}</label>
      <input id="notice-vi" name="vi" type="text" required maxlength="${NOTICE_MAX_CHARS * 2}" lang="vi" aria-describedby="notice-hint">
    </div>
    <div class="field">
      <label for="notice-en">${t('service.textEn')}</label>
      <input id="notice-en" name="en" type="text" maxlength="${NOTICE_MAX_CHARS * 2}" lang="en" aria-describedby="notice-hint">
    </div>
    <p id="notice-hint" class="hint">${t('service.textHint', { max: NOTICE_MAX_CHARS })}</p>
    <div class="field">
      <label for="notice-starts">${t('service.startsAt')}</label>
      <input id="notice-starts" name="startsAt" type="datetime-local">
    </div>
    <div class="field">
      <label for="notice-ends">${t('service.endsAt')}</label>
      <input id="notice-ends" name="endsAt" type="datetime-local" required>
    </div>
    <div class="filter-row"><div class="filter-actions">
      <button type="submit" class="btn btn-primary" id="notice-publish">${t('service.publish')}</button>
      <button type="button" class="btn btn-danger-quiet" id="notice-withdraw" hidden>${t('service.withdraw')}</button>
    </div></div>
  </form>
  <p id="notice-status" class="status-line" role="status" aria-live="polite"></p>
</section>`;
}

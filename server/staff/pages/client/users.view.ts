/** The users page's body, rendered on the server; its behaviour is in ./users.ts. */
import { html, SafeHtml, options, type PageContext } from '../html.js';
import { ROLES } from '../../../domain/staff.js';

export function usersBody(ctx: PageContext): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('users.title')}</h1>
<p class="lead">${t('users.intro')}</p>
<section class="card" aria-labelledby="users-list-title">
  <h2 id="users-list-title">${t('users.list')}</h2>
  <p id="users-status" class="status-line" role="status" aria-live="polite">${t('common.loading')}</p>
  <div class="table-wrap">
    <table class="data-table" id="users-table">
      <thead><tr><th scope="col">${t('users.username')}</th><th scope="col">${t('users.role')}</th><th scope="col">${t('users.status')}</th><th scope="col">${t('users.actions')}</th></tr></thead>
      <tbody></tbody>
    </table>
  </div>
</section>
<section class="card" aria-labelledby="users-create-title">
  <h2 id="users-create-title">${t('users.create')}</h2>
  <form id="user-create" class="form-grid" novalidate>
    <div class="field">
      <label for="new-username">${t('users.username')}</label>
      <input id="new-username" name="username" type="text" required maxlength="40" autocomplete="off" autocapitalize="none" spellcheck="false" pattern="[A-Za-z0-9._\\-]{3,40}">
    </div>
    <div class="field">
      <label for="new-password">${t('users.password')}</label>
      <input id="new-password" name="password" type="password" required minlength="10" maxlength="200" autocomplete="new-password" aria-describedby="new-password-hint">
      <span id="new-password-hint" class="hint">${t('users.passwordHint')}</span>
    </div>
    <div class="field">
      <label for="new-role">${t('users.role')}</label>
      <select id="new-role" name="role">${options(ROLES, (v) => t(`roles.${v}`), 'reviewer')}</select>
    </div>
    <div class="filter-row"><div class="filter-actions"><button type="submit" class="btn btn-primary">${t('users.createSubmit')}</button></div></div>
  </form>
  <p id="user-create-status" class="status-line" role="status" aria-live="polite"></p>
</section>`;
}

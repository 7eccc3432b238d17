/** The login page's body, rendered on the server; its behaviour is in ./login.ts. */
import { html, SafeHtml, type PageContext } from '../html.js';

export function loginBody(ctx: PageContext, next: string): SafeHtml {
  const { t } = ctx;
  return html`<div class="login-card">
  <h1>${t('login.title')}</h1>
  <p class="lead">${t('login.intro')}</p>
  <form id="login-form" method="post" action="/staff/login" novalidate data-next="${next}">
    <div class="field">
      <label for="username">${t('login.username')}</label>
      <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="40">
    </div>
    <div class="field">
      <label for="password">${t('login.password')}</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200">
    </div>
    <p id="login-error" class="error-text" role="alert" hidden></p>
    <button type="submit" class="btn btn-primary btn-block" id="login-submit">${t('login.submit')}</button>
  </form>
  <p class="hint">${t('login.privacy')}</p>
</div>`;
}

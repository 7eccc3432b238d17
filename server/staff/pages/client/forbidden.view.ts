/** The forbidden page's body, rendered on the server; its behaviour is in ./shell.ts. */
import { html, SafeHtml, type PageContext } from '../html.js';
import type { Role } from '../../users.js';

export function forbiddenBody(ctx: PageContext, needed: Role): SafeHtml {
  const { t, user } = ctx;
  return html`<div class="card notice-card">
  <h1>${t('forbidden.title')}</h1>
  <p>${t('forbidden.text', { role: t(`roles.${needed}`), yours: user ? t(`roles.${user.role}`) : '' })}</p>
  <p><a class="btn" href="/staff">${t('forbidden.back')}</a></p>
</div>`;
}

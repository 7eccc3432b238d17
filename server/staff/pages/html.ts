/** Server-side HTML for the staff console: escaped templates, the common layout and the page shells. */
import type { StaffUser, Role } from '../users.js';
import { HANDOFF_ROLE } from '../../domain/staff.js';

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function render(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return esc(String(v));
}

/** Tagged template: every interpolated value is escaped unless it is already SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new SafeHtml(out);
}

export type T = (key: string, params?: Record<string, unknown>) => string;

export interface PageContext {
  t: T;
  lang: string;
  /** Path and query of the current request (for the language switch's return address). */
  url: string;
  user: StaffUser | null;
  csrfToken: string | null;
  asset: (name: string) => string;
}

export interface NavItem {
  key: string;
  href: string;
  role: Role;
}

export const NAV: NavItem[] = [
  { key: 'lookup', href: '/staff', role: 'reviewer' },
  { key: 'inbox', href: '/staff/inbox', role: HANDOFF_ROLE },
  { key: 'review', href: '/staff/review', role: 'reviewer' },
  { key: 'gaps', href: '/staff/gaps', role: 'editor' },
  { key: 'dashboard', href: '/staff/dashboard', role: 'reviewer' },
  { key: 'translations', href: '/staff/translations', role: 'reviewer' },
  { key: 'users', href: '/staff/users', role: 'admin' },
  { key: 'service', href: '/staff/service', role: 'admin' },
  { key: 'audit', href: '/staff/audit', role: 'admin' },
];

export function layout(
  ctx: PageContext,
  opts: { title: string; page: string; script: string; active?: string; body: SafeHtml; allowed: (role: Role) => boolean; bodyClass?: string },
): string {
  const { t, user } = ctx;
  const other = t('language.switchLang');
  const header = user
    ? html`<header class="site-header">
  <div class="header-inner">
    <a class="brand" href="/staff"><span class="brand-mark" aria-hidden="true">DVC</span><span class="brand-text"><span class="brand-name">${t('app.name')}</span><span class="brand-sub">${t('app.console')}</span></span></a>
    <div class="user-box">
      <span class="who">${t('user.signedInAs')} <strong data-testid="current-user">${user.username}</strong> <span class="role-badge">${t(`roles.${user.role}`)}</span></span>
      <a class="lang-switch" href="/staff/lang/${other}?next=${encodeURIComponent(ctx.url)}" lang="${other}" hreflang="${other}" aria-label="${t('language.label')}: ${t('language.switchTo')}">${t('language.switchTo')}</a>
      <button type="button" class="btn btn-quiet" id="sign-out">${t('user.signOut')}</button>
    </div>
  </div>
  <nav class="main-nav" aria-label="${t('nav.label')}">
    <ul>
      ${NAV.filter((n) => opts.allowed(n.role)).map(
        (n) => html`<li><a href="${n.href}" data-nav="${n.key}"${n.key === opts.active ? new SafeHtml(' aria-current="page"') : ''}>${t(`nav.${n.key}`)}</a></li>`,
      )}
    </ul>
  </nav>
</header>`
    : html`<header class="site-header site-header-plain">
  <div class="header-inner">
    <span class="brand"><span class="brand-mark" aria-hidden="true">DVC</span><span class="brand-text"><span class="brand-name">${t('app.name')}</span><span class="brand-sub">${t('app.console')}</span></span></span>
    <div class="user-box"><a class="lang-switch" href="/staff/lang/${other}?next=${encodeURIComponent(ctx.url)}" lang="${other}" hreflang="${other}" aria-label="${t('language.label')}: ${t('language.switchTo')}">${t('language.switchTo')}</a></div>
  </div>
</header>`;
  return (
    '<!doctype html>\n' +
    html`<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${ctx.csrfToken ? html`<meta name="dvc-csrf" content="${ctx.csrfToken}">` : ''}
${user ? html`<meta name="dvc-user" content="${user.username}" data-role="${user.role}">` : ''}
<title>${opts.title} · ${t('app.console')}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ctx.asset('staff.css')}">
<script src="${ctx.asset(`i18n-${ctx.lang}.js`)}"></script>
<script type="module" src="${ctx.asset(`${opts.script}.js`)}"></script>
</head>
<body data-page="${opts.page}"${opts.bodyClass ? html` class="${opts.bodyClass}"` : ''}>
<a class="skip-link" href="#main">${t('skip')}</a>
${header}
<main id="main" tabindex="-1">
${opts.body}
</main>
</body>
</html>
`.value
  );
}

// ---------------------------------------------------------------- pieces shared by the page views (client/*.view.ts)

export function options(values: readonly string[], labelOf: (v: string) => string, selected: string | undefined, anyLabel?: string): SafeHtml {
  return html`${anyLabel !== undefined ? html`<option value="">${anyLabel}</option>` : ''}${values.map(
    (v) => html`<option value="${v}"${v === selected ? new SafeHtml(' selected') : ''}>${labelOf(v)}</option>`,
  )}`;
}
export const CHANNELS = ['web', 'api', 'zalo', 'sms', 'cli'] as const;
export { ANSWER_KINDS as KINDS } from '../../domain/answer.js';
export { VERDICTS as VERDICT_KEYS } from '../../domain/staff.js';
export type Query = Record<string, string | undefined>;
export function dateFields(ctx: PageContext, q: Query, prefix: string): SafeHtml {
  const { t } = ctx;
  return html`<div class="field">
    <label for="${prefix}-from">${t('common.dateFrom')}</label>
    <input id="${prefix}-from" name="from" type="date" value="${q.from ?? ''}">
  </div>
  <div class="field">
    <label for="${prefix}-to">${t('common.dateTo')}</label>
    <input id="${prefix}-to" name="to" type="date" value="${q.to ?? ''}">
  </div>`;
}
export function checkbox(id: string, name: string, label: string, checked: boolean): SafeHtml {
  return html`<div class="field field-check">
    <input id="${id}" name="${name}" type="checkbox" value="true"${checked ? new SafeHtml(' checked') : ''}>
    <label for="${id}">${label}</label>
  </div>`;
}
export const on = (v: string | undefined) => v === 'true' || v === '1';

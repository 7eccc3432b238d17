/** Server-side HTML for the staff console: escaped templates, the common layout and the page shells. */
import type { StaffUser, Role } from '../users.js';

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
  { key: 'review', href: '/staff/review', role: 'reviewer' },
  { key: 'gaps', href: '/staff/gaps', role: 'editor' },
  { key: 'dashboard', href: '/staff/dashboard', role: 'reviewer' },
  { key: 'translations', href: '/staff/translations', role: 'reviewer' },
  { key: 'users', href: '/staff/users', role: 'admin' },
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

// ---------------------------------------------------------------- page bodies

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

export function lookupBody(ctx: PageContext, q: string, placeholders: Record<string, string>): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('lookup.title')}</h1>
<p class="lead">${t('lookup.intro')}</p>
<form role="search" id="lookup-form" class="lookup-form" action="/staff" method="get">
  <label for="lookup-q">${t('lookup.label')}</label>
  <input id="lookup-q" name="q" type="search" value="${q}" placeholder="${t('lookup.placeholder')}" autocomplete="off" spellcheck="false" maxlength="200" aria-describedby="lookup-hint" aria-controls="lookup-results">
  <p id="lookup-hint" class="hint">${t('lookup.hint')}</p>
</form>
<p id="lookup-status" class="status-line" role="status" aria-live="polite"></p>
<ol id="lookup-results" class="results" aria-label="${t('lookup.results')}" data-placeholders="${JSON.stringify(placeholders)}"></ol>`;
}

export function docBody(ctx: PageContext, id: string, placeholders: Record<string, string>): SafeHtml {
  const { t } = ctx;
  return html`<p class="back-link no-print"><a href="/staff">${t('doc.back')}</a></p>
<div id="doc" data-doc-id="${id}" data-placeholders="${JSON.stringify(placeholders)}" aria-busy="true">
  <p class="status-line" role="status">${t('common.loading')}</p>
</div>`;
}

function options(values: readonly string[], labelOf: (v: string) => string, selected: string | undefined, anyLabel?: string): SafeHtml {
  return html`${anyLabel !== undefined ? html`<option value="">${anyLabel}</option>` : ''}${values.map(
    (v) => html`<option value="${v}"${v === selected ? new SafeHtml(' selected') : ''}>${labelOf(v)}</option>`,
  )}`;
}

export const CHANNELS = ['web', 'api', 'zalo', 'sms', 'cli'] as const;
export const KINDS = ['answer', 'fallback', 'safety', 'handoff', 'greeting'] as const;
export const VERDICT_KEYS = ['correct', 'partly', 'wrong', 'should_fallback', 'unsafe'] as const;

export type Query = Record<string, string | undefined>;

function dateFields(ctx: PageContext, q: Query, prefix: string): SafeHtml {
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

function checkbox(id: string, name: string, label: string, checked: boolean): SafeHtml {
  return html`<div class="field field-check">
    <input id="${id}" name="${name}" type="checkbox" value="true"${checked ? new SafeHtml(' checked') : ''}>
    <label for="${id}">${label}</label>
  </div>`;
}

const on = (v: string | undefined) => v === 'true' || v === '1';

export function reviewBody(ctx: PageContext, q: Query, provinces: string[]): SafeHtml {
  const { t } = ctx;
  const any = t('common.any');
  return html`<h1>${t('review.title')}</h1>
<p class="lead">${t('review.intro')}</p>
<form id="queue-filters" class="filters" action="/staff/review" method="get" aria-label="${t('common.filters')}">
  <div class="field field-wide">
    <label for="f-q">${t('review.q')}</label>
    <input id="f-q" name="q" type="search" value="${q.q ?? ''}" maxlength="200">
  </div>
  ${dateFields(ctx, q, 'f')}
  <div class="field">
    <label for="f-channel">${t('review.channel')}</label>
    <select id="f-channel" name="channel">${options(CHANNELS, (v) => t(`review.channels.${v}`), q.channel, any)}</select>
  </div>
  <div class="field">
    <label for="f-province">${t('review.province')}</label>
    ${provinces.length
      ? html`<select id="f-province" name="province">${options(provinces, (v) => v, q.province, any)}</select>`
      : html`<input id="f-province" name="province" type="text" value="${q.province ?? ''}" maxlength="40">`}
  </div>
  <div class="field">
    <label for="f-lang">${t('review.lang')}</label>
    <select id="f-lang" name="lang">${options(['vi', 'en'], (v) => t(`review.langs.${v}`), q.lang, any)}</select>
  </div>
  <div class="field">
    <label for="f-kind">${t('review.kind')}</label>
    <select id="f-kind" name="kind">${options(KINDS, (v) => t(`review.kinds.${v}`), q.kind, any)}</select>
  </div>
  <div class="field">
    <label for="f-topic">${t('review.topic')}</label>
    <input id="f-topic" name="topic" type="text" value="${q.topic ?? ''}" maxlength="80" placeholder="${t('review.topicHint')}" aria-describedby="f-topic-hint" spellcheck="false">
    <span id="f-topic-hint" class="visually-hidden">${t('review.topicHint')}</span>
  </div>
  <div class="field">
    <label for="f-confidence">${t('review.confidence')}</label>
    <select id="f-confidence" name="confidence">${options(['low', 'medium', 'high'], (v) => t(`review.bands.${v}`), q.confidence, any)}</select>
  </div>
  <div class="field">
    <label for="f-feedback">${t('review.feedback')}</label>
    <select id="f-feedback" name="feedback">${options(['down', 'up', 'none'], (v) => t(`review.feedbacks.${v}`), q.feedback, any)}</select>
  </div>
  <div class="field">
    <label for="f-review">${t('review.reviewStatus')}</label>
    <select id="f-review" name="review">${options(
      ['unreviewed', 'reviewed', ...VERDICT_KEYS],
      (v) => (v === 'unreviewed' || v === 'reviewed' ? t(`review.statuses.${v}`) : `${t('review.statuses.reviewed')}: ${t(`verdicts.${v}`)}`),
      q.review ?? 'unreviewed',
    )}</select>
  </div>
  <div class="filter-row">
    ${checkbox('f-all', 'all', t('review.all'), on(q.all))}
    ${checkbox('f-test', 'includeTest', t('common.includeTest'), on(q.includeTest))}
    <div class="filter-actions">
      <a class="btn btn-quiet" href="/staff/review">${t('common.reset')}</a>
      <button type="submit" class="btn btn-primary">${t('common.apply')}</button>
    </div>
  </div>
</form>
<p id="queue-status" class="status-line" role="status" aria-live="polite">${t('common.loading')}</p>
<ol id="queue" class="queue" aria-label="${t('review.list')}"></ol>
<nav id="queue-pages" class="pager" aria-label="${t('common.pagination')}" hidden>
  <a id="queue-prev" class="btn btn-quiet" href="#">${t('common.prev')}</a>
  <a id="queue-next" class="btn btn-quiet" href="#">${t('common.next')}</a>
</nav>`;
}

export function conversationBody(ctx: PageContext, id: string): SafeHtml {
  const { t } = ctx;
  return html`<p class="back-link"><a href="/staff/review" id="back-to-queue">${t('conversation.back')}</a></p>
<h1>${t('conversation.title')}</h1>
<p class="lead">${t('conversation.intro')}</p>
<div id="conversation" data-conversation-id="${id}" aria-busy="true">
  <p class="status-line" role="status">${t('common.loading')}</p>
</div>`;
}

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

function chartCard(ctx: PageContext, id: string, titleKey: string, wide = false): SafeHtml {
  const { t } = ctx;
  return html`<section class="card chart-card${wide ? ' chart-wide' : ''}" aria-labelledby="${id}-title" data-chart="${id}">
  <h2 id="${id}-title">${t(titleKey)}</h2>
  <div class="chart-box"><canvas id="${id}" role="img" aria-label="${t(titleKey)}"></canvas></div>
  <p class="chart-empty hint" hidden>${t('dashboard.noData')}</p>
  <details class="chart-table"><summary>${t('dashboard.table')}</summary><div class="table-wrap"></div></details>
</section>`;
}

export function dashboardBody(ctx: PageContext, q: Query, perms: { gaps: boolean; exports: boolean; purge: boolean }): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('dashboard.title')}</h1>
<p class="lead">${t('dashboard.intro')}</p>
<form id="dash-filters" class="filters filters-compact" action="/staff/dashboard" method="get" aria-label="${t('common.filters')}">
  ${dateFields(ctx, q, 'd')}
  <div class="field">
    <label for="d-channel">${t('dashboard.channel')}</label>
    <select id="d-channel" name="channel">${options(CHANNELS, (v) => t(`review.channels.${v}`), q.channel, t('common.any'))}</select>
  </div>
  <div class="filter-row">
    ${checkbox('d-test', 'includeTest', t('common.includeTest'), on(q.includeTest))}
    <div class="filter-actions"><button type="submit" class="btn btn-primary">${t('common.apply')}</button></div>
  </div>
</form>
<p id="dash-status" class="status-line" role="status" aria-live="polite">${t('common.loading')}</p>
<section aria-labelledby="totals-title" class="totals-section">
  <h2 id="totals-title" class="visually-hidden">${t('dashboard.totals')}</h2>
  <ul class="tiles" id="tiles"></ul>
</section>
<div class="chart-grid">
  ${chartCard(ctx, 'chart-per-day', 'dashboard.perDay')}
  ${chartCard(ctx, 'chart-outcomes', 'dashboard.outcomes')}
  ${chartCard(ctx, 'chart-satisfaction', 'dashboard.satisfactionChart')}
  ${chartCard(ctx, 'chart-accuracy', 'dashboard.accuracy')}
  ${chartCard(ctx, 'chart-topics', 'dashboard.topTopics')}
  ${chartCard(ctx, 'chart-latency', 'dashboard.latency')}
  ${perms.gaps ? chartCard(ctx, 'chart-gaps', 'dashboard.topGaps', true) : ''}
</div>
${perms.exports || perms.purge
  ? html`<section class="card data-card" aria-labelledby="data-title">
  <h2 id="data-title">${t('dashboard.data')}</h2>
  ${perms.exports
    ? html`<div class="data-block">
    <h3>${t('dashboard.export')}</h3>
    <p class="hint">${t('dashboard.exportHint')}</p>
    <p class="button-row">
      <a class="btn" id="export-csv" href="/staff/api/export?format=csv" download>${t('dashboard.exportCsv')}</a>
      <a class="btn" id="export-jsonl" href="/staff/api/export?format=jsonl" download>${t('dashboard.exportJsonl')}</a>
    </p>
  </div>`
    : ''}
  ${perms.purge
    ? html`<div class="data-block">
    <h3>${t('dashboard.purge')}</h3>
    <p class="hint">${t('dashboard.purgeHint')}</p>
    <p class="button-row"><button type="button" class="btn btn-danger" id="purge-open">${t('dashboard.purgeButton')}</button></p>
    <p id="purge-status" class="status-line" role="status" aria-live="polite"></p>
    <dialog id="purge-dialog" aria-labelledby="purge-dialog-title" aria-describedby="purge-dialog-text">
      <h2 id="purge-dialog-title">${t('dashboard.purgeConfirmTitle')}</h2>
      <p id="purge-dialog-text">${t('dashboard.purgeConfirmText')}</p>
      <form method="dialog" class="button-row">
        <button type="submit" value="cancel" class="btn" id="purge-cancel" autofocus>${t('common.cancel')}</button>
        <button type="submit" value="confirm" class="btn btn-danger" id="purge-confirm">${t('dashboard.purgeConfirm')}</button>
      </form>
    </dialog>
  </div>`
    : ''}
</section>`
  : ''}`;
}

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
      <select id="new-role" name="role">${options(['reviewer', 'editor', 'admin'], (v) => t(`roles.${v}`), 'reviewer')}</select>
    </div>
    <div class="filter-row"><div class="filter-actions"><button type="submit" class="btn btn-primary">${t('users.createSubmit')}</button></div></div>
  </form>
  <p id="user-create-status" class="status-line" role="status" aria-live="polite"></p>
</section>`;
}

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

export function forbiddenBody(ctx: PageContext, needed: Role): SafeHtml {
  const { t, user } = ctx;
  return html`<div class="card notice-card">
  <h1>${t('forbidden.title')}</h1>
  <p>${t('forbidden.text', { role: t(`roles.${needed}`), yours: user ? t(`roles.${user.role}`) : '' })}</p>
  <p><a class="btn" href="/staff">${t('forbidden.back')}</a></p>
</div>`;
}

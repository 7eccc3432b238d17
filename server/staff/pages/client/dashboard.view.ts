/** The dashboard page's body, rendered on the server; its behaviour is in ./dashboard.ts. */
import { html, SafeHtml, options, CHANNELS, dateFields, checkbox, on, type PageContext, type Query } from '../html.js';
import type { ChannelHealth } from '../../../../channels/core/channel-health.js';
import type { HandoffFigures } from '../../../handoff/desk-figures.js';

/** "12 phút" / "1 giờ 5 phút": the median wait to a first staff reply. */
function duration(ctx: PageContext, seconds: number | null): string {
  if (seconds === null) return ctx.t('common.none');
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? ctx.t('dashboard.handoff.minutes', { minutes }) : ctx.t('dashboard.handoff.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

/**
 * The staff desk's figures, rendered on the server at page load: open tickets and tickets past
 * target now, and the median time to a first staff reply per channel for tickets opened in the
 * chosen period.
 */
function handoffCard(ctx: PageContext, h: HandoffFigures | null): SafeHtml | string {
  const { t } = ctx;
  if (!h) return '';
  return html`<section class="card handoff-figures" id="handoff-figures" aria-labelledby="handoff-figures-title">
  <h2 id="handoff-figures-title">${t('dashboard.handoff.title')}</h2>
  <ul class="tiles">
    <li class="tile" data-figure="open"><span class="tile-value">${h.waiting + h.held}</span><span class="tile-label">${t('dashboard.handoff.open')}</span><span class="tile-sub">${t('dashboard.handoff.openSub', { waiting: h.waiting, held: h.held })}</span></li>
    <li class="tile${h.pastTarget ? ' tile-alert' : ''}" data-figure="past-target"><span class="tile-value">${h.pastTarget}</span><span class="tile-label">${t('dashboard.handoff.pastTarget')}</span></li>
  </ul>
  <div class="table-wrap">
    <table class="data-table compact" id="handoff-first-response">
      <caption>${t('dashboard.handoff.firstResponse')}</caption>
      <thead><tr><th scope="col">${t('dashboard.channel')}</th><th scope="col">${t('dashboard.handoff.tickets')}</th><th scope="col">${t('dashboard.handoff.answered')}</th><th scope="col">${t('dashboard.handoff.median')}</th></tr></thead>
      <tbody>
        ${h.firstResponse.length
          ? h.firstResponse.map(
              (f) => html`<tr data-channel="${f.channel}"><th scope="row">${t(`review.channels.${f.channel}`)}</th><td class="num">${f.tickets}</td><td class="num">${f.answered}</td><td class="num" data-median-seconds="${f.medianSeconds === null ? '' : String(Math.round(f.medianSeconds))}">${duration(ctx, f.medianSeconds)}</td></tr>`,
            )
          : html`<tr><td colspan="4" class="hint">${t('dashboard.noData')}</td></tr>`}
      </tbody>
    </table>
  </div>
</section>`;
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

/**
 * Each configured channel's delivery state, rendered on the server from the outbox and token store
 * at page load (a state that needs an operator must be visible without any script running).
 */
function channelHealthCard(ctx: PageContext, health: readonly ChannelHealth[]): SafeHtml | string {
  const { t } = ctx;
  if (!health.length) return '';
  return html`<section class="card channel-health" id="channel-health" aria-labelledby="channel-health-title">
  <h2 id="channel-health-title">${t('dashboard.channelHealth.title')}</h2>
  <ul class="channel-health-list">
    ${health.map(
      (h) => html`<li class="channel-health-item state-${h.state}" data-channel="${h.channel}" data-state="${h.state}">
      <strong>${t(`review.channels.${h.channel}`)}</strong>: <span class="channel-health-state">${t(`dashboard.channelHealth.${h.state}`)}</span>
      ${h.since !== null ? html` <span class="channel-health-since">${t('dashboard.channelHealth.since', { at: new Date(h.since).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' })}</span>` : ''}
      ${h.reason ? html`<br><span class="channel-health-reason">${t('dashboard.channelHealth.reason')}: ${h.reason}</span>` : ''}
      <br><span class="hint">${t('dashboard.channelHealth.waiting', { count: h.waiting })}</span>
      ${h.state === 'waiting_authorization' ? html`<br><span class="hint">${t('dashboard.channelHealth.authorizeHint')}</span>` : ''}
    </li>`,
    )}
  </ul>
</section>`;
}

export function dashboardBody(ctx: PageContext, q: Query, perms: { gaps: boolean; exports: boolean; purge: boolean }, channelHealth: readonly ChannelHealth[] = [], handoff: HandoffFigures | null = null): SafeHtml {
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
${channelHealthCard(ctx, channelHealth)}
${handoffCard(ctx, handoff)}
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
  ${chartCard(ctx, 'chart-outcome-codes', 'dashboard.outcomeCodes')}
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

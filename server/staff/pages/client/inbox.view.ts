/** The staff desk's body, rendered on the server; its behaviour is in ./inbox.ts. */
import { html, options, SafeHtml, type PageContext } from '../html.js';
import { CLOSE_REASONS, DESK_QUEUES } from '../../../domain/handoff.js';

export function inboxBody(ctx: PageContext, opts: { ticket?: string; supervisor: boolean }): SafeHtml {
  const { t } = ctx;
  const ticket = opts.ticket && /^[1-9]\d{0,11}$/.test(opts.ticket) ? opts.ticket : '';
  return html`<h1>${t('inbox.title')}</h1>
<p class="lead">${t('inbox.intro')}</p>
<p id="inbox-live" class="status-line" role="status" aria-live="polite">${t('inbox.connecting')}</p>
<div class="inbox" id="inbox" data-ticket="${ticket}" data-supervisor="${opts.supervisor ? 'true' : 'false'}">
  <section class="card inbox-queues" aria-labelledby="inbox-queues-title">
    <h2 id="inbox-queues-title" class="visually-hidden">${t('inbox.queues')}</h2>
    <div class="queue-tabs" role="tablist" aria-label="${t('inbox.queues')}">
      ${DESK_QUEUES.map(
        (q, i) => html`<button type="button" role="tab" class="queue-tab" id="tab-${q}" data-queue="${q}" aria-controls="ticket-list" aria-selected="${i === 0 ? 'true' : 'false'}">${t(`inbox.queue.${q}`)} <span class="queue-count" data-count="${q}">0</span></button>`,
      )}
    </div>
    <p id="list-status" class="status-line" role="status">${t('common.loading')}</p>
    <ul id="ticket-list" class="ticket-list" role="tabpanel" aria-labelledby="tab-waiting"></ul>
  </section>
  <section class="card inbox-ticket" id="ticket-view" aria-labelledby="ticket-title" hidden>
    <h2 id="ticket-title"></h2>
    <dl class="facts facts-compact" id="ticket-facts"></dl>
    <div class="button-row ticket-actions">
      <button type="button" class="btn btn-primary" id="act-claim" hidden>${t('inbox.claim')}</button>
      ${opts.supervisor ? html`<button type="button" class="btn" id="act-take-over" hidden>${t('inbox.takeOver')}</button>` : ''}
      <button type="button" class="btn" id="act-release" hidden>${t('inbox.release')}</button>
    </div>
    <p id="ticket-status" class="status-line" role="status" aria-live="polite"></p>
    <h3>${t('inbox.history')}</h3>
    <div class="chat" id="ticket-history"></div>
    <h3>${t('inbox.thread')}</h3>
    <div class="chat" id="ticket-thread"></div>
    <form id="reply-form" class="reply-form" novalidate hidden>
      <div class="field">
        <label for="canned">${t('inbox.canned')}</label>
        <select id="canned" aria-describedby="canned-hint"><option value="">${t('inbox.cannedNone')}</option></select>
        <span class="hint" id="canned-hint">${t('inbox.cannedHint')}</span>
      </div>
      <div class="field">
        <label for="reply-text">${t('inbox.reply')}</label>
        <textarea id="reply-text" name="text" rows="6" maxlength="4000" aria-describedby="reply-hint"></textarea>
        <span class="hint" id="reply-hint">${t('inbox.replyHint')}</span>
      </div>
      <div class="button-row"><button type="submit" class="btn btn-primary" id="reply-send">${t('inbox.send')}</button></div>
    </form>
    <div class="ticket-more" id="ticket-more" hidden>
      <form id="transfer-form" class="inline-form" novalidate>
        <label for="transfer-to">${t('inbox.transferTo')}</label>
        <select id="transfer-to" required></select>
        <button type="submit" class="btn">${t('inbox.transfer')}</button>
      </form>
      <form id="close-form" class="inline-form" novalidate>
        <label for="close-reason">${t('inbox.closeReason')}</label>
        <select id="close-reason" required>${options(CLOSE_REASONS, (r) => t(`inbox.reasons.${r}`), 'resolved')}</select>
        <button type="submit" class="btn btn-danger-quiet">${t('inbox.close')}</button>
      </form>
    </div>
  </section>
</div>`;
}

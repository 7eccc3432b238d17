/** The conversation page's body, rendered on the server; its behaviour is in ./conversation.ts. */
import { html, SafeHtml, type PageContext } from '../html.js';

export function conversationBody(ctx: PageContext, id: string): SafeHtml {
  const { t } = ctx;
  return html`<p class="back-link"><a href="/staff/review" id="back-to-queue">${t('conversation.back')}</a></p>
<h1>${t('conversation.title')}</h1>
<p class="lead">${t('conversation.intro')}</p>
<div id="conversation" data-conversation-id="${id}" aria-busy="true">
  <p class="status-line" role="status">${t('common.loading')}</p>
</div>`;
}

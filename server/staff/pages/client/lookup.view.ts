/** The lookup page's body, rendered on the server; its behaviour is in ./lookup.ts. */
import { html, SafeHtml, type PageContext } from '../html.js';

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

import { $, api, ApiError, clear, el, errorMessage, externalLink, fmtDateTime, setStatus, t } from './common.js';
import { placeholdersOf, renderInline, renderMarkdown } from './markdown.js';
import { buildChecklist, checklistText, type Checklist } from './checklist.js';
import type { DocDetail } from '../../lookup.js';

const root = $('#doc');
const id = root.dataset.docId ?? '';
const placeholders = placeholdersOf(root);

function fact(label: string, value: Node | string | null | undefined) {
  if (value === null || value === undefined || value === '') return null;
  return [el('dt', {}, label), el('dd', {}, value)];
}

function section(idPart: string, title: string, ...body: Array<Node | null>) {
  return el('section', { class: 'card doc-section', 'aria-labelledby': `sec-${idPart}` }, el('h2', { id: `sec-${idPart}` }, title), ...body);
}

function renderChecklist(c: Checklist): HTMLElement {
  const text = checklistText(c);
  const status = el('p', { class: 'status-line screen-only', role: 'status', 'aria-live': 'polite', id: 'copy-status' });
  const textarea = el('textarea', { id: 'checklist-text', readonly: true, rows: 8, spellcheck: 'false' });
  textarea.value = text;
  const copy = el('button', { type: 'button', class: 'btn btn-primary', id: 'copy-checklist' }, t('checklist.copy'));
  const print = el('button', { type: 'button', class: 'btn', id: 'print-checklist' }, t('checklist.print'));
  const details = el('details', { class: 'screen-only checklist-text' }, el('summary', {}, t('checklist.textLabel')), el('label', { for: 'checklist-text', class: 'visually-hidden' }, t('checklist.textLabel')), textarea);
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      setStatus(status, t('checklist.copied'), 'ok');
    } catch {
      // Clipboard API refused (permissions, older browser): select the text for a manual copy.
      details.open = true;
      textarea.focus();
      textarea.select();
      let ok = false;
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
      setStatus(status, ok ? t('checklist.copied') : t('checklist.copyFailed'), ok ? 'ok' : 'error');
    }
  });
  print.addEventListener('click', () => window.print());

  const empty = !c.documents.length && !c.steps.length;
  const body = el(
    'div',
    { class: 'checklist-body', id: 'checklist-body' },
    el('h3', { class: 'checklist-title' }, c.title),
    c.agency ? el('p', { class: 'checklist-agency' }, t('checklist.agency', { agency: c.agency })) : null,
    c.documents.length
      ? [el('h4', {}, t('checklist.documents')), el('ul', { class: 'checkboxes' }, c.documents.map((d) => el('li', {}, d)))]
      : null,
    c.steps.length
      ? [el('h4', {}, t('checklist.steps')), el('ol', { class: 'steps' }, c.steps.map((s) => el('li', {}, s.text, s.sub.length ? el('ul', {}, s.sub.map((x) => el('li', {}, x))) : null)))]
      : null,
    c.ways.length ? [el('h4', {}, t('checklist.ways')), el('ul', { class: 'ways' }, c.ways.map((w) => el('li', {}, w)))] : null,
    empty ? el('p', { class: 'hint' }, t('checklist.empty')) : null,
    c.footer ? el('p', { class: 'checklist-footer' }, c.footer) : null,
  );
  return el(
    'aside',
    { class: 'card checklist', id: 'checklist', 'aria-labelledby': 'checklist-heading' },
    el('h2', { id: 'checklist-heading', class: 'screen-only' }, t('checklist.title')),
    el('p', { class: 'hint screen-only' }, t('checklist.hint')),
    el('div', { class: 'button-row screen-only' }, copy, print),
    status,
    body,
    details,
  );
}

function renderProcedure(doc: DocDetail): Node[] {
  const r = doc.record!;
  const documents = r.documents.length
    ? el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { class: 'data-table', id: 'documents-table' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, '#'), el('th', { scope: 'col' }, t('doc.documentName')), el('th', { scope: 'col' }, t('doc.copies')), el('th', { scope: 'col' }, t('doc.form')))),
          el(
            'tbody',
            {},
            r.documents.map((d, i) =>
              el('tr', {}, el('td', {}, String(i + 1)), el('td', {}, d.name), el('td', {}, d.copies || t('common.none')), el('td', {}, d.formUrl ? externalLink(d.formUrl, t('doc.formLink')) : t('doc.noForm'))),
            ),
          ),
        ),
      )
    : el('p', { class: 'hint' }, t('doc.noDocuments'));
  const ways = r.ways.length
    ? el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { class: 'data-table', id: 'ways-table' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('doc.wayChannel')), el('th', { scope: 'col' }, t('doc.deadline')), el('th', { scope: 'col' }, t('doc.fee')), el('th', { scope: 'col' }, t('doc.description')))),
          el(
            'tbody',
            {},
            r.ways.map((w) =>
              el('tr', {}, el('th', { scope: 'row' }, w.channel || t('common.none')), el('td', {}, w.deadline || t('common.none')), el('td', {}, w.fee || t('doc.noFee')), el('td', { class: 'cell-text' }, w.description.replace(/^-\s*/, ''))),
            ),
          ),
        ),
      )
    : el('p', { class: 'hint' }, t('doc.noWays'));
  const steps = el('div', { class: 'md' });
  steps.appendChild(renderMarkdown(r.steps));
  return [section('documents', t('doc.documents'), documents), section('ways', t('doc.ways'), ways), section('steps', t('doc.steps'), steps)];
}

function renderArticle(doc: DocDetail): Node[] {
  return [
    doc.summary ? section('summary', t('doc.summary'), el('p', {}, ...renderInline(doc.summary, { placeholders }))) : null,
    ...doc.sections.map((s, i) => {
      const body = el('div', { class: 'md' });
      body.appendChild(renderMarkdown(s.text, { placeholders }));
      return section(String(i), s.heading, body);
    }),
  ].filter((x): x is HTMLElement => x !== null);
}

function render(doc: DocDetail): void {
  clear(root);
  document.title = `${doc.title} · ${t('app.console')}`;
  const r = doc.record;
  const facts = el(
    'dl',
    { class: 'facts' },
    fact(t('doc.agency'), r?.agency),
    fact(t('doc.recordDate'), r?.recordDate ?? null),
    fact(t('doc.updated'), r ? null : doc.updated),
    fact(t('doc.officialLink'), doc.url ? externalLink(doc.url, doc.url) : null),
    fact(t('doc.source'), r ? r.source : null),
    fact(t('doc.importedAt'), r?.importedAt ? fmtDateTime(r.importedAt) : null),
    fact(t('doc.topics'), doc.topics.length ? doc.topics.join(', ') : null),
  );
  const sources = doc.sources.length
    ? section(
        'sources',
        t('doc.sources'),
        el(
          'ul',
          { class: 'sources' },
          doc.sources.map((s) => el('li', {}, s.url ? externalLink(s.url, s.title) : s.title, s.ref ? el('span', { class: 'source-ref' }, ` — ${s.ref}`) : null)),
        ),
      )
    : null;
  root.append(
    el(
      'header',
      { class: 'doc-header' },
      el('p', { class: 'eyebrow' }, el('span', { class: `kind-badge kind-${doc.kind}` }, t(doc.kind === 'procedure' ? 'doc.kindProcedure' : 'doc.kindArticle'))),
      el('h1', { id: 'doc-title' }, doc.title),
      doc.verify ? el('p', { class: 'notice' }, t('doc.verify')) : null,
      facts,
    ),
    el('div', { class: 'doc-grid' }, el('div', { class: 'doc-details' }, ...(r ? renderProcedure(doc) : renderArticle(doc)), sources), renderChecklist(buildChecklist(doc, placeholders))),
  );
  root.removeAttribute('aria-busy');
}

api<DocDetail>(`/staff/api/docs/${encodeURIComponent(id)}`)
  .then(render)
  .catch((err) => {
    clear(root);
    root.removeAttribute('aria-busy');
    root.append(el('p', { class: 'status-line is-error', role: 'alert' }, err instanceof ApiError && err.status === 404 ? t('doc.notFound') : errorMessage(err)));
  });

import { $, api, ApiError, clear, el, errorMessage, fmtDateTime, fmtNumber, setStatus, t } from './common.js';
import type { DiffLine } from '../../../translation/diff.js';
import type { RevisionView } from '../../../translation/review.js';
import type { Revision } from '../../../translation/store.js';
import type { Suggestions } from '../../../translation/tm.js';

/** Unchanged lines kept around each change in a diff. */
const CONTEXT = 2;
const root = $('#revision');
const id = root.dataset.revisionId ?? '';
const back = document.getElementById('back-to-translations') as HTMLAnchorElement | null;

function statusPill(status: Revision['status']): HTMLElement {
  return el('span', { class: `status-pill revision-${status}`, id: 'revision-status', 'data-status': status }, t(`translations.statuses.${status}`));
}

/** The changed lines with a little context; runs of unchanged lines in between are folded. */
export function diffView(lines: readonly DiffLine[], label: string): HTMLElement {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.op === ' ') return;
    for (let j = Math.max(0, i - CONTEXT); j <= Math.min(lines.length - 1, i + CONTEXT); j++) keep[j] = true;
  });
  const items: HTMLElement[] = [];
  let folded = 0;
  const fold = () => {
    if (folded) items.push(el('li', { class: 'diff-line diff-fold' }, t('translations.unchangedLines', { count: folded })));
    folded = 0;
  };
  lines.forEach((l, i) => {
    if (!keep[i]) {
      folded++;
      return;
    }
    fold();
    const cls = l.op === '+' ? 'diff-add' : l.op === '-' ? 'diff-del' : 'diff-same';
    const text = l.text === '' ? '\u00a0' : l.text;
    items.push(
      el(
        'li',
        { class: `diff-line ${cls}` },
        el('span', { class: 'diff-sign', 'aria-hidden': 'true' }, l.op === ' ' ? '\u00a0' : l.op === '+' ? '+' : '−'),
        l.op === '+'
          ? el('ins', {}, el('span', { class: 'visually-hidden' }, `${t('translations.added')}: `), text)
          : l.op === '-'
            ? el('del', {}, el('span', { class: 'visually-hidden' }, `${t('translations.removed')}: `), text)
            : el('span', {}, text),
      ),
    );
  });
  fold();
  return el('ol', { class: 'diff', 'aria-label': label }, items);
}

function suggestions(s: Suggestions | null): HTMLElement | null {
  if (!s || (!s.tm.length && !s.terms.length)) return null;
  return el(
    'details',
    { class: 'suggestions' },
    el('summary', {}, t('translations.suggestions', { count: s.tm.length + s.terms.length })),
    el(
      'ul',
      { class: 'plain-list' },
      s.tm.map((m) => el('li', {}, el('span', { class: 'hint' }, `TM ${fmtNumber(m.score, 2)}: `), m.vi, ' → ', m.target)),
      s.terms.map((g) => el('li', {}, el('span', { class: 'hint' }, `${t('translations.glossary')}: `), g.term, ' → ', g.glosses.join(' / '))),
    ),
  );
}

function section(idName: string, heading: string, ...body: Array<Node | null>): HTMLElement {
  return el('section', { class: 'card', 'aria-labelledby': `${idName}-title`, id: idName }, el('h2', { id: `${idName}-title` }, heading), ...body);
}

function sideBySide(v: RevisionView): HTMLElement {
  const lang = v.revision.lang;
  return section(
    'segments',
    t('translations.sideBySide'),
    el('p', { class: 'hint' }, t('translations.sideBySideHint')),
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { class: 'data-table side-by-side', id: 'segments-table' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col' }, t('translations.unit')),
            el('th', { scope: 'col', lang: 'vi' }, t('translations.vietnamese')),
            el('th', { scope: 'col' }, t('translations.translation', { lang })),
          ),
        ),
        el(
          'tbody',
          {},
          v.segments.map((s) =>
            el(
              'tr',
              { 'data-unit': s.unit },
              el('th', { scope: 'row' }, el('code', {}, s.unit)),
              el('td', { class: 'segment-text', lang: 'vi' }, s.source),
              el('td', { class: 'segment-text segment-target', lang }, s.target || el('span', { class: 'hint' }, t('common.none')), suggestions(s.suggestions)),
            ),
          ),
        ),
      ),
    ),
  );
}

function sourceDiff(v: RevisionView): HTMLElement {
  const changed = v.sourceDiff.filter((l) => l.op !== ' ').length;
  return section(
    'source-diff',
    t('translations.sourceDiff'),
    el('p', { class: 'hint' }, t('translations.sourceDiffHint')),
    v.currentSource === null
      ? el('p', { class: 'notice' }, t('translations.sourceRemoved'))
      : changed
        ? el('p', { class: 'notice', id: 'source-changed' }, t('translations.sourceChanged', { count: changed }))
        : el('p', { class: 'status-line is-ok', id: 'source-unchanged' }, t('translations.sourceUnchanged')),
    changed
      ? diffView(v.sourceDiff, t('translations.sourceDiff'))
      : el('details', {}, el('summary', {}, t('translations.showSource')), el('pre', { class: 'source-text', lang: 'vi' }, v.sourceSnapshot)),
  );
}

function translationDiff(v: RevisionView): HTMLElement | null {
  if (v.approved === null || !v.translationDiff) return null;
  return section(
    'translation-diff',
    t('translations.translationDiff'),
    el('p', { class: 'hint' }, t('translations.translationDiffHint')),
    diffView(v.translationDiff, t('translations.translationDiff')),
  );
}

function decided(r: Revision): HTMLElement {
  return el(
    'p',
    { class: 'hint', id: 'decision-made' },
    r.reviewedBy ? t('translations.decidedBy', { status: t(`translations.statuses.${r.status}`), reviewer: r.reviewedBy, time: r.reviewedAt ? fmtDateTime(r.reviewedAt) : '' }) : t(`translations.statuses.${r.status}`),
    r.reviewNote ? el('span', { class: 'review-note' }, r.reviewNote) : null,
  );
}

function decisionForm(v: RevisionView, onDone: (r: Revision) => void): HTMLElement {
  const r = v.revision;
  const status = el('p', { class: 'status-line', role: 'status', 'aria-live': 'polite', id: 'decision-status' });
  const approve = el('button', { type: 'button', class: 'btn btn-primary', id: 'approve' }, t('translations.approve'));
  const reason = el('textarea', { id: 'reject-reason', name: 'reason', rows: 3, maxlength: 2000, required: true, 'aria-describedby': 'reject-reason-hint' });
  const reject = el('button', { type: 'submit', class: 'btn btn-danger-quiet', id: 'reject' }, t('translations.reject'));
  const buttons = [approve, reject, reason];
  const busy = (on: boolean) => buttons.forEach((b) => (on ? b.setAttribute('disabled', '') : b.removeAttribute('disabled')));
  const failed = (err: unknown) => {
    const code = err instanceof ApiError ? err.code : '';
    const known = ['self_review', 'not_pending', 'source_missing'].includes(code);
    setStatus(status, known ? t(`translations.errors.${code}`) : t('translations.failed', { message: errorMessage(err) }), 'error');
    busy(false);
  };

  approve.addEventListener('click', async () => {
    busy(true);
    setStatus(status, t('translations.saving'));
    try {
      const res = await api<{ revision: Revision; stale: boolean }>(`/staff/api/translations/revisions/${encodeURIComponent(String(r.id))}/approve`, { method: 'POST', body: {} });
      const served = t(res.revision.kind === 'article' ? 'translations.servedAfterIngest' : 'translations.servedAfterRestart');
      setStatus(status, `${t('translations.approved')} ${res.stale ? t('translations.approvedStale') : served}`, res.stale ? 'info' : 'ok');
      onDone(res.revision);
    } catch (err) {
      failed(err);
    }
  });

  const form = el(
    'form',
    { class: 'reject-form', id: 'reject-form', novalidate: true },
    el('div', { class: 'field' }, el('label', { for: 'reject-reason' }, t('translations.reason')), reason, el('span', { id: 'reject-reason-hint', class: 'hint' }, t('translations.reasonHint'))),
    el('p', { class: 'button-row' }, reject),
  ) as HTMLFormElement;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = reason.value.trim();
    if (!text) {
      reason.setAttribute('aria-invalid', 'true');
      setStatus(status, t('translations.reasonRequired'), 'error');
      reason.focus();
      return;
    }
    reason.removeAttribute('aria-invalid');
    busy(true);
    setStatus(status, t('translations.saving'));
    try {
      const res = await api<{ revision: Revision }>(`/staff/api/translations/revisions/${encodeURIComponent(String(r.id))}/reject`, { method: 'POST', body: { reason: text } });
      setStatus(status, t('translations.rejected'), 'ok');
      onDone(res.revision);
    } catch (err) {
      failed(err);
    }
  });

  return section(
    'decision',
    t('translations.decision'),
    v.sourceChanged ? el('p', { class: 'notice' }, t('translations.approveStaleWarning')) : null,
    el('p', { class: 'hint' }, t('translations.decisionHint')),
    el('div', { class: 'decision-grid' }, el('div', { class: 'decision-approve' }, el('p', { class: 'button-row' }, approve)), form),
    status,
  );
}

function render(v: RevisionView): void {
  const r = v.revision;
  if (back) back.href = `/staff/translations?lang=${encodeURIComponent(r.lang)}`;
  const pillBox = el('span', { class: 'pill-box' }, statusPill(r.status));
  const header = el(
    'section',
    { class: 'card revision-head', 'aria-labelledby': 'revision-title' },
    el('h2', { id: 'revision-title' }, `${t(`translations.kinds.${r.kind}`)}: `, el('code', {}, r.itemId), ' ', pillBox),
    el(
      'dl',
      { class: 'facts facts-compact' },
      [
        [t('translations.language'), r.lang],
        [t('translations.revision'), `#${r.id}`],
        [t('translations.translator'), r.translator],
        [t('translations.importedAt'), fmtDateTime(r.createdAt)],
        [t('translations.sourceHash'), el('code', {}, r.sourceHash.slice(0, 12))],
      ].map(([k, val]) => [el('dt', {}, k), el('dd', {}, val)]),
    ),
    r.overApproved ? el('p', { class: 'notice' }, t('translations.overApproved')) : null,
  );
  clear(root);
  root.append(header, sideBySide(v), sourceDiff(v));
  const td = translationDiff(v);
  if (td) root.append(td);
  if (r.status === 'pending') {
    const form = decisionForm(v, (done) => {
      clear(pillBox);
      pillBox.appendChild(statusPill(done.status));
      root.dataset.status = done.status;
      form.querySelector('.decision-grid')?.replaceWith(decided(done), el('p', {}, el('a', { class: 'btn', href: back?.href ?? '/staff/translations', id: 'back-after' }, t('translations.back'))));
      form.querySelector('.notice')?.remove();
    });
    root.append(form);
  } else {
    root.append(section('decision', t('translations.decision'), decided(r)));
  }
  root.dataset.status = r.status;
  root.removeAttribute('aria-busy');
}

api<RevisionView>(`/staff/api/translations/revisions/${encodeURIComponent(id)}`)
  .then(render)
  .catch((err) => {
    clear(root);
    root.removeAttribute('aria-busy');
    root.appendChild(el('p', { class: 'status-line is-error', role: 'alert' }, err instanceof ApiError && (err.status === 404 || err.status === 400) ? t('translations.notFound') : errorMessage(err)));
  });

import { $, api, clear, el, errorMessage, fmtDateTime, fmtNumber, setStatus, t } from './common.js';
import type { PackCompleteness } from '../../../translation/packs.js';
import type { PendingItem } from '../../../translation/review.js';

/** A language row of the list (the API leaves out the item lists). */
type Pack = Pick<PackCompleteness, 'lang' | 'name' | 'script' | 'provinces' | 'strings' | 'articles'>;

const tbody = $('#langs-table tbody');
const langsStatus = $('#langs-status');
const section = $('#pending-section');
const pendingStatus = $('#pending-status');
const list = $('#pending');
const title = $('#pending-title');
const canReview = section.dataset.canReview === 'true';
const exportBlock = document.getElementById('export-block');

const langHref = (lang: string) => `/staff/translations?lang=${encodeURIComponent(lang)}`;
const num = (n: number) => el('td', { class: 'num' }, fmtNumber(n));

function languageRow(p: Pack, pending: number, chosen: string): HTMLElement {
  const current = p.lang === chosen;
  return el(
    'tr',
    { 'data-lang': p.lang, class: current ? 'is-current' : '' },
    el(
      'th',
      { scope: 'row' },
      el('a', { href: langHref(p.lang), 'aria-current': current ? 'true' : null }, p.name),
      ' ',
      el('code', {}, p.lang),
      p.provinces.length ? el('div', { class: 'hint' }, t('translations.provinces', { list: p.provinces.join(', ') })) : null,
    ),
    el(
      'td',
      { class: 'num', 'data-col': 'strings' },
      t('translations.ofTotal', { n: fmtNumber(p.strings.translated), total: fmtNumber(p.strings.total) }),
      p.strings.stale ? el('div', { class: 'hint' }, t('translations.staleStrings', { n: fmtNumber(p.strings.stale) })) : null,
    ),
    num(p.articles.approved),
    num(p.articles.draft),
    num(p.articles.stale),
    num(p.articles.missing),
    el('td', { class: 'num', 'data-col': 'pending' }, pending ? el('span', { class: 'status-pill pending-pill' }, fmtNumber(pending)) : fmtNumber(0)),
  );
}

function pendingItem(it: PendingItem): HTMLElement {
  const label = `${t(`translations.kinds.${it.kind}`)}: ${it.itemId}`;
  return el(
    'li',
    { class: 'card pending-item', 'data-revision-id': it.id, 'data-item-id': it.itemId },
    el(
      'div',
      { class: 'pending-main' },
      canReview ? el('a', { class: 'pending-title', href: `/staff/translations/revisions/${it.id}` }, label) : el('span', { class: 'pending-title' }, label),
      el(
        'ul',
        { class: 'queue-meta' },
        el('li', {}, `#${it.id}`),
        el('li', {}, t('translations.by', { translator: it.translator })),
        el('li', {}, fmtDateTime(it.createdAt)),
        it.sourceChanged ? el('li', { class: 'status-pill warn-pill' }, t('translations.sourceChangedShort')) : null,
        it.overApproved ? el('li', { class: 'status-pill info-pill' }, t('translations.overApprovedShort')) : null,
      ),
    ),
    canReview
      ? el(
          'div',
          { class: 'pending-actions' },
          el('a', { class: 'btn', href: `/staff/translations/revisions/${it.id}`, 'aria-label': t('translations.openLabel', { item: label }) }, t('translations.open')),
        )
      : null,
  );
}

async function loadPending(lang: string, name: string): Promise<void> {
  title.textContent = t('translations.pendingFor', { name, lang });
  list.setAttribute('aria-busy', 'true');
  try {
    const body = await api<{ pending: PendingItem[] }>(`/staff/api/translations/languages/${encodeURIComponent(lang)}`);
    clear(list);
    for (const it of body.pending) list.appendChild(pendingItem(it));
    setStatus(pendingStatus, body.pending.length ? t('translations.pendingCount', { count: body.pending.length }) : t('translations.noPending'));
  } catch (err) {
    setStatus(pendingStatus, errorMessage(err), 'error');
  } finally {
    list.removeAttribute('aria-busy');
  }
  if (exportBlock) {
    (document.getElementById('export-xliff') as HTMLAnchorElement).href = `/staff/api/translations/export?lang=${encodeURIComponent(lang)}&format=xliff`;
    (document.getElementById('export-csv') as HTMLAnchorElement).href = `/staff/api/translations/export?lang=${encodeURIComponent(lang)}&format=csv`;
    exportBlock.hidden = false;
  }
}

async function load(): Promise<void> {
  tbody.parentElement?.setAttribute('aria-busy', 'true');
  try {
    const body = await api<{ packs: Pack[]; pending: Array<{ lang: string; kind: string; n: number }> }>('/staff/api/translations/languages');
    const pendingOf = (lang: string) => body.pending.filter((p) => p.lang === lang).reduce((sum, p) => sum + p.n, 0);
    // The language asked for in the address; otherwise the first one with work waiting.
    const asked = section.dataset.lang ?? '';
    const chosen = body.packs.find((p) => p.lang === asked) ?? body.packs.find((p) => pendingOf(p.lang) > 0) ?? null;
    clear(tbody);
    for (const p of body.packs) tbody.appendChild(languageRow(p, pendingOf(p.lang), chosen?.lang ?? ''));
    setStatus(langsStatus, body.packs.length ? '' : t('translations.noLanguages'));
    if (chosen) await loadPending(chosen.lang, chosen.name);
    else setStatus(pendingStatus, asked ? t('translations.unknownLanguage', { lang: asked }) : t('translations.chooseLanguage'));
  } catch (err) {
    setStatus(langsStatus, errorMessage(err), 'error');
  } finally {
    tbody.parentElement?.removeAttribute('aria-busy');
    document.body.dataset.ready = 'true';
  }
}

void load();

import { $, api, clear, el, errorMessage, setStatus, t } from './common.js';
import { placeholdersOf, plainInline } from './markdown.js';
import type { LookupHit as Hit } from '../../lookup.js';

/** What the lookup page works with: its elements, the search call and the address bar. */
export interface LookupDeps {
  input: HTMLInputElement;
  form: HTMLFormElement;
  status: HTMLElement;
  results: HTMLElement;
  /** The staff search API. */
  search(q: string): Promise<Hit[]>;
  /** Keeps the query in the address (bookmarkable, survives a reload). */
  showQuery(q: string): void;
  /** Typing pauses this long before a search (ms). */
  debounceMs: number;
}

/**
 * The instant search of the lookup page. Its state (the pending keystroke timer and the number of
 * the latest search, so a slow answer never overwrites a newer one) lives in this closure.
 */
export function createLookupPage(deps: LookupDeps) {
  const { input, form, status, results } = deps;
  const placeholders = placeholdersOf(results);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;

  function render(hits: Hit[], q: string): void {
    clear(results);
    setStatus(status, hits.length ? t('lookup.count', { count: hits.length }) : t('lookup.none', { q }));
    for (const h of hits) {
      results.appendChild(
        el(
          'li',
          { class: 'result' },
          el(
            'a',
            { href: `/staff/docs/${encodeURIComponent(h.id)}`, class: 'result-link', 'data-doc-id': h.id },
            el('span', { class: `kind-badge kind-${h.kind}` }, t(h.kind === 'procedure' ? 'lookup.procedure' : 'lookup.article')),
            el('span', { class: 'result-title' }, h.title),
          ),
          h.summary ? el('p', { class: 'result-summary' }, plainInline(h.summary, placeholders)) : null,
          h.updated ? el('p', { class: 'result-meta' }, t('lookup.updated', { date: h.updated })) : null,
        ),
      );
    }
  }

  async function search(q: string): Promise<void> {
    const mine = ++seq;
    deps.showQuery(q);
    if (!q.trim()) {
      clear(results);
      setStatus(status, t('lookup.start'));
      return;
    }
    setStatus(status, t('lookup.searching'));
    results.setAttribute('aria-busy', 'true');
    try {
      const hits = await deps.search(q.slice(0, 200));
      if (mine === seq) render(hits, q);
    } catch (err) {
      if (mine === seq) setStatus(status, errorMessage(err), 'error');
    } finally {
      if (mine === seq) results.removeAttribute('aria-busy');
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void search(input.value), deps.debounceMs);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    void search(input.value);
  });

  // Arrow keys move between the search box and the results.
  const links = () => Array.from(results.querySelectorAll<HTMLAnchorElement>('a.result-link'));
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && links().length) {
      event.preventDefault();
      links()[0].focus();
    }
  });
  results.addEventListener('keydown', (event) => {
    const list = links();
    const i = list.indexOf(document.activeElement as HTMLAnchorElement);
    if (i < 0) return;
    if (event.key === 'ArrowDown' && i < list.length - 1) {
      event.preventDefault();
      list[i + 1].focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      (i === 0 ? input : list[i - 1]).focus();
    }
  });

  return { search };
}

// The page: the real elements, the staff API and the address bar.
const page = createLookupPage({
  input: $('#lookup-q') as HTMLInputElement,
  form: $('#lookup-form') as HTMLFormElement,
  status: $('#lookup-status'),
  results: $('#lookup-results'),
  search: async (q) => (await api<{ hits: Hit[] }>(`/staff/api/search?q=${encodeURIComponent(q)}`)).hits,
  showQuery(q) {
    const url = new URL(location.href);
    if (q) url.searchParams.set('q', q);
    else url.searchParams.delete('q');
    history.replaceState(null, '', url.pathname + url.search);
  },
  debounceMs: 200,
});
const input = $('#lookup-q') as HTMLInputElement;
void page.search(input.value);
if (!input.value) input.focus();

/**
 * Stored answers and article sections as DOM on the staff pages: the browser kit's one Markdown
 * parser (server/browser-kit/markdown.ts), drawn with the staff pages' conventions — real headings,
 * links that open in a new tab and say so, `{{placeholder}}` fields filled from the province's
 * values or shown as a marked chip. Stored text is never parsed as HTML.
 */
import { parseInline, parseMarkdown, plainInline as kitPlainInline, type Block, type Inline } from '../../../browser-kit/markdown.js';
import { el, t } from './common.js';

export interface MarkdownOptions {
  /** Values for `{{placeholder}}` fields (province profile); missing ones are shown as a marked chip. */
  placeholders?: Record<string, string>;
}

// Articles are longer than answers; the page shows them whole.
const PARSE = { placeholders: true, maxChars: 500_000 } as const;

function link(href: string, children: Array<Node | string>): Node {
  return el('a', { href, target: '_blank', rel: 'noopener noreferrer nofollow' }, ...children, el('span', { class: 'visually-hidden' }, ` ${t('common.newTab')}`));
}

function draw(nodes: Inline[], opts: MarkdownOptions): Array<Node | string> {
  return nodes.flatMap((n): Array<Node | string> => {
    switch (n.t) {
      case 'text':
        return [n.v];
      case 'br':
        return [el('br')];
      case 'code':
        return [el('code', {}, n.v)];
      case 'strong':
        return [el('strong', {}, ...draw(n.c, opts))];
      case 'em':
        return [el('em', {}, ...draw(n.c, opts))];
      case 'link':
        return [link(n.href, draw(n.c, opts))];
      case 'placeholder': {
        const value = opts.placeholders?.[n.key];
        // A province value is profile data, drawn as Markdown without further placeholders.
        if (value) return draw(parseInline(value), {});
        return [el('span', { class: 'placeholder', title: t('doc.placeholder', { key: n.key }) }, `[${n.key}]`)];
      }
    }
  });
}

export function renderInline(text: string, opts: MarkdownOptions = {}): Array<Node | string> {
  return draw(parseInline(text, PARSE), opts);
}

function list(b: Extract<Block, { t: 'ul' | 'ol' }>, opts: MarkdownOptions): HTMLElement {
  const node = b.t === 'ol' ? el('ol', b.start !== 1 ? { start: b.start } : {}) : el('ul');
  b.items.forEach((item, i) => {
    const sub = b.subs?.[i];
    node.appendChild(el('li', {}, ...draw(item, opts), sub ? el('ul', {}, ...sub.map((s) => el('li', {}, ...draw(s, opts)))) : null));
  });
  return node;
}

/** Renders Markdown text into a fragment of safe DOM nodes. */
export function renderMarkdown(text: string, opts: MarkdownOptions = {}): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const b of parseMarkdown(text, PARSE)) {
    if (b.t === 'p') frag.appendChild(el('p', {}, ...draw(b.c, opts)));
    else if (b.t === 'h') frag.appendChild(el(`h${Math.min(6, b.level + 2)}` as 'h3', { class: 'md-heading' }, ...draw(b.c, opts)));
    else if (b.t === 'hr') frag.appendChild(el('hr'));
    else frag.appendChild(list(b, opts));
  }
  return frag;
}

/** Plain text of a Markdown line (for the copied checklist): markers removed, links as "text (url)". */
export function plainInline(text: string, placeholders: Record<string, string> = {}): string {
  return kitPlainInline(parseInline(text, PARSE), { targets: true, values: placeholders });
}

/** Province values a page was given in its `data-placeholders` attribute. */
export function placeholdersOf(node: HTMLElement): Record<string, string> {
  try {
    const parsed = JSON.parse(node.dataset.placeholders ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

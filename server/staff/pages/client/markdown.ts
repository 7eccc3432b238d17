/**
 * A small, safe Markdown renderer for stored answers and article sections: it builds DOM nodes
 * (text nodes, strong/em/code, lists, headings, http(s) links) and never parses stored text as HTML.
 */
import { el, t } from './common.js';

export interface MarkdownOptions {
  /** Values for `{{placeholder}}` fields (province profile); missing ones are shown as a marked chip. */
  placeholders?: Record<string, string>;
}

const INLINE =
  /(\*\*|__)(.+?)\1|`([^`]+)`|\[([^\]\n]+)\]\(([^)\s]+)\)|(?<![\p{L}\p{N}*])\*(?![\s*])([^*\n]+?)\*(?![\p{L}\p{N}*])|(?<![\p{L}\p{N}_])_(?![\s_])([^_\n]+?)_(?![\p{L}\p{N}_])|(https?:\/\/[^\s<>()]*[^\s<>().,;:!?'"\]])|\{\{\s*(\w+)\s*\}\}/gu;

function safeHref(url: string): string | null {
  try {
    const u = new URL(url, location.origin);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

function link(href: string, children: Array<Node | string>): Node {
  const safe = safeHref(href);
  if (!safe) return el('span', {}, ...children);
  return el('a', { href: safe, target: '_blank', rel: 'noopener noreferrer nofollow' }, ...children, el('span', { class: 'visually-hidden' }, ` ${t('common.newTab')}`));
}

export function renderInline(text: string, opts: MarkdownOptions = {}): Array<Node | string> {
  const out: Array<Node | string> = [];
  let last = 0;
  INLINE.lastIndex = 0;
  for (let m = INLINE.exec(text); m; m = INLINE.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1]) out.push(el('strong', {}, ...renderInline(m[2], opts)));
    else if (m[3] !== undefined) out.push(el('code', {}, m[3]));
    else if (m[4] !== undefined) out.push(link(m[5], renderInline(m[4], opts)));
    else if (m[6] !== undefined) out.push(el('em', {}, ...renderInline(m[6], opts)));
    else if (m[7] !== undefined) out.push(el('em', {}, ...renderInline(m[7], opts)));
    else if (m[8] !== undefined) out.push(link(m[8], [m[8]]));
    else if (m[9] !== undefined) {
      const value = opts.placeholders?.[m[9]];
      if (value) out.push(...renderInline(value, {}));
      else out.push(el('span', { class: 'placeholder', title: t('doc.placeholder', { key: m[9] }) }, `[${m[9]}]`));
    }
    // The regex is global and stateful: inner calls reset it, so resume from where this match ended.
    INLINE.lastIndex = last;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const ORDERED = /^(\s*)(\d{1,3})[.)]\s+(.*)$/;
const BULLET = /^(\s*)([-*+•])\s+(.*)$/;
const HEADING = /^(#{1,6})\s+(.*)$/;

/** Renders Markdown text into a fragment of safe DOM nodes. */
export function renderMarkdown(text: string, opts: MarkdownOptions = {}): DocumentFragment {
  const frag = document.createDocumentFragment();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  let list: HTMLOListElement | HTMLUListElement | null = null;
  let listMarker = '';
  let lastItem: HTMLLIElement | null = null;
  let nested: HTMLUListElement | null = null;

  const flushPara = () => {
    if (!para.length) return;
    const p = el('p');
    para.forEach((line, i) => {
      if (i) p.appendChild(el('br'));
      for (const n of renderInline(line, opts)) p.append(n);
    });
    frag.appendChild(p);
    para = [];
  };
  const endList = () => {
    list = null;
    lastItem = null;
    nested = null;
    listMarker = '';
  };

  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '');
    if (!line.trim()) {
      flushPara();
      endList();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flushPara();
      endList();
      const level = Math.min(6, heading[1].length + 2) as 3 | 4 | 5 | 6;
      frag.appendChild(el(`h${level}`, { class: 'md-heading' }, ...renderInline(heading[2], opts)));
      continue;
    }
    const ordered = ORDERED.exec(line);
    const bullet = ordered ? null : BULLET.exec(line);
    if (ordered || bullet) {
      flushPara();
      const indent = (ordered ?? bullet)![1].length;
      const marker = ordered ? '1' : bullet![2];
      const content = ordered ? ordered[3] : bullet![3];
      // Indented items, or "+" items inside a "-" list (as in procedure records), nest under the previous item.
      const isNested = Boolean(lastItem && (indent >= 2 || (bullet && marker === '+' && listMarker === '-')));
      if (isNested && lastItem) {
        if (!nested) {
          nested = el('ul');
          (lastItem as HTMLLIElement).appendChild(nested);
        }
        nested.appendChild(el('li', {}, ...renderInline(content, opts)));
        continue;
      }
      const wanted = ordered ? 'OL' : 'UL';
      if (!list || list.tagName !== wanted) {
        list = ordered ? el('ol', ordered[2] !== '1' ? { start: ordered[2] } : {}) : el('ul');
        frag.appendChild(list);
        listMarker = marker;
      }
      lastItem = el('li', {}, ...renderInline(content, opts));
      nested = null;
      list.appendChild(lastItem);
      continue;
    }
    if (list && lastItem && /^\s{2,}\S/.test(raw)) {
      // A continuation line of a list item.
      lastItem.append(el('br'), ...renderInline(line.trim(), opts));
      continue;
    }
    endList();
    para.push(line);
  }
  flushPara();
  return frag;
}

/** Plain text of a Markdown line (for the copied checklist): markers removed, links as "text (url)". */
export function plainInline(text: string, placeholders: Record<string, string> = {}): string {
  return text
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(?<![\p{L}\p{N}_])_(?![\s_])([^_\n]+?)_(?![\p{L}\p{N}_])/gu, '$1')
    .replace(/(?<![\p{L}\p{N}*])\*(?![\s*])([^*\n]+?)\*(?![\p{L}\p{N}*])/gu, '$1')
    .replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => placeholders[key] || `[${key}]`);
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

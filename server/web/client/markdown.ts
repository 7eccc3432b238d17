/**
 * The small Markdown subset answers use, parsed to a tree (no HTML is ever produced or
 * interpreted): paragraphs with line breaks, **bold**, __bold__, _italic_, *italic*, numbered and
 * bulleted lists, horizontal rules, `#` headings (shown as bold lines), [links](url) and bare
 * http(s) URLs. Only http, https and tel links become links; any other link is kept as its text.
 * Phone numbers in plain text become tel: links (see phone.ts).
 */
import { findPhones } from './phone.js';

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'br' }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'link'; href: string; external: boolean; c: Inline[] };

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; c: Inline[] }
  | { t: 'ul'; items: Inline[][] }
  | { t: 'ol'; start: number; items: Inline[][] }
  | { t: 'hr' };

const MAX_SOURCE = 20_000;

function hasControlOrSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

/** The href to use for a link target, or null when it is not an http(s) or tel link. */
export function safeHref(raw: string): string | null {
  const url = raw.trim();
  if (/^tel:\+?[\d.\- ()]{3,20}$/i.test(url)) return `tel:${url.slice(4).replace(/[^\d+]/g, '')}`;
  // Control characters and whitespace inside a scheme are how "java\tscript:" tricks work: refuse them.
  if (!url || hasControlOrSpace(url)) return null;
  if (!/^https?:\/\//i.test(url)) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    if (parsed.username || parsed.password) return null;
    return parsed.href;
  } catch {
    return null;
  }
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);
const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
const BARE_URL = /^https?:\/\/[^\s<>"'`()[\]{}]+/i;
const TRAILING_PUNCT = /[.,;:!?]+$/;

/** Index of the ")" closing a link target that starts at `from` (parentheses may nest), or -1. */
function targetEnd(s: string, from: number): number {
  let depth = 1;
  for (let j = from; j < s.length; j++) {
    const c = s[j];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
    else if (c === '\n') return -1;
  }
  return -1;
}

interface InlineState {
  /** Plain text already emitted on this line, so that a number's context ("gọi …") is known. */
  before: string;
  links: boolean;
}

function pushText(out: Inline[], text: string, state: InlineState): void {
  if (!text) return;
  if (!state.links) {
    out.push({ t: 'text', v: text });
    state.before += text;
    return;
  }
  const full = state.before + text;
  const offset = state.before.length;
  let pos = 0;
  for (const m of findPhones(full)) {
    if (m.start < offset) continue;
    const s = m.start - offset;
    if (s > pos) out.push({ t: 'text', v: text.slice(pos, s) });
    out.push({ t: 'link', href: `tel:${m.tel}`, external: false, c: [{ t: 'text', v: m.text }] });
    pos = m.end - offset;
  }
  if (pos < text.length) out.push({ t: 'text', v: text.slice(pos) });
  state.before = full.slice(-64);
}

/** Finds the closing delimiter of an emphasis run starting at `from`, or -1. */
function closing(s: string, delim: string, from: number): number {
  let j = s.indexOf(delim, from);
  while (j !== -1) {
    const ok = !isSpace(s[j - 1]) && (delim[0] !== '_' || !isWordChar(s[j + delim.length]));
    if (ok && j > from) return j;
    j = s.indexOf(delim, j + 1);
  }
  return -1;
}

function parseInlineInto(s: string, out: Inline[], state: InlineState): void {
  let buf = '';
  let i = 0;
  const flush = () => {
    pushText(out, buf, state);
    buf = '';
  };
  while (i < s.length) {
    const c = s[i];
    // **bold** / __bold__
    if ((c === '*' || c === '_') && s[i + 1] === c && !isSpace(s[i + 2]) && (c === '*' || !isWordChar(s[i - 1]))) {
      const j = closing(s, c + c, i + 2);
      if (j !== -1) {
        flush();
        const node: Inline = { t: 'strong', c: [] };
        parseInlineInto(s.slice(i + 2, j), node.c, state);
        out.push(node);
        i = j + 2;
        continue;
      }
    }
    // *italic* / _italic_
    if ((c === '*' || c === '_') && s[i + 1] !== c && !isSpace(s[i + 1]) && !isWordChar(s[i - 1])) {
      const j = closing(s, c, i + 1);
      if (j !== -1 && s[j + 1] !== c) {
        flush();
        const node: Inline = { t: 'em', c: [] };
        parseInlineInto(s.slice(i + 1, j), node.c, state);
        out.push(node);
        i = j + 1;
        continue;
      }
    }
    // [label](target)
    if (c === '[') {
      const close = s.indexOf('](', i + 1);
      const end = close === -1 ? -1 : targetEnd(s, close + 2);
      if (close !== -1 && end !== -1 && !s.slice(i + 1, close).includes('[')) {
        const label = s.slice(i + 1, close);
        const target = s.slice(close + 2, end);
        flush();
        const href = state.links ? safeHref(target) : null;
        if (href) {
          const node: Inline = { t: 'link', href, external: !href.startsWith('tel:'), c: [] };
          parseInlineInto(label, node.c, { before: '', links: false });
          state.before += label;
          out.push(node);
        } else {
          // Not a link we allow: keep only the words, never the target.
          parseInlineInto(label, out, { ...state, links: false });
          state.before += label;
        }
        i = end + 1;
        continue;
      }
    }
    // Bare URL
    if ((c === 'h' || c === 'H') && state.links && !isWordChar(s[i - 1])) {
      const m = BARE_URL.exec(s.slice(i));
      if (m) {
        const url = m[0].replace(TRAILING_PUNCT, '');
        const href = safeHref(url);
        if (href) {
          flush();
          out.push({ t: 'link', href, external: true, c: [{ t: 'text', v: url }] });
          state.before += url;
          i += url.length;
          continue;
        }
      }
    }
    buf += c;
    i++;
  }
  flush();
}

export function parseInline(s: string, links = true): Inline[] {
  const out: Inline[] = [];
  parseInlineInto(s, out, { before: '', links });
  return out;
}

const UL_ITEM = /^\s{0,3}[-*+•]\s+(.*)$/;
const OL_ITEM = /^\s{0,3}(\d{1,4})[.)]\s+(.*)$/;
const HR = /^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.slice(0, MAX_SOURCE).replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] | null = null;
  let list: { t: 'ul' | 'ol'; start: number; items: string[] } | null = null;

  const endPara = () => {
    if (para) {
      const c: Inline[] = [];
      para.forEach((line, n) => {
        if (n > 0) c.push({ t: 'br' });
        c.push(...parseInline(line));
      });
      blocks.push({ t: 'p', c });
    }
    para = null;
  };
  const endList = () => {
    if (list) {
      const items = list.items.map((item) => parseInline(item));
      blocks.push(list.t === 'ul' ? { t: 'ul', items } : { t: 'ol', start: list.start, items });
    }
    list = null;
  };

  for (const line of lines) {
    if (!line.trim()) {
      endPara();
      endList();
      continue;
    }
    if (HR.test(line)) {
      endPara();
      endList();
      blocks.push({ t: 'hr' });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      endPara();
      endList();
      blocks.push({ t: 'h', c: parseInline(heading[1]) });
      continue;
    }
    const ul = UL_ITEM.exec(line);
    const ol = ul ? null : OL_ITEM.exec(line);
    if (ul || ol) {
      endPara();
      const kind = ul ? 'ul' : 'ol';
      const current = list as { t: 'ul' | 'ol'; start: number; items: string[] } | null;
      if (!current || current.t !== kind) {
        endList();
        list = { t: kind, start: ol ? Number(ol[1]) : 1, items: [] };
      }
      list!.items.push(ul ? ul[1] : ol![2]);
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      // An indented line continues the previous list item.
      const current = list as { items: string[] };
      current.items[current.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    endList();
    (para ??= []).push(line.trim());
  }
  endPara();
  endList();
  return blocks;
}

/** Plain text of parsed Markdown, for the screen-reader announcement. */
export function plainText(blocks: Block[]): string {
  const inline = (c: Inline[]): string => c.map((n) => (n.t === 'text' ? n.v : n.t === 'br' ? ' ' : 'c' in n ? inline(n.c) : '')).join('');
  return blocks
    .map((b) => (b.t === 'p' || b.t === 'h' ? inline(b.c) : b.t === 'hr' ? '' : b.items.map(inline).join('; ')))
    .filter(Boolean)
    .join(' ');
}

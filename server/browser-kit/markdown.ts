/**
 * The one Markdown parser of the widget and the staff pages: the small subset answers and articles
 * use, parsed to a tree (no HTML is ever produced or interpreted): paragraphs with line breaks,
 * **bold**, __bold__, _italic_, *italic*, `code`, numbered and bulleted lists with one level of
 * nesting, horizontal rules, `#` headings, [links](url) and bare http(s) URLs, and (for the staff
 * pages, which show articles before the province's values are filled in) `{{placeholder}}` fields.
 * Only http, https and tel links become links; any other link is kept as its text. Each page
 * renders the tree with its own DOM conventions (web/client/dom.ts, staff/pages/client/markdown.ts).
 */

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'br' }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'code'; v: string }
  | { t: 'placeholder'; key: string }
  /** `target` is the link target as written, for plain-text copies ("label (target)"). */
  | { t: 'link'; href: string; external: boolean; c: Inline[]; target?: string };

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: number; c: Inline[] }
  /** `subs[i]`, when present, is the nested list under item i ("  - …", or "+ …" items in a "-" list). */
  | { t: 'ul'; items: Inline[][]; subs?: Array<Inline[][] | undefined> }
  | { t: 'ol'; start: number; items: Inline[][]; subs?: Array<Inline[][] | undefined> }
  | { t: 'hr' };

/** A phone number found in plain text, to become a tel: link (the widget's phone.ts). */
export interface PhoneSpan {
  start: number;
  end: number;
  text: string;
  tel: string;
}

export interface MarkdownOptions {
  /** Finds phone numbers in plain text (the widget makes them tap-to-call); none when absent. */
  phones?: (text: string) => Iterable<PhoneSpan>;
  /** Recognise `{{key}}` fields (staff pages); otherwise they are plain text. */
  placeholders?: boolean;
  /** Longer sources are cut (an answer is far shorter; an article page passes more). */
  maxChars?: number;
}

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
  opts: MarkdownOptions;
}

function pushText(out: Inline[], text: string, state: InlineState): void {
  if (!text) return;
  const phones = state.opts.phones;
  if (!state.links || !phones) {
    out.push({ t: 'text', v: text });
    state.before += text;
    return;
  }
  const full = state.before + text;
  const offset = state.before.length;
  let pos = 0;
  for (const m of phones(full)) {
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
    // `code`
    if (c === '`') {
      const j = s.indexOf('`', i + 1);
      if (j > i + 1) {
        flush();
        out.push({ t: 'code', v: s.slice(i + 1, j) });
        state.before += s.slice(i + 1, j);
        i = j + 1;
        continue;
      }
    }
    // {{placeholder}}
    if (c === '{' && s[i + 1] === '{' && state.opts.placeholders) {
      const m = /^\{\{\s*(\w+)\s*\}\}/.exec(s.slice(i));
      if (m) {
        flush();
        out.push({ t: 'placeholder', key: m[1] });
        i += m[0].length;
        continue;
      }
    }
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
          const node: Inline = { t: 'link', href, external: !href.startsWith('tel:'), c: [], target };
          parseInlineInto(label, node.c, { before: '', links: false, opts: state.opts });
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

export function parseInline(s: string, opts: MarkdownOptions = {}, links = true): Inline[] {
  const out: Inline[] = [];
  parseInlineInto(s, out, { before: '', links, opts });
  return out;
}

const UL_ITEM = /^(\s*)([-*+•])\s+(.*)$/;
const OL_ITEM = /^(\s*)(\d{1,4})[.)]\s+(.*)$/;
const HR = /^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

interface OpenList {
  t: 'ul' | 'ol';
  start: number;
  marker: string;
  items: string[];
  subs: Array<string[] | undefined>;
}

export function parseMarkdown(source: string, opts: MarkdownOptions = {}): Block[] {
  const lines = source.slice(0, opts.maxChars ?? MAX_SOURCE).replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] | null = null;
  let list: OpenList | null = null;
  const parseInline_ = (s: string) => parseInline(s, opts);

  const endPara = () => {
    if (para) {
      const c: Inline[] = [];
      para.forEach((line, n) => {
        if (n > 0) c.push({ t: 'br' });
        c.push(...parseInline_(line));
      });
      blocks.push({ t: 'p', c });
    }
    para = null;
  };
  const endList = () => {
    const open = list as OpenList | null;
    if (open) {
      const items = open.items.map(parseInline_);
      const subs = open.subs.some(Boolean) ? { subs: open.subs.map((sub) => sub?.map(parseInline_)) } : {};
      blocks.push(open.t === 'ul' ? { t: 'ul', items, ...subs } : { t: 'ol', start: open.start, items, ...subs });
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
      blocks.push({ t: 'h', level: heading[1].length, c: parseInline_(heading[2]) });
      continue;
    }
    const ul = UL_ITEM.exec(line);
    const ol = ul ? null : OL_ITEM.exec(line);
    if (ul || ol) {
      endPara();
      const kind = ul ? 'ul' : 'ol';
      const indent = (ul ?? ol)![1].length;
      const marker = ul ? ul[2] : '1';
      const content = ul ? ul[3] : ol![3];
      const current = list as OpenList | null;
      // Indented items, or "+" items inside a "-" list (as procedure records write them), nest
      // under the previous item.
      if (current && current.items.length && (indent >= 2 || (marker === '+' && current.marker === '-'))) {
        const at = current.items.length - 1;
        (current.subs[at] ??= []).push(content);
        continue;
      }
      if (!current || current.t !== kind) {
        endList();
        list = { t: kind, start: ol ? Number(ol[2]) : 1, marker, items: [], subs: [] };
      }
      list!.items.push(content);
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      // An indented line continues the previous list item (or its last nested item).
      const current = list as OpenList;
      const at = current.items.length - 1;
      const sub = current.subs[at];
      if (sub) sub[sub.length - 1] += ` ${line.trim()}`;
      else current.items[at] += ` ${line.trim()}`;
      continue;
    }
    endList();
    (para ??= []).push(line.trim());
  }
  endPara();
  endList();
  return blocks;
}

/**
 * Plain text of inline nodes. Links keep their words; with `targets`, a written link also keeps its
 * target ("label (url)", for copied checklists). Placeholders become `values[key]` or "[key]".
 */
export function plainInline(c: Inline[], opts: { targets?: boolean; values?: Record<string, string> } = {}): string {
  return c
    .map((n): string => {
      if (n.t === 'text' || n.t === 'code') return n.v;
      if (n.t === 'br') return ' ';
      if (n.t === 'placeholder') return opts.values?.[n.key] || `[${n.key}]`;
      if (n.t === 'link') {
        const words = plainInline(n.c, opts);
        return opts.targets && n.target !== undefined ? `${words} (${n.target})` : words;
      }
      return plainInline(n.c, opts);
    })
    .join('');
}

/** Plain text of parsed Markdown, for the screen-reader announcement. */
export function plainText(blocks: Block[]): string {
  const inline = (c: Inline[]) => plainInline(c);
  return blocks
    .map((b) => (b.t === 'p' || b.t === 'h' ? inline(b.c) : b.t === 'hr' ? '' : b.items.map(inline).join('; ')))
    .filter(Boolean)
    .join(' ');
}

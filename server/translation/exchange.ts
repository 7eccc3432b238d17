/**
 * The two exchange formats translators work in: XLIFF 2.0 (for CAT tools) and CSV (for a
 * spreadsheet). Both carry the same units — one per UI string, one per article segment — with
 * the same ids, Markdown source, target, notes and translator-only suggestions.
 *
 * Unit ids (NMTOKEN-safe, identical in both formats):
 *   s:<namespace>:<key>:<hash12>        a UI / reply-template string
 *   a:<article-id>:<hash12>:<unit>      an article segment (title, summary, b1, b2 …)
 * hash12 = the first 12 hex digits of the sha256 of the Vietnamese source (the string's UTF-8
 * text, or the article file's exact bytes) the unit was exported from.
 */
import { escapeXml, parseXml, childElements, localName, textContent, XmlError, type XmlElement } from './xml.js';
import { HEADING, LIST_MARKER } from './markdown-segments.js';
import { csvField, parseCsvObjects, CsvError } from './csv.js';

export const XLIFF_NS = 'urn:oasis:names:tc:xliff:document:2.0';
export const MDA_NS = 'urn:oasis:names:tc:xliff:metadata:2.0';

export interface ExchangeUnit {
  id: string;
  source: string;
  target: string;
  /** Context for the translator (what the text is, the previous translation of a stale unit). */
  notes: string[];
  /** Translation-memory and glossary suggestions; for translators only. */
  suggestions: string[];
  /** Where the unit starts in the imported file (for error messages); absent on export. */
  line?: number;
}

export interface ExchangeDoc {
  srcLang: string;
  trgLang: string;
  translator: string | null;
  units: ExchangeUnit[];
}

export type UnitRef =
  | { kind: 'string'; ns: string; key: string; hash12: string }
  | { kind: 'article'; articleId: string; hash12: string; unit: string };

const HASH12 = /^[0-9a-f]{12}$/;

export function stringUnitId(ns: string, key: string, hash: string): string {
  return `s:${ns}:${key}:${hash.slice(0, 12)}`;
}
export function articleUnitId(articleId: string, hash: string, unit: string): string {
  return `a:${articleId}:${hash.slice(0, 12)}:${unit}`;
}

/**
 * The characters an exported id is made of. Ids end up in file paths (an article's draft file is
 * knowledge/articles/<lang>/<article-id>.md), so anything else — `../`, a slash, a backslash, an
 * absolute path, control characters — means the file was tampered with, not translated.
 */
const ID_PART = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Why a unit id is not one we could have exported, or null when its shape is safe. */
export function unsafeUnitId(id: string): string | null {
  if (!/^[A-Za-z0-9_.:-]+$/.test(id)) return 'has characters outside letters, digits and . _ - : (ids must stay as exported)';
  const parts = id.split(':');
  if (parts.some((p) => p === '' || !ID_PART.test(p))) return 'has an empty part or a path step such as ".." (ids must stay as exported)';
  return null;
}

export function parseUnitId(id: string): UnitRef | null {
  if (unsafeUnitId(id)) return null;
  const parts = id.split(':');
  if (parts[0] === 's' && parts.length === 4 && HASH12.test(parts[3]) && parts[1] && parts[2]) {
    return { kind: 'string', ns: parts[1], key: parts[2], hash12: parts[3] };
  }
  if (parts[0] === 'a' && parts.length === 4 && HASH12.test(parts[2]) && parts[1] && /^(title|summary|b\d+)$/.test(parts[3])) {
    return { kind: 'article', articleId: parts[1], hash12: parts[2], unit: parts[3] };
  }
  return null;
}

// ---------------------------------------------------------------------------
// Markdown ⇄ XLIFF inline codes

export type Inline = { t: 'text'; v: string } | { t: 'ph'; data: string } | { t: 'pc'; start: string; end: string; kids: Inline[] };

/** Inline nodes → Markdown (the inverse of markdownToInline). */
export function inlineToMarkdown(nodes: readonly Inline[]): string {
  return nodes.map((n) => (n.t === 'text' ? n.v : n.t === 'ph' ? n.data : n.start + inlineToMarkdown(n.kids) + n.end)).join('');
}

const PLACEHOLDER_AT = /\{\{\s*[A-Za-z0-9_.-]+\s*\}\}/y;
const LINK_AT = /\[([^\]\n]*)\]\(([^)\s]*)\)/y;
const NEWLINE_AT = /\n[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?/y;

/** Markdown → inline nodes: the leading marker, placeholders and line breaks become <ph>, bold and links <pc>. */
export function markdownToInline(md: string, atStart = true): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
  };
  let k = 0;
  if (atStart) {
    const first = HEADING.exec(md) ?? LIST_MARKER.exec(md);
    if (first) {
      out.push({ t: 'ph', data: first[0] });
      k = first[0].length;
    }
  }
  while (k < md.length) {
    PLACEHOLDER_AT.lastIndex = k;
    LINK_AT.lastIndex = k;
    NEWLINE_AT.lastIndex = k;
    let m: RegExpExecArray | null;
    if ((m = PLACEHOLDER_AT.exec(md))) {
      flush();
      out.push({ t: 'ph', data: m[0] });
      k += m[0].length;
    } else if (md[k] === '\n' && (m = NEWLINE_AT.exec(md))) {
      flush();
      out.push({ t: 'ph', data: m[0] });
      k += m[0].length;
    } else if (md.startsWith('**', k) && md.indexOf('**', k + 2) > k + 2) {
      const end = md.indexOf('**', k + 2);
      flush();
      out.push({ t: 'pc', start: '**', end: '**', kids: markdownToInline(md.slice(k + 2, end), false) });
      k = end + 2;
    } else if (md[k] === '[' && (m = LINK_AT.exec(md))) {
      flush();
      out.push({ t: 'pc', start: '[', end: `](${m[2]})`, kids: markdownToInline(m[1], false) });
      k += m[0].length;
    } else {
      text += md[k];
      k++;
    }
  }
  flush();
  return out;
}

class DataTable {
  readonly byValue = new Map<string, string>();
  id(value: string): string {
    let id = this.byValue.get(value);
    if (!id) {
      id = `d${this.byValue.size + 1}`;
      this.byValue.set(value, id);
    }
    return id;
  }
}

/** Inline code ids: the source numbers its codes in order; the target reuses the id of the source code with the same data. */
class CodeIds {
  private n = 0;
  private readonly bySignature = new Map<string, number[]>();
  constructor(private readonly source?: CodeIds) {}
  next(signature: string): number {
    const queue = this.source?.bySignature.get(signature);
    const reused = queue?.shift();
    if (reused !== undefined) return reused;
    const id = this.source ? 1000 + ++this.n : ++this.n;
    this.bySignature.set(signature, [...(this.bySignature.get(signature) ?? []), id]);
    return id;
  }
  /** A copy whose queues the target consumes (so the source's own table is kept). */
  forTarget(): CodeIds {
    const copy = new CodeIds();
    for (const [k, v] of this.bySignature) copy.bySignature.set(k, [...v]);
    return new CodeIds(copy);
  }
}

function inlineToXml(nodes: readonly Inline[], data: DataTable, ids: CodeIds): string {
  return nodes
    .map((n) => {
      if (n.t === 'text') return escapeXml(n.v);
      if (n.t === 'ph') return `<ph id="${ids.next(`ph\u0000${n.data}`)}" dataRef="${data.id(n.data)}" disp="${escapeXml(n.data.replace(/\n/g, '↵'), true)}"/>`;
      const id = ids.next(`pc\u0000${n.start}\u0000${n.end}`);
      return `<pc id="${id}" dataRefStart="${data.id(n.start)}" dataRefEnd="${data.id(n.end)}" dispStart="${escapeXml(n.start, true)}" dispEnd="${escapeXml(n.end, true)}">${inlineToXml(n.kids, data, ids)}</pc>`;
    })
    .join('');
}

/** Source and target as XLIFF inline content sharing one originalData table; target codes reuse the source's ids. */
function unitContent(source: string, target: string): { source: string; target: string; data: DataTable } {
  const data = new DataTable();
  const ids = new CodeIds();
  const src = inlineToXml(markdownToInline(source), data, ids);
  const trg = target ? inlineToXml(markdownToInline(target), data, ids.forTarget()) : '';
  return { source: src, target: trg, data };
}

/** XLIFF inline content → Markdown, resolving codes through the unit's originalData. */
function xmlToMarkdown(el: XmlElement, data: ReadonlyMap<string, string>, unitId: string): string {
  const ref = (child: XmlElement, attr: string): string => {
    const id = child.attrs[attr];
    if (id === undefined) {
      // Tools may drop dataRef and keep equiv/disp; accept a copy of the original code only.
      const equiv = child.attrs[attr === 'dataRef' ? 'equiv' : attr === 'dataRefStart' ? 'equivStart' : 'equivEnd'];
      if (equiv !== undefined && [...data.values()].includes(equiv)) return equiv;
      throw new ExchangeError(unitId, `<${localName(child)} id="${child.attrs.id ?? '?'}"> has no ${attr}: keep the inline codes of the source`);
    }
    const v = data.get(id);
    if (v === undefined) throw new ExchangeError(unitId, `<${localName(child)}> refers to unknown original data "${id}"`);
    return v;
  };
  let out = '';
  for (const c of el.children) {
    if (c.type === 'text') {
      out += c.value;
      continue;
    }
    switch (localName(c)) {
      case 'ph':
        out += ref(c, 'dataRef');
        break;
      case 'pc':
        out += ref(c, 'dataRefStart') + xmlToMarkdown(c, data, unitId) + ref(c, 'dataRefEnd');
        break;
      case 'sc':
        out += ref(c, 'dataRef');
        break;
      case 'ec':
        out += ref(c, 'dataRef');
        break;
      case 'mrk':
        out += xmlToMarkdown(c, data, unitId);
        break;
      case 'cp': {
        const hex = c.attrs.hex;
        if (!hex || !/^[0-9A-Fa-f]{1,6}$/.test(hex)) throw new ExchangeError(unitId, '<cp> without a valid hex attribute');
        out += String.fromCodePoint(parseInt(hex, 16));
        break;
      }
      default:
        throw new ExchangeError(unitId, `unexpected <${c.name}> inside ${localName(el)}`);
    }
  }
  return out;
}

export class ExchangeError extends Error {
  constructor(
    readonly unitId: string | null,
    message: string,
  ) {
    super(unitId ? `${unitId}: ${message}` : message);
  }
}

// ---------------------------------------------------------------------------
// XLIFF 2.0

function fileKey(id: string): string {
  const ref = parseUnitId(id);
  if (!ref) return 'other';
  return ref.kind === 'string' ? `strings-${ref.ns}` : `article-${ref.articleId}`;
}

function fileOriginal(id: string): string | null {
  const ref = parseUnitId(id);
  if (!ref) return null;
  return ref.kind === 'string' ? `server/i18n/locales/vi/${ref.ns}.json` : `knowledge/articles/vi/${ref.articleId}.md`;
}

export function writeXliff(doc: ExchangeDoc): string {
  const files = new Map<string, ExchangeUnit[]>();
  for (const u of doc.units) {
    const k = fileKey(u.id);
    files.set(k, [...(files.get(k) ?? []), u]);
  }
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xliff xmlns="${XLIFF_NS}" xmlns:mda="${MDA_NS}" version="2.0" srcLang="${escapeXml(doc.srcLang, true)}" trgLang="${escapeXml(doc.trgLang, true)}">`,
  ];
  for (const [key, units] of files) {
    const original = fileOriginal(units[0].id);
    out.push(`  <file id="${escapeXml(key, true)}"${original ? ` original="${escapeXml(original, true)}"` : ''}>`);
    out.push('    <mda:metadata>', '      <mda:metaGroup category="dvc-assistant">', `        <mda:meta type="translator">${escapeXml(doc.translator ?? '')}</mda:meta>`, '      </mda:metaGroup>', '    </mda:metadata>');
    for (const u of units) {
      const c = unitContent(u.source, u.target);
      out.push(`    <unit id="${escapeXml(u.id, true)}">`);
      const notes = [...u.notes.map((n) => ['context', n]), ...u.suggestions.map((n) => ['suggestion', n])];
      if (notes.length) {
        out.push('      <notes>');
        for (const [cat, n] of notes) out.push(`        <note category="${cat}">${escapeXml(n)}</note>`);
        out.push('      </notes>');
      }
      if (c.data.byValue.size) {
        out.push('      <originalData>');
        for (const [value, id] of c.data.byValue) out.push(`        <data id="${id}">${escapeXml(value)}</data>`);
        out.push('      </originalData>');
      }
      out.push(`      <segment state="${u.target ? 'translated' : 'initial'}">`);
      out.push(`        <source xml:space="preserve">${c.source}</source>`);
      out.push(`        <target xml:space="preserve">${c.target}</target>`);
      out.push('      </segment>', '    </unit>');
    }
    out.push('  </file>');
  }
  out.push('</xliff>', '');
  return out.join('\n');
}

/** Reads an XLIFF 2.0 file; inline codes become Markdown again. Throws ExchangeError for a file-level problem. */
export function readXliff(text: string): ExchangeDoc & { problems: Array<{ id: string; message: string }> } {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (err) {
    throw new ExchangeError(null, err instanceof XmlError ? err.message : String(err));
  }
  if (localName(root) !== 'xliff') throw new ExchangeError(null, `the root element is <${root.name}>, not <xliff>`);
  const prefix = root.name.includes(':') ? root.name.split(':')[0] : null;
  const ns = prefix ? root.attrs[`xmlns:${prefix}`] : root.attrs.xmlns;
  if (ns !== XLIFF_NS) throw new ExchangeError(null, `not an XLIFF 2.0 file (namespace must be ${XLIFF_NS})`);
  if (!/^2\.\d$/.test(root.attrs.version ?? '')) throw new ExchangeError(null, `XLIFF version ${root.attrs.version ?? '(none)'} is not 2.x`);
  const srcLang = root.attrs.srcLang ?? '';
  const trgLang = root.attrs.trgLang ?? '';
  let translator: string | null = null;
  const units: ExchangeUnit[] = [];
  const problems: Array<{ id: string; message: string }> = [];
  const walk = (el: XmlElement) => {
    for (const c of childElements(el)) {
      const name = localName(c);
      if (name === 'metadata') {
        for (const meta of findAll(c, 'meta')) if (meta.attrs.type === 'translator' && textContent(meta).trim()) translator ??= textContent(meta).trim();
      } else if (name === 'group' || name === 'file') {
        walk(c);
      } else if (name === 'unit') {
        const id = c.attrs.id ?? `(unit on line ${c.line})`;
        try {
          units.push({ ...readUnit(c, id), line: c.line });
        } catch (err) {
          problems.push({ id, message: err instanceof ExchangeError ? err.message.replace(`${id}: `, '') : String(err) });
        }
      }
    }
  };
  walk(root);
  return { srcLang, trgLang, translator, units, problems };
}

function findAll(el: XmlElement, name: string): XmlElement[] {
  return childElements(el).flatMap((c) => (localName(c) === name ? [c] : findAll(c, name)));
}

function readUnit(unit: XmlElement, id: string): ExchangeUnit {
  const data = new Map<string, string>();
  for (const od of childElements(unit, 'originalData')) for (const d of childElements(od, 'data')) data.set(d.attrs.id, textContent(d));
  const notes: string[] = [];
  const suggestions: string[] = [];
  for (const ns of childElements(unit, 'notes')) {
    for (const n of childElements(ns, 'note')) (n.attrs.category === 'suggestion' ? suggestions : notes).push(textContent(n));
  }
  let source = '';
  let target = '';
  let anyTarget = false;
  for (const part of childElements(unit)) {
    const name = localName(part);
    if (name !== 'segment' && name !== 'ignorable') continue;
    const s = childElements(part, 'source')[0];
    const t = childElements(part, 'target')[0];
    if (!s) throw new ExchangeError(id, `<${name}> without <source>`);
    const src = xmlToMarkdown(s, data, id);
    source += src;
    if (name === 'ignorable') target += t ? xmlToMarkdown(t, data, id) : src;
    else if (t) {
      const tt = xmlToMarkdown(t, data, id);
      if (tt.trim()) anyTarget = true;
      target += tt;
    }
  }
  return { id, source, target: anyTarget ? target : '', notes, suggestions };
}

// ---------------------------------------------------------------------------
// CSV

export const CSV_COLUMNS = ['id', 'source', 'target', 'notes', 'suggestions'] as const;

export function writeExchangeCsv(doc: ExchangeDoc): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const u of doc.units) rows.push([u.id, u.source, u.target, u.notes.join('\n'), u.suggestions.join('\n')].map(csvField).join(','));
  return rows.join('\r\n') + '\r\n';
}

/** Reads a CSV export back (columns id, source, target, notes; optional suggestions and translator). */
export function readExchangeCsv(text: string, trgLang: string): ExchangeDoc & { problems: Array<{ id: string; message: string }> } {
  let parsed;
  try {
    parsed = parseCsvObjects(text);
  } catch (err) {
    throw new ExchangeError(null, err instanceof CsvError ? `CSV ${err.message}` : String(err));
  }
  for (const col of ['id', 'source', 'target']) {
    if (!parsed.header.includes(col)) throw new ExchangeError(null, `the CSV has no "${col}" column (expected: ${CSV_COLUMNS.join(', ')})`);
  }
  let translator: string | null = null;
  const units: ExchangeUnit[] = [];
  for (const r of parsed.records) {
    const v = r.values;
    if (!v.id.trim()) continue;
    if (v.translator?.trim()) translator ??= v.translator.trim();
    units.push({
      id: v.id.trim(),
      source: v.source.replace(/\r\n/g, '\n'),
      target: v.target.replace(/\r\n/g, '\n'),
      notes: v.notes ? v.notes.split('\n').filter(Boolean) : [],
      suggestions: v.suggestions ? v.suggestions.split('\n').filter(Boolean) : [],
      line: r.line,
    });
  }
  return { srcLang: 'vi', trgLang, translator, units, problems: [] };
}

/**
 * Splits a Vietnamese article into translation units and puts a translated article back
 * together, keeping its Markdown structure.
 *
 * Units: the front-matter `title` and `summary`, then one unit per body block — a heading,
 * a paragraph, or a list item (with its indented continuation lines). A unit's source text is
 * the block's Markdown as written, list marker and heading marks included, so a CSV translator
 * sees "1. Mở ứng dụng **VNeID**." and must keep "1. "; XLIFF shows the same structure as
 * inline codes (see inline.ts). Blank lines and the order of blocks are the skeleton: a
 * translated article is the Vietnamese file with each block's text replaced.
 */
import { parse as parseYaml } from 'yaml';

export interface ArticleUnit {
  /** "title", "summary" or "b<N>" (N = 1-based position among the body's translatable blocks). */
  unit: string;
  kind: 'title' | 'summary' | 'heading' | 'paragraph' | 'item';
  source: string;
}

interface Block {
  /** null for separators (blank lines), kept verbatim. */
  unit: string | null;
  text: string;
}

export interface SegmentedArticle {
  id: string;
  frontMatter: Record<string, unknown>;
  units: ArticleUnit[];
  blocks: Block[];
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;
export const HEADING = /^(#{1,6})\s+/;
export const LIST_MARKER = /^(\s*)([-*+]|\d+[.)])\s+/;

export class SegmentError extends Error {}

/** Splits an article file's text (Unicode NFC) into units. */
export function segmentArticle(text: string): SegmentedArticle {
  const m = FRONT_MATTER.exec(text.replace(/^\uFEFF/, ''));
  if (!m) throw new SegmentError('missing YAML front matter');
  const frontMatter = parseYaml(m[1]) as Record<string, unknown>;
  if (!frontMatter || typeof frontMatter.id !== 'string') throw new SegmentError('front matter has no "id"');
  const units: ArticleUnit[] = [];
  if (typeof frontMatter.title === 'string') units.push({ unit: 'title', kind: 'title', source: frontMatter.title.trim() });
  if (typeof frontMatter.summary === 'string') units.push({ unit: 'summary', kind: 'summary', source: frontMatter.summary.trim() });
  const blocks = splitBlocks(m[2]);
  let n = 0;
  for (const b of blocks) {
    if (b.unit === null) continue;
    n++;
    b.unit = `b${n}`;
    const kind = HEADING.test(b.text) ? 'heading' : LIST_MARKER.test(b.text) ? 'item' : 'paragraph';
    units.push({ unit: b.unit, kind, source: b.text });
  }
  return { id: frontMatter.id, frontMatter, units, blocks };
}

function splitBlocks(body: string): Block[] {
  const lines = body.split(/\r?\n/);
  const blocks: Block[] = [];
  let current: string[] | null = null;
  let currentKind: 'paragraph' | 'item' | null = null;
  const flush = () => {
    if (current) blocks.push({ unit: '', text: current.join('\n') });
    current = null;
    currentKind = null;
  };
  for (const line of lines) {
    if (line.trim() === '') {
      flush();
      blocks.push({ unit: null, text: line });
    } else if (HEADING.test(line)) {
      flush();
      blocks.push({ unit: '', text: line });
    } else if (LIST_MARKER.test(line)) {
      flush();
      current = [line];
      currentKind = 'item';
    } else if (current && (currentKind === 'paragraph' || /^\s+/.test(line))) {
      // A paragraph goes on until a blank line; a list item takes indented continuation lines.
      current.push(line);
    } else {
      flush();
      current = [line];
      currentKind = 'paragraph';
    }
  }
  flush();
  return blocks;
}

/** The body text rebuilt from blocks, with `replace(unit)` giving a block's new text (or undefined to keep it). */
export function rebuildBody(blocks: readonly Block[], replace: (unit: string) => string | undefined): string {
  return blocks.map((b) => (b.unit === null ? b.text : (replace(b.unit) ?? b.text))).join('\n');
}

export interface TranslatedArticleMeta {
  lang: string;
  status: 'draft' | 'approved';
  translator: string;
  reviewedBy?: string | null;
  updated: string;
  /** sha256 hex of the exact bytes of the Vietnamese file the translation was made from. */
  translationOfHash: string;
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

/**
 * A translated article file: the Vietnamese front matter's id, topics, sources and verify flag;
 * the translated title and summary; no keywords or aliases (retrieval runs on the Vietnamese
 * index); and the translation fields the loader checks.
 */
export function assembleArticle(source: SegmentedArticle, targets: ReadonlyMap<string, string>, meta: TranslatedArticleMeta): string {
  const fm = source.frontMatter;
  const title = targets.get('title') ?? '';
  const summary = targets.get('summary') ?? '';
  const sources = Array.isArray(fm.sources) ? fm.sources : [];
  const lines = [
    '---',
    `id: ${source.id}`,
    `topics: [${(Array.isArray(fm.topics) ? fm.topics : [source.id]).map(String).join(', ')}]`,
    `title: ${yamlString(title)}`,
    `lang: ${meta.lang}`,
    `summary: ${yamlString(summary)}`,
    'sources:',
    ...sources.flatMap((s) => {
      if (typeof s === 'string') return [`  - title: ${yamlString(s)}`];
      const o = s as Record<string, unknown>;
      return [
        `  - title: ${yamlString(String(o.title ?? ''))}`,
        ...(o.ref ? [`    ref: ${yamlString(String(o.ref))}`] : []),
        ...(o.url ? [`    url: ${yamlString(String(o.url))}`] : []),
      ];
    }),
    `updated: ${meta.updated}`,
    `verify: ${fm.verify === true ? 'true' : 'false'}`,
    `status: ${meta.status}`,
    `translator: ${yamlString(meta.translator)}`,
    ...(meta.reviewedBy ? [`reviewed_by: ${yamlString(meta.reviewedBy)}`] : []),
    `translation_of_hash: ${meta.translationOfHash}`,
    '---',
  ];
  const body = rebuildBody(source.blocks, (unit) => targets.get(unit));
  return `${lines.join('\n')}\n${body}`;
}

/** Reads the front matter of any article file (for status checks); null when there is none. */
export function readFrontMatter(text: string): Record<string, unknown> | null {
  const m = FRONT_MATTER.exec(text.replace(/^\uFEFF/, ''));
  if (!m) return null;
  try {
    const fm = parseYaml(m[1]);
    return fm && typeof fm === 'object' ? (fm as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The translatable units of an already translated article, by unit id (used for diffs and re-export). */
export function unitsOfTranslation(vi: SegmentedArticle, translatedText: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const t = segmentArticle(translatedText);
    if (t.units.length !== vi.units.length) return out;
    t.units.forEach((u, i) => out.set(vi.units[i].unit, u.source));
  } catch {
    /* not segmentable: no units */
  }
  return out;
}

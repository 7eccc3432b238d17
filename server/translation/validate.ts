/**
 * Checks a translated segment against its Vietnamese source: what a translator must not
 * change (placeholders, Markdown structure, link targets) is unchanged and nothing is empty.
 * Works on Markdown text, so CSV and XLIFF imports (converted back to Markdown) are checked alike.
 */
import { HEADING, LIST_MARKER } from './markdown-segments.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;
const LINK = /\[([^\]\n]*)\]\(([^)\s]*)\)/g;

export interface Structure {
  /** Heading marks or list marker (with indentation) that starts the segment, "" when none. */
  prefix: string;
  placeholders: string[];
  urls: string[];
  linkTexts: string[];
  bold: number;
  strayBold: boolean;
  /** Markers that start a later line (nested items written inside one unit). */
  innerMarkers: string[];
}

function prefixOf(line: string): string {
  const h = HEADING.exec(line);
  if (h) return h[0];
  const l = LIST_MARKER.exec(line);
  return l ? l[0] : '';
}

export function structureOf(md: string): Structure {
  const lines = md.split('\n');
  const withoutCodes = md.replace(PLACEHOLDER, '');
  const boldMarks = (withoutCodes.match(/\*\*/g) ?? []).length;
  return {
    prefix: prefixOf(lines[0] ?? ''),
    placeholders: [...md.matchAll(PLACEHOLDER)].map((m) => m[1]).sort(),
    urls: [...md.matchAll(LINK)].map((m) => m[2]).sort(),
    linkTexts: [...md.matchAll(LINK)].map((m) => m[1]),
    bold: Math.floor(boldMarks / 2),
    strayBold: boldMarks % 2 === 1,
    innerMarkers: lines.slice(1).map(prefixOf).filter((p) => p.trim() !== ''),
  };
}

function multisetDiff(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = counts.get(x) ?? 0;
    if (n > 0) counts.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

const show = (s: string) => JSON.stringify(s);

/** What is wrong with `target` as a translation of `source`; [] when it may be imported. */
export function validateSegment(source: string, target: string): string[] {
  const problems: string[] = [];
  if (target.trim() === '') return ['the translation is empty'];
  // "Copy source to target" left in place: a sentence of three words or more cannot be the same in both languages.
  if (target.trim() === source.trim() && (source.replace(PLACEHOLDER, '').match(/\p{L}+/gu) ?? []).length >= 3) {
    problems.push('the translation is identical to the Vietnamese source');
  }
  const s = structureOf(source);
  const t = structureOf(target);
  if (s.prefix !== t.prefix) {
    if (s.prefix && !t.prefix) problems.push(`the Markdown marker ${show(s.prefix)} at the start is missing`);
    else if (!s.prefix) problems.push(`starts with the Markdown marker ${show(t.prefix)}, which the source does not have`);
    else problems.push(`starts with ${show(t.prefix)} but the source starts with ${show(s.prefix)}`);
  }
  for (const p of multisetDiff(s.placeholders, t.placeholders)) problems.push(`placeholder {{${p}}} is missing`);
  for (const p of multisetDiff(t.placeholders, s.placeholders)) problems.push(`placeholder {{${p}}} is not in the source`);
  const leftover = target.replace(PLACEHOLDER, '');
  if (/\{\{|\}\}|\{\s*[A-Za-z0-9_.-]+\s*\}/.test(leftover)) problems.push('a placeholder is broken (write it exactly as {{name}})');
  for (const u of multisetDiff(s.urls, t.urls)) problems.push(`link target ${u} is missing or was changed (keep [text](${u}) with the URL unchanged)`);
  for (const u of multisetDiff(t.urls, s.urls)) problems.push(`link target ${u} is not in the source`);
  if (t.linkTexts.some((x) => x.trim() === '')) problems.push('a link has no text');
  if (t.strayBold) problems.push('an unpaired "**" (bold must open and close)');
  else if (s.bold !== t.bold) problems.push(`the source has ${s.bold} bold part(s) (**…**), the translation ${t.bold}`);
  if (s.innerMarkers.join('|') !== t.innerMarkers.join('|')) {
    problems.push(`the list markers inside the segment differ: source ${show(s.innerMarkers.join(' '))}, translation ${show(t.innerMarkers.join(' '))}`);
  }
  return problems;
}

/**
 * The ordinary procedure unless the question names the special case. The procedure database
 * publishes "Thủ tục đăng ký khai sinh" beside "… kết hợp nhận cha, mẹ, con có yếu tố nước ngoài";
 * both match "đăng ký khai sinh cần giấy tờ gì" and the longer one often ranks first, so a parent
 * was sent to the justice office with a 15-day deadline. The special cases are data
 * (knowledge/dictionaries/procedure-variants.yaml); this module only reorders candidates.
 */
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { foldDiacritics, tokenize } from '../text/normalise.js';
import type { Candidate } from './hybrid-retriever.js';

export interface SpecialCase {
  id: string;
  reason: string;
  /** Folded phrases that mark a record title as this case. */
  title: string[];
  /** Folded phrases that name the case in a question. */
  question: string[];
}

/** Only the first few candidates are compared: further down the ordinary record is another subject's. */
export const VARIANT_WINDOW = 5;
/**
 * How much less of the question the ordinary record may cover than the first one. The words of
 * the special case are not in the question (else it would be named), so the two cover nearly the
 * same words; a larger gap means the question's own words point at the special record.
 */
export const COVERAGE_SLACK = 0.1;

const fold = (s: string) => tokenize(foldDiacritics(s.normalize('NFC').toLowerCase())).join(' ');

export class VariantTableError extends Error {}

/** Reads the special cases; a case without a reason, title or question cue is refused by name. */
export function parseSpecialCases(text: string, source = 'procedure-variants.yaml'): SpecialCase[] {
  const raw = parseYaml(text) as { cases?: Record<string, { reason?: unknown; title?: unknown; question?: unknown }> } | null;
  if (!raw?.cases || typeof raw.cases !== 'object') throw new VariantTableError(`${source}: expected a "cases" mapping`);
  return Object.entries(raw.cases).map(([id, c]) => {
    const list = (v: unknown, field: string): string[] => {
      if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || !fold(x))) throw new VariantTableError(`${source}: case "${id}" needs a non-empty list of phrases in "${field}"`);
      return v.map((x) => fold(x as string));
    };
    if (typeof c?.reason !== 'string' || c.reason.trim().length < 10) throw new VariantTableError(`${source}: case "${id}" needs a reason`);
    return { id, reason: c.reason.trim(), title: list(c.title, 'title'), question: list(c.question, 'question') };
  });
}

export function loadSpecialCases(file: string): SpecialCase[] {
  return parseSpecialCases(fs.readFileSync(file, 'utf8'), file);
}

const has = (padded: string, phrase: string) => padded.includes(` ${phrase} `);

/** The special cases a title is, split by whether the question names them. */
export function casesOf(title: string, question: string, cases: SpecialCase[]): { named: string[]; unnamed: string[] } {
  const t = ` ${fold(title)} `;
  const q = ` ${question} `;
  const named: string[] = [];
  const unnamed: string[] = [];
  for (const c of cases) {
    if (!c.title.some((p) => has(t, p))) continue;
    (c.question.some((p) => has(q, p)) ? named : unnamed).push(c.id);
  }
  return { named, unnamed };
}

/** Two records are the same procedure's cases when they share a topic or one title's words contain the other's. */
function sameProcedure(a: Candidate, b: Candidate): boolean {
  if (a.doc.topics.some((t) => b.doc.topics.includes(t))) return true;
  const wa = new Set(tokenize(foldDiacritics(a.doc.title.toLowerCase())));
  const wb = new Set(tokenize(foldDiacritics(b.doc.title.toLowerCase())));
  const [small, large] = wa.size <= wb.size ? [wa, wb] : [wb, wa];
  return small.size > 0 && [...small].every((w) => large.has(w));
}

export interface VariantChoice {
  candidates: Candidate[];
  /** Set when the order changed: which record was first, which is now, and the cases behind it. */
  moved: { from: string; to: string; unnamed: string[]; named: string[] } | null;
}

/**
 * Puts first the record among the first candidates that has the most special cases the question
 * names and the fewest it does not. Only procedure records take part: an article is written for
 * citizens and is no one's special case. `questionTokens`: the question's folded words.
 */
export function preferVariant(candidates: Candidate[], questionTokens: string[], cases: SpecialCase[]): VariantChoice {
  const first = candidates[0];
  if (!first || first.doc.kind !== 'procedure' || cases.length === 0) return { candidates, moved: null };
  const question = questionTokens.join(' ');
  const firstCases = casesOf(first.doc.title, question, cases);
  let best = { i: 0, ...firstCases };
  for (let i = 1; i < Math.min(VARIANT_WINDOW, candidates.length); i++) {
    const c = candidates[i];
    if (c.doc.kind !== 'procedure' || !sameProcedure(first, c) || c.coverage < first.coverage - COVERAGE_SLACK) continue;
    const k = casesOf(c.doc.title, question, cases);
    const better = k.named.length > best.named.length || (k.named.length === best.named.length && k.unnamed.length < best.unnamed.length);
    if (better) best = { i, ...k };
  }
  if (best.i === 0) return { candidates, moved: null };
  const chosen = candidates[best.i];
  const reordered = [chosen, ...candidates.filter((_, i) => i !== best.i)];
  return { candidates: reordered, moved: { from: first.doc.id, to: chosen.doc.id, unnamed: firstCases.unnamed, named: best.named } };
}

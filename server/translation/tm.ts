/**
 * Translation memory and glossary look-up, for translators only: suggestions go into the
 * exported XLIFF (<note category="suggestion">) / CSV ("suggestions" column) and the review
 * API. Nothing here is ever shown to citizens.
 *
 * Data: knowledge/translation/<set>/tm.vi-<lang>.jsonl (one {id, vi, <lang>, …} per line) and
 * glossary.vi-<lang>.tsv (Vietnamese term, tab, glosses separated by " | ").
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { foldDiacritics, tokenize } from '../text/normalise.js';

export interface TmEntry {
  id: string;
  vi: string;
  target: string;
}

export interface TmMatch extends TmEntry {
  score: number;
}

export interface TermMatch {
  term: string;
  glosses: string[];
}

export interface Suggestions {
  tm: TmMatch[];
  terms: TermMatch[];
}

export interface TranslationMemory {
  lang: string;
  size: number;
  glossarySize: number;
  suggest(viSegment: string, opts?: { limit?: number; threshold?: number; maxTerms?: number }): Suggestions;
}

/** Dice similarity below which a memory match is noise (long sentences share many trigrams by chance). */
export const DEFAULT_TM_THRESHOLD = 0.6;

/** Lower-case, no diacritics, letters and digits only, single spaces: what similarity is measured on. */
export function foldForMatch(s: string): string {
  return foldDiacritics(s.toLowerCase())
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Character n-grams of the folded text, words padded with a space so word edges count. */
export function charNgrams(folded: string, n = 3): Set<string> {
  const out = new Set<string>();
  const s = ` ${folded} `;
  for (let i = 0; i + n <= s.length; i++) out.add(s.slice(i, i + n));
  return out;
}

/** Dice similarity of two n-gram sets. */
export function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const g of small) if (large.has(g)) shared++;
  return (2 * shared) / (a.size + b.size);
}

function loadStopwords(knowledgeDir: string): Set<string> {
  const file = path.join(knowledgeDir, 'dictionaries', 'stopwords.yaml');
  if (!fs.existsSync(file)) return new Set();
  const raw = parseYaml(fs.readFileSync(file, 'utf8')) as { words?: unknown };
  return new Set((Array.isArray(raw?.words) ? raw.words : []).map((w) => String(w)));
}

export function createTranslationMemory(lang: string, entries: readonly TmEntry[], glossary: ReadonlyMap<string, readonly string[]>, stopwords: ReadonlySet<string> = new Set()): TranslationMemory {
  const grams = entries.map((e) => charNgrams(foldForMatch(e.vi)));
  const index = new Map<string, number[]>();
  grams.forEach((set, i) => {
    for (const g of set) {
      const list = index.get(g);
      if (list) list.push(i);
      else index.set(g, [i]);
    }
  });
  let maxTermWords = 1;
  for (const k of glossary.keys()) maxTermWords = Math.max(maxTermWords, Math.min(6, k.split(' ').length));

  function suggestTm(viSegment: string, limit: number, threshold: number): TmMatch[] {
    const q = charNgrams(foldForMatch(viSegment));
    if (q.size === 0) return [];
    const shared = new Map<number, number>();
    for (const g of q) for (const i of index.get(g) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
    const scored: TmMatch[] = [];
    for (const [i, n] of shared) {
      const score = (2 * n) / (q.size + grams[i].size);
      if (score >= threshold) scored.push({ ...entries[i], score: Math.round(score * 1000) / 1000 });
    }
    return scored.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit);
  }

  /** Neighbours are function words or the segment's edges. */
  const standsAlone = (tokens: readonly string[], i: number) =>
    [tokens[i - 1], tokens[i + 1]].every((t) => t === undefined || stopwords.has(foldDiacritics(t)));

  function suggestTerms(viSegment: string, maxTerms: number): TermMatch[] {
    const text = viSegment.replace(/\{\{[^}]*\}\}/g, ' ').replace(/\]\([^)]*\)/g, ' ');
    const tokens = tokenize(text).filter((t) => !/^\d+$/.test(t));
    const out: TermMatch[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < tokens.length && out.length < maxTerms; ) {
      let matched = 0;
      for (let n = Math.min(maxTermWords, tokens.length - i); n >= 1; n--) {
        const term = tokens.slice(i, i + n).join(' ');
        const glosses = glossary.get(term);
        if (!glosses) continue;
        // One syllable is often only part of a Vietnamese word ("bố" in "công bố"): glossed only when it stands alone.
        if (n === 1 && (stopwords.has(foldDiacritics(term)) || term.length < 2 || !standsAlone(tokens, i))) continue;
        matched = n;
        if (!seen.has(term)) {
          seen.add(term);
          out.push({ term, glosses: glosses.slice(0, 4) });
        }
        break;
      }
      i += matched || 1;
    }
    return out;
  }

  return {
    lang,
    size: entries.length,
    glossarySize: glossary.size,
    suggest(viSegment, opts = {}) {
      return {
        tm: suggestTm(viSegment, opts.limit ?? 3, opts.threshold ?? DEFAULT_TM_THRESHOLD),
        terms: suggestTerms(viSegment, opts.maxTerms ?? 8),
      };
    },
  };
}

function findFiles(knowledgeDir: string, name: string): string[] {
  const root = path.join(knowledgeDir, 'translation');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((d) => fs.statSync(path.join(root, d)).isDirectory())
    .sort()
    .map((d) => path.join(root, d, name))
    .filter((f) => fs.existsSync(f));
}

export function readTmFile(file: string, lang: string): Array<TmEntry & { split?: string }> {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const r = JSON.parse(l) as Record<string, unknown>;
      return { id: String(r.id), vi: String(r.vi), target: String(r[lang]), ...(r.split ? { split: String(r.split) } : {}) };
    });
}

export function readGlossaryFile(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (const line of lines.slice(1)) {
    const [term, glosses] = line.split('\t');
    if (!term || !glosses) continue;
    out.set(term, glosses.split(' | ').filter(Boolean));
  }
  return out;
}

const cache = new Map<string, TranslationMemory | null>();

/** The shipped translation memory and glossary for a target language, or null when there is none. */
export function loadTranslationMemory(knowledgeDir: string, lang: string): TranslationMemory | null {
  const key = `${path.resolve(knowledgeDir)}|${lang}`;
  if (cache.has(key)) return cache.get(key)!;
  const tmFiles = findFiles(knowledgeDir, `tm.vi-${lang}.jsonl`);
  const glossaryFiles = findFiles(knowledgeDir, `glossary.vi-${lang}.tsv`);
  let tm: TranslationMemory | null = null;
  if (tmFiles.length || glossaryFiles.length) {
    const entries = tmFiles.flatMap((f) => readTmFile(f, lang));
    const glossary = new Map<string, string[]>();
    for (const f of glossaryFiles) for (const [k, v] of readGlossaryFile(f)) glossary.set(k, [...new Set([...(glossary.get(k) ?? []), ...v])]);
    tm = createTranslationMemory(lang, entries, glossary, loadStopwords(knowledgeDir));
  }
  cache.set(key, tm);
  return tm;
}

/** One line per suggestion, as written into XLIFF notes and the CSV "suggestions" column. */
export function formatSuggestions(s: Suggestions): string[] {
  return [
    ...s.tm.map((m) => `TM ${m.score.toFixed(2)}: ${m.vi} → ${m.target}`),
    ...s.terms.map((t) => `glossary: ${t.term} → ${t.glosses.join(' / ')}`),
  ];
}

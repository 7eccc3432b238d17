/**
 * Turns the BARTBahnar data (shared/data/bahnar/, Apache-2.0) into what the translator
 * workflow ships under knowledge/translation/bahnar/:
 *
 *  - a translation memory of Vietnamese → Bahnar sentence pairs. Part of the Bahnar side is
 *    in the legacy VNI font encoding; each line goes through the project's encoding repair
 *    (`createEncodingRepairer().repair`). Lines it refuses, and lines where VNI letters are
 *    still visible after repair (too short for the repairer to be sure), are left out.
 *    A fixed split (every fifth pair is "test") keeps held-out pairs for measuring language
 *    detection.
 *  - a glossary of Vietnamese terms → Bahnar glosses, inverted from the Bahnar → Vietnamese
 *    dictionary. Entries with stray symbols (`, @, ^, [ …: typing noise in the source) are
 *    left out.
 */
import { parseCsv } from './csv.js';
import type { EncodingRepairer, RepairedEncoding } from '../text/encoding-repair.js';

export interface TmRecord {
  /** 1-based row of the pair in bahnar-vietnamese-pairs.csv (header excluded). */
  id: number;
  vi: string;
  bdq: string;
  /** How the Bahnar side was stored in the source: unicode, or the legacy encoding it was repaired from. */
  encoding: RepairedEncoding;
  split: 'train' | 'test';
}

export interface TmBuildReport {
  pairs: number;
  unchanged: number;
  repaired: Record<string, number>;
  rejected: Array<{ id: number; reason: string }>;
  /** Still shows VNI letter sequences after repair (the repairer could not be sure on a short line). */
  residualLegacy: number[];
  empty: number[];
  kept: number;
  train: number;
  test: number;
}

/** VNI sequences that cannot occur in Unicode Bahnar or Vietnamese (ñ = đ, ö = ư, vowel + accent glyph). */
export const RESIDUAL_VNI = /[ñÑöÖ]|[aeoAEO][âêøùûõïÂÊØÙÛÕÏ]|[ôÔ][êÊøùûõï]/;

export const isTestPair = (id: number): boolean => id % 5 === 0;

export function buildTranslationMemory(pairsCsv: string, repairer: EncodingRepairer): { records: TmRecord[]; report: TmBuildReport } {
  const rows = parseCsv(pairsCsv);
  const header = rows.shift() ?? [];
  const bi = header.findIndex((h) => /bahnar/i.test(h));
  const vi = header.findIndex((h) => /vietnam/i.test(h));
  if (bi < 0 || vi < 0) throw new Error('pairs CSV: expected the columns "Bahnaric" and "Vietnamese"');
  const report: TmBuildReport = { pairs: 0, unchanged: 0, repaired: {}, rejected: [], residualLegacy: [], empty: [], kept: 0, train: 0, test: 0 };
  const records: TmRecord[] = [];
  rows.forEach((row, i) => {
    if (row.length === 1 && row[0] === '') return;
    const id = i + 1;
    report.pairs++;
    const rawB = (row[bi] ?? '').normalize('NFC').trim();
    const rawV = (row[vi] ?? '').normalize('NFC').trim();
    if (!rawB || !rawV) {
      report.empty.push(id);
      return;
    }
    const b = repairer.repair(rawB);
    const v = repairer.repair(rawV);
    if (!b.ok || !v.ok) {
      report.rejected.push({ id, reason: !b.ok ? `Bahnar: ${b.reason}` : `Vietnamese: ${(v as { reason: string }).reason}` });
      return;
    }
    if (b.changed) report.repaired[b.encoding] = (report.repaired[b.encoding] ?? 0) + 1;
    else report.unchanged++;
    const bdq = tidy(b.text);
    if (RESIDUAL_VNI.test(bdq)) {
      report.residualLegacy.push(id);
      return;
    }
    const split = isTestPair(id) ? 'test' : 'train';
    records.push({ id, vi: tidy(v.text), bdq, encoding: b.encoding, split });
    report.kept++;
    report[split]++;
  });
  return { records, report };
}

function tidy(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export interface GlossaryReport {
  entries: number;
  kept: number;
  noisy: number;
  rejected: number;
  repaired: number;
  viTerms: number;
}

// Letters, combining marks, spaces, apostrophes (the Bahnar glottal 'b, 'd), hyphens.
const CLEAN_BAHNAR = /^[\p{L}\p{M}' ‘’-]+$/u;

/** Vietnamese term → Bahnar glosses (in dictionary order, de-duplicated). */
export function buildGlossary(dictionaryCsv: string, repairer: EncodingRepairer): { glossary: Map<string, string[]>; report: GlossaryReport } {
  const rows = parseCsv(dictionaryCsv);
  rows.shift();
  const report: GlossaryReport = { entries: 0, kept: 0, noisy: 0, rejected: 0, repaired: 0, viTerms: 0 };
  const glossary = new Map<string, string[]>();
  for (const row of rows) {
    if (row.length < 2 || (row.length === 1 && row[0] === '')) continue;
    report.entries++;
    const b = repairer.repair(row[0].normalize('NFC'));
    const v = repairer.repair(row[1].normalize('NFC'));
    if (!b.ok || !v.ok) {
      report.rejected++;
      continue;
    }
    if (b.changed) report.repaired++;
    const bdq = tidy(b.text).replace(/[‘’]/g, "'");
    // A combining mark after a space is a breve typed on its own ("tơtri ̆ n"): noise.
    if (!bdq || !CLEAN_BAHNAR.test(bdq) || /(^|\s)\p{M}/u.test(bdq) || RESIDUAL_VNI.test(bdq)) {
      report.noisy++;
      continue;
    }
    const term = viTerm(v.text);
    if (!term) {
      report.noisy++;
      continue;
    }
    const list = glossary.get(term) ?? [];
    if (!list.includes(bdq)) list.push(bdq);
    glossary.set(term, list);
    report.kept++;
  }
  report.viTerms = glossary.size;
  return { glossary, report };
}

/** "núi (mít" → "núi": drops an unclosed parenthesis and what follows, lower-cases, tidies. */
export function viTerm(s: string): string {
  let t = s.normalize('NFC');
  const open = t.lastIndexOf('(');
  if (open >= 0 && t.indexOf(')', open) < 0) t = t.slice(0, open);
  return tidy(t.replace(/"/g, '').toLowerCase()).replace(/[.,;:]+$/, '');
}

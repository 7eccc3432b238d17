/**
 * Measures the secret detector on the shipped corpus (redaction-corpus.jsonl): for each kind,
 * the share of secrets that no longer appear in the redacted text (recall), and the share of
 * harmless look-alikes (fees, years, codes, hotlines...) in which anything was redacted.
 *
 * A secret counts as removed only when neither its written form nor its digits (for numbers
 * written with spaces, dots or dashes) survive: a partial redaction still leaks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';
import { detectSensitive, type SensitiveKind } from './sensitive-data.js';

export const REDACTION_CORPUS_PATH = path.join(PROJECT_ROOT, 'server', 'safety', 'redaction-corpus.jsonl');

export type CorpusEntry = { kind: SensitiveKind; text: string; secret: string } | { kind: 'HARMLESS'; category: string; text: string };

export interface KindFigures {
  total: number;
  /** Secrets: removed; look-alikes: left untouched. */
  ok: number;
  failures: string[];
}

export interface RedactionReport {
  secrets: Record<string, KindFigures & { recall: number }>;
  harmless: Record<string, KindFigures & { falsePositiveRate: number }>;
  overall: { secrets: number; recall: number; harmless: number; falsePositiveRate: number };
}

export function loadCorpus(file = REDACTION_CORPUS_PATH): CorpusEntry[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const e = JSON.parse(l) as CorpusEntry;
      if (typeof e.text !== 'string' || (e.kind !== 'HARMLESS' && (typeof e.secret !== 'string' || !e.text.includes(e.secret)))) {
        throw new Error(`${path.basename(file)} line ${i + 1}: an entry needs text and a secret that occurs in it`);
      }
      return e;
    });
}

/** True when the secret, as written or as its bare digits, is still readable in `redacted`. */
export function secretSurvives(secret: string, redacted: string): boolean {
  if (redacted.includes(secret)) return true;
  const digits = secret.replace(/\D/g, '');
  if (digits.length >= 4) return redacted.replace(/(?:[\s.()-]|\ufe0f|\u20e3)/g, '').includes(digits);
  return false;
}

export function measureRedaction(entries: CorpusEntry[]): RedactionReport {
  const secrets: Record<string, KindFigures> = {};
  const harmless: Record<string, KindFigures> = {};
  for (const e of entries) {
    const { redacted, items } = detectSensitive(e.text);
    if (e.kind === 'HARMLESS') {
      const f = (harmless[e.category] ??= { total: 0, ok: 0, failures: [] });
      f.total++;
      if (items.length === 0) f.ok++;
      else f.failures.push(`${e.text} -> ${redacted}`);
    } else {
      const f = (secrets[e.kind] ??= { total: 0, ok: 0, failures: [] });
      f.total++;
      if (!secretSurvives(e.secret, redacted)) f.ok++;
      else f.failures.push(`${e.text} -> ${redacted}`);
    }
  }
  const sum = (r: Record<string, KindFigures>) => Object.values(r).reduce((a, f) => ({ total: a.total + f.total, ok: a.ok + f.ok }), { total: 0, ok: 0 });
  const s = sum(secrets);
  const h = sum(harmless);
  return {
    secrets: Object.fromEntries(Object.entries(secrets).map(([k, f]) => [k, { ...f, recall: f.ok / f.total }])),
    harmless: Object.fromEntries(Object.entries(harmless).map(([k, f]) => [k, { ...f, falsePositiveRate: (f.total - f.ok) / f.total }])),
    overall: { secrets: s.total, recall: s.ok / s.total, harmless: h.total, falsePositiveRate: (h.total - h.ok) / h.total },
  };
}

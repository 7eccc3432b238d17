/**
 * What needs translating for a language, as an XLIFF 2.0 or CSV file: every Vietnamese UI /
 * reply-template string that is missing or stale in the pack, and every article whose
 * translation is missing or stale, one unit per segment. Translation-memory and glossary
 * suggestions go into the notes (XLIFF) / "suggestions" column (CSV) — for translators only.
 *
 * With a store, the exact Vietnamese texts exported are kept (translation_sources) so the
 * import can check translations against what the translator saw, even after the Vietnamese
 * file changed again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { articleUnitId, stringUnitId, writeExchangeCsv, writeXliff, type ExchangeDoc, type ExchangeUnit } from './exchange.js';
import { segmentArticle, unitsOfTranslation } from './markdown-segments.js';
import { articleStatuses, readNamespace, sha256Hex, SOURCE_LANG, sourceStrings, stringStatuses, type PackPaths } from './packs.js';
import type { TranslationStore } from './store.js';
import { formatSuggestions, loadTranslationMemory } from './tm.js';

export interface ExportOptions {
  lang: string;
  paths: PackPaths;
  store?: TranslationStore | null;
  /** "needed" (default): missing and stale items; "all": everything, with current translations as targets. */
  scope?: 'needed' | 'all';
  /** Add translation-memory and glossary suggestions (default true). */
  suggestions?: boolean;
  translator?: string | null;
}

export interface ExportResult {
  doc: ExchangeDoc;
  strings: number;
  articles: number;
  units: number;
}

const KIND_NOTE: Record<string, string> = {
  title: 'article title',
  summary: 'article summary (shown first on SMS and Zalo; 2–3 short sentences)',
  heading: 'section heading: keep the "## " marker',
  paragraph: 'paragraph',
  item: 'list item: keep the marker ("1. ", "- ") at the start',
};

export function collectForTranslation(opts: ExportOptions): ExportResult {
  const { lang, paths } = opts;
  if (lang === SOURCE_LANG) throw new Error('Vietnamese is the source language; there is nothing to translate into it');
  const scope = opts.scope ?? 'needed';
  const tm = opts.suggestions === false ? null : loadTranslationMemory(paths.knowledgeDir, lang);
  const suggest = (source: string) => (tm ? formatSuggestions(tm.suggest(source)) : []);
  const units: ExchangeUnit[] = [];
  const pending = new Set((opts.store?.list({ status: 'pending', lang }) ?? []).map((r) => `${r.kind}:${r.itemId}`));

  // Strings
  const states = new Map(stringStatuses(paths.localesDir, lang).map((r) => [`${r.ns}:${r.key}`, r.state]));
  let strings = 0;
  for (const [ns, entries] of sourceStrings(paths.localesDir)) {
    const own = readNamespace(paths.localesDir, lang, ns);
    for (const [key, vi] of entries) {
      const state = states.get(`${ns}:${key}`);
      if (scope === 'needed' && state === 'translated') continue;
      const hash = opts.store ? opts.store.saveSource('string', `${ns}:${key}`, vi) : sha256Hex(vi);
      const notes = [`${ns}.json → ${key}`, 'Keep every {{placeholder}} exactly as written; the assistant fills it in.'];
      if (state === 'stale') notes.push(`The Vietnamese text changed since the current translation: ${own.get(key)}`);
      if (pending.has(`string:${ns}:${key}`)) notes.push('A translation of this string is already waiting for review; a new import replaces it.');
      units.push({ id: stringUnitId(ns, key, hash), source: vi, target: scope === 'all' && state === 'translated' ? (own.get(key) ?? '') : '', notes, suggestions: suggest(vi) });
      strings++;
    }
  }

  // Articles
  let articles = 0;
  for (const row of articleStatuses(paths.knowledgeDir, lang)) {
    const wanted = row.state === 'missing' || row.state === 'stale' || scope === 'all';
    if (!wanted) continue;
    const viText = fs.readFileSync(path.join(paths.knowledgeDir, 'articles', SOURCE_LANG, `${row.id}.md`), 'utf8');
    const hash = opts.store ? opts.store.saveSource('article', row.id, viText) : sha256Hex(viText);
    const seg = segmentArticle(viText.normalize('NFC'));
    // A stale translation: segments whose Vietnamese did not change keep their approved translation.
    const kept = row.state === 'stale' || scope === 'all' ? previousUnits(opts, lang, row.id, seg) : new Map<string, string>();
    for (const u of seg.units) {
      const notes = [`${row.id} — ${KIND_NOTE[u.kind]}`];
      if (u.unit === 'summary' || u.unit === 'title') notes.push('Keep every {{placeholder}} exactly as written.');
      const target = kept.get(u.unit) ?? '';
      if (target) notes.push('Unchanged since the approved translation: kept. Check it and edit only if needed.');
      else if (row.state === 'stale') notes.push('The Vietnamese text of this segment is new or changed since the approved translation.');
      if (pending.has(`article:${row.id}`)) notes.push('A translation of this article is already waiting for review; a new import replaces it.');
      units.push({ id: articleUnitId(row.id, hash, u.unit), source: u.source, target, notes, suggestions: suggest(u.source) });
    }
    articles++;
  }
  return { doc: { srcLang: SOURCE_LANG, trgLang: lang, translator: opts.translator ?? null, units }, strings, articles, units: units.length };
}

/** Units of the current translation whose Vietnamese source text is the same in the old and new Vietnamese versions. */
function previousUnits(opts: ExportOptions, lang: string, id: string, current: ReturnType<typeof segmentArticle>): Map<string, string> {
  const file = path.join(opts.paths.knowledgeDir, 'articles', lang, `${id}.md`);
  if (!fs.existsSync(file)) return new Map();
  const translated = fs.readFileSync(file, 'utf8');
  const hash = /^translation_of_hash:\s*([0-9a-f]{64})\s*$/m.exec(translated)?.[1];
  const old = hash ? opts.store?.findSource('article', id, hash) : null;
  const currentHash = sha256Hex(fs.readFileSync(path.join(opts.paths.knowledgeDir, 'articles', SOURCE_LANG, `${id}.md`)));
  const oldSeg = old ? segmentArticle(old.text.normalize('NFC')) : hash === currentHash ? current : null;
  if (!oldSeg) return new Map();
  const oldUnits = unitsOfTranslation(oldSeg, translated);
  const bySource = new Map<string, string>();
  for (const u of oldSeg.units) {
    const t = oldUnits.get(u.unit);
    if (t) bySource.set(`${u.kind}\u0000${u.source}`, t);
  }
  const out = new Map<string, string>();
  for (const u of current.units) {
    const t = bySource.get(`${u.kind}\u0000${u.source}`);
    if (t) out.set(u.unit, t);
  }
  return out;
}

export function exportForTranslation(opts: ExportOptions & { format: 'xliff' | 'csv' }): ExportResult & { text: string } {
  const r = collectForTranslation(opts);
  return { ...r, text: opts.format === 'xliff' ? writeXliff(r.doc) : writeExchangeCsv(r.doc) };
}

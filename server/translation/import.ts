/**
 * Imports a translated XLIFF 2.0 or CSV file as drafts awaiting review.
 *
 * Every segment is checked against the Vietnamese text it was exported from (placeholders,
 * Markdown structure, link targets, nothing empty); problems are reported per segment id. A
 * UI string is imported on its own; an article only when all its segments are translated
 * and valid. Valid items become `pending` revisions (SQLite). A draft article file
 * (`status: draft`) is also written to knowledge/articles/<lang>/ so a province that allows
 * drafts can offer it — but only where no approved translation exists: an import over an
 * approved translation never touches the served file, it waits for a reviewer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArticle } from '../knowledge/article-parser.js';
import { parseUnitId, readExchangeCsv, readXliff, unsafeUnitId, ExchangeError, type ExchangeUnit } from './exchange.js';
import { assembleArticle, readFrontMatter, segmentArticle } from './markdown-segments.js';
import { listLanguages, readNamespace, sha256Hex, SOURCE_LANG, sourceStrings, type PackPaths } from './packs.js';
import type { TranslationStore } from './store.js';
import { validateSegment } from './validate.js';
import { AppError } from '../errors.js';

export interface ImportOptions {
  lang: string;
  paths: PackPaths;
  store: TranslationStore;
  /** Detected from the content when not given. */
  format?: 'xliff' | 'csv';
  fileName?: string | null;
  /** Overrides the translator named in the file. */
  translator?: string | null;
  importedBy?: string | null;
  /** Write draft article files where no approved translation exists (default true). */
  writeDraftFiles?: boolean;
  today?: string;
}

export interface SegmentProblem {
  id: string;
  problems: string[];
}

export interface ImportReport {
  importId: number;
  lang: string;
  format: 'xliff' | 'csv';
  translator: string;
  accepted: Array<{ kind: 'string' | 'article'; itemId: string; revisionId: number; overApproved: boolean; draftFile: string | null }>;
  errors: SegmentProblem[];
  skipped: string[];
  units: number;
}

export class ImportError extends AppError {
  constructor(message: string) {
    super('invalid_file', message);
  }
}

export function detectFormat(text: string): 'xliff' | 'csv' {
  return /^\s*(\uFEFF)?\s*<(\?xml|xliff)/.test(text) ? 'xliff' : 'csv';
}

const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

export function importTranslations(text: string, opts: ImportOptions): ImportReport {
  const { lang, paths, store } = opts;
  if (lang === SOURCE_LANG) throw new ImportError('Vietnamese is the source language; translations into it cannot be imported');
  // The language names a folder we write into: only a language the project knows (a pack, an
  // article folder or a province profile offering it), never a code typed by hand.
  const known = listLanguages(paths).map((l) => l.code).filter((c) => c !== SOURCE_LANG);
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(lang) || !known.includes(lang)) {
    throw new ImportError(`unknown language code "${lang.slice(0, 20)}" (known: ${known.join(', ')}); nothing was imported`);
  }
  const format = opts.format ?? detectFormat(text);
  let doc;
  try {
    doc = format === 'xliff' ? readXliff(text) : readExchangeCsv(text, lang);
  } catch (err) {
    throw new ImportError(err instanceof ExchangeError ? err.message : String(err));
  }
  // A tampered id rejects the whole file before anything is planned or written.
  for (const unit of doc.units) {
    const why = unsafeUnitId(unit.id);
    if (why) throw new ImportError(`${unit.line ? `line ${unit.line}: ` : ''}unit id "${unit.id.slice(0, 80)}" ${why}; nothing was imported`);
  }
  if (doc.srcLang && doc.srcLang !== SOURCE_LANG) throw new ImportError(`the file's source language is ${doc.srcLang}, not ${SOURCE_LANG}`);
  if (doc.trgLang && doc.trgLang !== lang) throw new ImportError(`the file is a translation into ${doc.trgLang}, not ${lang}`);
  const translator = (opts.translator ?? doc.translator ?? '').trim();
  if (!translator) throw new ImportError('who translated this file? Fill in the translator (XLIFF metadata "translator", CSV column "translator") or pass --translator');

  const errors: SegmentProblem[] = [...doc.problems.map((p) => ({ id: p.id, problems: [p.message] }))];
  const skipped: string[] = [];
  const fail = (id: string, ...problems: string[]) => {
    const e = errors.find((x) => x.id === id);
    if (e) e.problems.push(...problems);
    else errors.push({ id, problems });
  };

  const stringUnits: Array<{ unit: ExchangeUnit; ns: string; key: string; hash12: string }> = [];
  const articleGroups = new Map<string, { articleId: string; hash12: string; units: Map<string, ExchangeUnit> }>();
  const seen = new Set<string>();
  for (const unit of doc.units) {
    if (seen.has(unit.id)) {
      fail(unit.id, 'this segment id appears twice in the file');
      continue;
    }
    seen.add(unit.id);
    const ref = parseUnitId(unit.id);
    if (!ref) {
      fail(unit.id, 'unknown segment id (ids must stay as exported)');
      continue;
    }
    if (ref.kind === 'string') stringUnits.push({ unit, ns: ref.ns, key: ref.key, hash12: ref.hash12 });
    else {
      const k = `${ref.articleId}@${ref.hash12}`;
      const g = articleGroups.get(k) ?? { articleId: ref.articleId, hash12: ref.hash12, units: new Map() };
      g.units.set(ref.unit, unit);
      articleGroups.set(k, g);
    }
  }

  type Accepted = ImportReport['accepted'][number] & { content: string; write: string | null };
  const planned: Array<Omit<Accepted, 'revisionId'> & { sourceHash: string; units: Record<string, string> | null }> = [];

  // Strings
  const currentStrings = sourceStrings(paths.localesDir);
  for (const { unit, ns, key, hash12 } of stringUnits) {
    if (!unit.target.trim()) {
      skipped.push(unit.id);
      continue;
    }
    const itemId = `${ns}:${key}`;
    const current = currentStrings.get(ns)?.get(key);
    let source = store.findSource('string', itemId, hash12);
    if (!source && current !== undefined && sha256Hex(current).startsWith(hash12)) source = { hash: store.saveSource('string', itemId, current), text: current };
    if (!source) {
      fail(unit.id, current === undefined ? `there is no Vietnamese string ${key} in ${ns}.json` : 'the Vietnamese text this was exported from is unknown here and has changed since; export again');
      continue;
    }
    if (!sameText(unit.source, source.text)) {
      fail(unit.id, 'the Vietnamese source text in the file was edited; leave the source as exported');
      continue;
    }
    const problems = validateSegment(source.text, unit.target);
    if (problems.length) {
      fail(unit.id, ...problems);
      continue;
    }
    const approvedNow = readNamespace(paths.localesDir, lang, ns).has(key);
    planned.push({ kind: 'string', itemId, overApproved: approvedNow, draftFile: null, content: unit.target, write: null, sourceHash: source.hash, units: null });
  }

  // Articles
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  for (const g of articleGroups.values()) {
    const unitsList = [...g.units.values()];
    if (unitsList.every((u) => !u.target.trim())) {
      skipped.push(...unitsList.map((u) => u.id));
      continue;
    }
    const viFile = path.join(paths.knowledgeDir, 'articles', SOURCE_LANG, `${g.articleId}.md`);
    let source = store.findSource('article', g.articleId, g.hash12);
    if (!source && fs.existsSync(viFile)) {
      const current = fs.readFileSync(viFile, 'utf8');
      if (sha256Hex(current).startsWith(g.hash12)) source = { hash: store.saveSource('article', g.articleId, current), text: current };
    }
    const firstId = unitsList[0].id;
    if (!source) {
      fail(firstId, fs.existsSync(viFile) ? 'the Vietnamese article this was exported from is unknown here and has changed since; export again' : `there is no Vietnamese article ${g.articleId}`);
      continue;
    }
    const seg = segmentArticle(source.text.normalize('NFC'));
    const targets = new Map<string, string>();
    let bad = false;
    for (const u of seg.units) {
      const id = `a:${g.articleId}:${g.hash12}:${u.unit}`;
      const got = g.units.get(u.unit);
      if (!got) {
        fail(id, 'this segment is missing from the file (an article is imported only when every segment is translated)');
        bad = true;
        continue;
      }
      if (!sameText(got.source, u.source)) {
        fail(id, 'the Vietnamese source text in the file was edited; leave the source as exported');
        bad = true;
        continue;
      }
      const problems = validateSegment(u.source, got.target);
      if (problems.length) {
        fail(id, ...problems);
        bad = true;
        continue;
      }
      targets.set(u.unit, got.target.replace(/\r\n/g, '\n'));
    }
    for (const unitName of g.units.keys()) {
      if (!seg.units.some((u) => u.unit === unitName)) {
        fail(`a:${g.articleId}:${g.hash12}:${unitName}`, 'the Vietnamese article has no such segment');
        bad = true;
      }
    }
    if (bad) continue;
    const content = assembleArticle(seg, targets, { lang, status: 'draft', translator, updated: today, translationOfHash: source.hash });
    try {
      parseArticle(content, `articles/${lang}/${g.articleId}.md`);
    } catch (err) {
      fail(`a:${g.articleId}:${g.hash12}:summary`, `the translated article does not load: ${(err as Error).message.replace(/^[^:]*: /, '')}`);
      continue;
    }
    const target = path.join(paths.knowledgeDir, 'articles', lang, `${g.articleId}.md`);
    const existing = fs.existsSync(target) ? readFrontMatter(fs.readFileSync(target, 'utf8')) : null;
    const overApproved = existing !== null && existing.status !== 'draft';
    const write = !overApproved && opts.writeDraftFiles !== false ? target : null;
    planned.push({ kind: 'article', itemId: g.articleId, overApproved, draftFile: write ? path.relative(paths.knowledgeDir, write) : null, content, write, sourceHash: source.hash, units: Object.fromEntries(targets) });
  }

  const report = store.transaction(() => {
    const importId = store.recordImport({
      lang,
      format,
      fileName: opts.fileName ?? null,
      translator,
      importedBy: opts.importedBy ?? null,
      total: doc.units.length,
      accepted: planned.length,
      rejected: errors.length,
      skipped: skipped.length,
      errors,
    });
    const accepted = planned.map((p) => ({
      kind: p.kind,
      itemId: p.itemId,
      overApproved: p.overApproved,
      draftFile: p.draftFile,
      revisionId: store.addRevision({ lang, kind: p.kind, itemId: p.itemId, sourceHash: p.sourceHash, content: p.content, units: p.units, translator, importId, overApproved: p.overApproved }),
    }));
    return { importId, lang, format, translator, accepted, errors, skipped, units: doc.units.length };
  });
  for (const p of planned) if (p.write) writeFileAtomic(p.write, p.content);
  return report;
}

export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export function formatImportReport(r: ImportReport): string {
  const lines = [
    `import #${r.importId} (${r.format}, ${r.lang}, translator ${r.translator}): ${r.units} segments — ${r.accepted.length} item(s) accepted as drafts, ${r.errors.length} segment(s) with problems, ${r.skipped.length} untranslated segment(s) skipped`,
  ];
  for (const a of r.accepted) {
    const where = a.overApproved ? 'an approved translation is served: pending review, served file unchanged' : a.draftFile ? `draft written to knowledge/${a.draftFile}` : 'pending review';
    lines.push(`  ok   ${a.kind} ${a.itemId} → revision #${a.revisionId} (${where})`);
  }
  for (const e of r.errors) for (const p of e.problems) lines.push(`  FAIL ${e.id}: ${p}`);
  return lines.join('\n');
}

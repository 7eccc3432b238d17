/**
 * Review of imported translations (staff console, editor role): list what waits, show a
 * revision beside its Vietnamese source with a line diff against the Vietnamese version it
 * was translated from, approve (which writes the served file) or reject.
 *
 * Approval is the only way a translation reaches citizens: an approved article is written to
 * knowledge/articles/<lang>/<id>.md with `status: approved`, `reviewed_by` and the
 * `translation_of_hash` of the Vietnamese text it translates; an approved string is written to
 * server/i18n/locales/<lang>/<ns>.json with its provenance in the pack's manifest.json. The
 * knowledge index picks articles up at the next ingest; strings at the next start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { lineDiff, type DiffLine } from './diff.js';
import { AppError } from '../errors.js';
import { writeFileAtomic } from './import.js';
import { assembleArticle, readFrontMatter, segmentArticle } from './markdown-segments.js';
import { flattenStrings, readManifest, refreshManifest, setNested, sha256Hex, SOURCE_LANG, sourceStrings, writeJsonAtomic, type PackPaths } from './packs.js';
import type { Revision, TranslationStore } from './store.js';
import { loadTranslationMemory, type Suggestions } from './tm.js';

export class ReviewError extends AppError {
  declare readonly code: 'not_found' | 'not_pending' | 'self_review' | 'source_missing' | 'invalid';
  constructor(code: ReviewError['code'], message: string) {
    super(code, message);
  }
}

export interface PendingItem {
  id: number;
  lang: string;
  kind: 'article' | 'string';
  itemId: string;
  translator: string;
  createdAt: string;
  /** An approved translation is served now; this one waits as a new revision. */
  overApproved: boolean;
  /** The Vietnamese text changed since the translation was made (approving it would serve a stale translation). */
  sourceChanged: boolean;
}

function currentSource(paths: PackPaths, kind: 'article' | 'string', itemId: string): string | null {
  if (kind === 'article') {
    const file = path.join(paths.knowledgeDir, 'articles', SOURCE_LANG, `${itemId}.md`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  }
  const [ns, key] = splitStringId(itemId);
  return sourceStrings(paths.localesDir).get(ns)?.get(key) ?? null;
}

function splitStringId(itemId: string): [string, string] {
  const i = itemId.indexOf(':');
  return [itemId.slice(0, i), itemId.slice(i + 1)];
}

export function listPending(store: TranslationStore, paths: PackPaths, filter: { lang?: string } = {}): PendingItem[] {
  return store.list({ status: 'pending', ...(filter.lang ? { lang: filter.lang } : {}) }).map((r) => {
    const current = currentSource(paths, r.kind, r.itemId);
    return {
      id: r.id,
      lang: r.lang,
      kind: r.kind,
      itemId: r.itemId,
      translator: r.translator,
      createdAt: r.createdAt,
      overApproved: r.overApproved,
      sourceChanged: current === null || sha256Hex(current) !== r.sourceHash,
    };
  });
}

export interface RevisionView {
  revision: Revision;
  /** The Vietnamese text the translation was made from (snapshot kept at export/import). */
  sourceSnapshot: string;
  /** The Vietnamese text now (null when the article or string was removed). */
  currentSource: string | null;
  sourceChanged: boolean;
  /** Snapshot → current Vietnamese: what changed in the source since the translation was made. */
  sourceDiff: DiffLine[];
  /** The translation served now (approved), if any. */
  approved: string | null;
  /** Served translation → this revision. */
  translationDiff: DiffLine[] | null;
  /** Per segment: Vietnamese source, translation, and (for translators/reviewers only) suggestions. */
  segments: Array<{ unit: string; source: string; target: string; suggestions: Suggestions | null }>;
}

export function showRevision(store: TranslationStore, paths: PackPaths, id: number): RevisionView {
  const revision = store.get(id);
  if (!revision) throw new ReviewError('not_found', `no translation revision #${id}`);
  const snapshot = store.findSource(revision.kind, revision.itemId, revision.sourceHash);
  if (!snapshot) throw new ReviewError('source_missing', `the Vietnamese source of revision #${id} is missing`);
  const current = currentSource(paths, revision.kind, revision.itemId);
  const tm = loadTranslationMemory(paths.knowledgeDir, revision.lang);
  let approved: string | null = null;
  let segments: RevisionView['segments'] = [];
  if (revision.kind === 'article') {
    const file = path.join(paths.knowledgeDir, 'articles', revision.lang, `${revision.itemId}.md`);
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, 'utf8');
      if (readFrontMatter(text)?.status !== 'draft') approved = text;
    }
    const seg = segmentArticle(snapshot.text.normalize('NFC'));
    segments = seg.units.map((u) => ({ unit: u.unit, source: u.source, target: revision.units?.[u.unit] ?? '', suggestions: tm ? tm.suggest(u.source) : null }));
  } else {
    const [ns, key] = splitStringId(revision.itemId);
    const file = path.join(paths.localesDir, revision.lang, `${ns}.json`);
    approved = fs.existsSync(file) ? (flattenStrings(JSON.parse(fs.readFileSync(file, 'utf8'))).get(key) ?? null) : null;
    segments = [{ unit: key, source: snapshot.text, target: revision.content, suggestions: tm ? tm.suggest(snapshot.text) : null }];
  }
  return {
    revision,
    sourceSnapshot: snapshot.text,
    currentSource: current,
    sourceChanged: current === null || sha256Hex(current) !== revision.sourceHash,
    sourceDiff: lineDiff(snapshot.text, current ?? ''),
    approved,
    translationDiff: approved !== null ? lineDiff(approved, revision.content) : null,
    segments,
  };
}

export interface Reviewer {
  id?: number | null;
  username: string;
}

export interface ApproveResult {
  revision: Revision;
  file: string;
  /** The Vietnamese text changed since the translation: it is served as stale (not at all) until re-translated. */
  stale: boolean;
}

export function approveRevision(store: TranslationStore, paths: PackPaths, id: number, opts: { reviewer: Reviewer; allowSelfReview?: boolean; today?: string }): ApproveResult {
  const revision = store.get(id);
  if (!revision) throw new ReviewError('not_found', `no translation revision #${id}`);
  if (revision.status !== 'pending') throw new ReviewError('not_pending', `revision #${id} is ${revision.status}, not pending`);
  if (!opts.allowSelfReview && revision.translator.trim().toLowerCase() === opts.reviewer.username.trim().toLowerCase()) {
    throw new ReviewError('self_review', 'a translation must be approved by someone other than its translator');
  }
  const snapshot = store.findSource(revision.kind, revision.itemId, revision.sourceHash);
  if (!snapshot) throw new ReviewError('source_missing', `the Vietnamese source of revision #${id} is missing`);
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const current = currentSource(paths, revision.kind, revision.itemId);
  const stale = current === null || sha256Hex(current) !== revision.sourceHash;
  let file: string;
  if (revision.kind === 'article') {
    if (!revision.units) throw new ReviewError('invalid', `revision #${id} has no segments`);
    const seg = segmentArticle(snapshot.text.normalize('NFC'));
    const text = assembleArticle(seg, new Map(Object.entries(revision.units)), {
      lang: revision.lang,
      status: 'approved',
      translator: revision.translator,
      reviewedBy: opts.reviewer.username,
      updated: today,
      translationOfHash: revision.sourceHash,
    });
    file = path.join(paths.knowledgeDir, 'articles', revision.lang, `${revision.itemId}.md`);
    writeFileAtomic(file, text);
  } else {
    const [ns, key] = splitStringId(revision.itemId);
    file = path.join(paths.localesDir, revision.lang, `${ns}.json`);
    const obj = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    setNested(obj, key, revision.content);
    writeJsonAtomic(file, obj);
    const manifest = readManifest(paths.localesDir, revision.lang);
    refreshManifest(paths, revision.lang, {
      strings: { ...(manifest?.strings ?? {}), [revision.itemId]: { source_hash: revision.sourceHash, translator: revision.translator, reviewed_by: opts.reviewer.username, updated: today } },
    });
  }
  store.transaction(() => {
    store.setStatus(id, 'approved', { by: opts.reviewer.username });
    store.supersedeApproved(revision.lang, revision.kind, revision.itemId, id);
    store.audit(opts.reviewer.username ? { id: opts.reviewer.id ?? null, username: opts.reviewer.username } : null, 'translation.approve', `${revision.lang}/${revision.kind}/${revision.itemId}`, { revision: id, stale });
  });
  return { revision: store.get(id)!, file, stale };
}

export function rejectRevision(store: TranslationStore, paths: PackPaths, id: number, opts: { reviewer: Reviewer; reason: string }): Revision {
  const revision = store.get(id);
  if (!revision) throw new ReviewError('not_found', `no translation revision #${id}`);
  if (revision.status !== 'pending') throw new ReviewError('not_pending', `revision #${id} is ${revision.status}, not pending`);
  if (!opts.reason.trim()) throw new ReviewError('invalid', 'say why the translation is rejected, for the translator');
  if (revision.kind === 'article') {
    // The draft file written at import must not stay on offer once its revision is rejected.
    const file = path.join(paths.knowledgeDir, 'articles', revision.lang, `${revision.itemId}.md`);
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === revision.content) fs.rmSync(file);
  }
  store.transaction(() => {
    store.setStatus(id, 'rejected', { by: opts.reviewer.username, note: opts.reason.trim() });
    store.audit({ id: opts.reviewer.id ?? null, username: opts.reviewer.username }, 'translation.reject', `${revision.lang}/${revision.kind}/${revision.itemId}`, { revision: id, reason: opts.reason.trim() });
  });
  return store.get(id)!;
}

/**
 * SQLite side of the translator workflow (migration 0006_translations.sql): Vietnamese source
 * snapshots, imports, and translation revisions awaiting review.
 */
import type { Db } from '../db/database.js';
import { sha256Hex } from './packs.js';

export type RevisionStatus = 'pending' | 'approved' | 'rejected' | 'superseded';
export type ItemKind = 'article' | 'string';

export interface Revision {
  id: number;
  lang: string;
  kind: ItemKind;
  itemId: string;
  sourceHash: string;
  content: string;
  units: Record<string, string> | null;
  status: RevisionStatus;
  translator: string;
  importId: number | null;
  overApproved: boolean;
  reviewedBy: string | null;
  reviewNote: string | null;
  reviewedAt: string | null;
  createdAt: string;
}

interface RevisionRow {
  id: number;
  lang: string;
  kind: ItemKind;
  item_id: string;
  source_hash: string;
  content: string;
  units: string | null;
  status: RevisionStatus;
  translator: string;
  import_id: number | null;
  over_approved: number;
  reviewed_by: string | null;
  review_note: string | null;
  reviewed_at: string | null;
  created_at: string;
}

const toRevision = (r: RevisionRow): Revision => ({
  id: r.id,
  lang: r.lang,
  kind: r.kind,
  itemId: r.item_id,
  sourceHash: r.source_hash,
  content: r.content,
  units: r.units ? (JSON.parse(r.units) as Record<string, string>) : null,
  status: r.status,
  translator: r.translator,
  importId: r.import_id,
  overApproved: r.over_approved === 1,
  reviewedBy: r.reviewed_by,
  reviewNote: r.review_note,
  reviewedAt: r.reviewed_at,
  createdAt: r.created_at,
});

export function createTranslationStore(db: Db) {
  const now = () => new Date().toISOString();
  return {
    /** Keeps a Vietnamese source text; returns its sha256. */
    saveSource(kind: ItemKind, itemId: string, text: string): string {
      const hash = sha256Hex(text);
      db.prepare('INSERT OR IGNORE INTO translation_sources (hash, kind, item_id, text, captured_at) VALUES (?, ?, ?, ?, ?)').run(hash, kind, itemId, text, now());
      return hash;
    },
    /** A kept source by full hash or by its 12-digit prefix (for that item). */
    findSource(kind: ItemKind, itemId: string, hashOrPrefix: string): { hash: string; text: string } | null {
      const rows = db
        .prepare('SELECT hash, text FROM translation_sources WHERE kind = ? AND item_id = ? AND hash LIKE ?')
        .all(kind, itemId, `${hashOrPrefix.toLowerCase()}%`) as Array<{ hash: string; text: string }>;
      return rows.length === 1 ? rows[0] : null;
    },
    recordImport(r: { lang: string; format: 'xliff' | 'csv'; fileName: string | null; translator: string; importedBy: string | null; total: number; accepted: number; rejected: number; skipped: number; errors: unknown }): number {
      return Number(
        db
          .prepare(
            `INSERT INTO translation_imports (lang, format, file_name, translator, imported_by, units_total, units_accepted, units_rejected, units_skipped, errors, imported_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(r.lang, r.format, r.fileName, r.translator, r.importedBy, r.total, r.accepted, r.rejected, r.skipped, JSON.stringify(r.errors), now()).lastInsertRowid,
      );
    },
    /** Adds a pending revision; an older pending one for the same item is superseded. */
    addRevision(r: { lang: string; kind: ItemKind; itemId: string; sourceHash: string; content: string; units?: Record<string, string> | null; translator: string; importId: number | null; overApproved: boolean }): number {
      db.prepare("UPDATE translation_revisions SET status = 'superseded' WHERE lang = ? AND kind = ? AND item_id = ? AND status = 'pending'").run(r.lang, r.kind, r.itemId);
      return Number(
        db
          .prepare(
            `INSERT INTO translation_revisions (lang, kind, item_id, source_hash, content, units, status, translator, import_id, over_approved, created_at)
             VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
          )
          .run(r.lang, r.kind, r.itemId, r.sourceHash, r.content, r.units ? JSON.stringify(r.units) : null, r.translator, r.importId, r.overApproved ? 1 : 0, now()).lastInsertRowid,
      );
    },
    get(id: number): Revision | null {
      const row = db.prepare('SELECT * FROM translation_revisions WHERE id = ?').get(id) as RevisionRow | undefined;
      return row ? toRevision(row) : null;
    },
    list(filter: { status?: RevisionStatus; lang?: string; kind?: ItemKind; itemId?: string } = {}): Revision[] {
      const where: string[] = [];
      const params: unknown[] = [];
      for (const [col, v] of [['status', filter.status], ['lang', filter.lang], ['kind', filter.kind], ['item_id', filter.itemId]] as const) {
        if (v !== undefined) {
          where.push(`${col} = ?`);
          params.push(v);
        }
      }
      const sql = `SELECT * FROM translation_revisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
      return (db.prepare(sql).all(...params) as RevisionRow[]).map(toRevision);
    },
    /** The approved revision currently in force for an item (the latest approved one). */
    latestApproved(lang: string, kind: ItemKind, itemId: string): Revision | null {
      const row = db
        .prepare("SELECT * FROM translation_revisions WHERE lang = ? AND kind = ? AND item_id = ? AND status = 'approved' ORDER BY id DESC LIMIT 1")
        .get(lang, kind, itemId) as RevisionRow | undefined;
      return row ? toRevision(row) : null;
    },
    setStatus(id: number, status: RevisionStatus, review: { by: string; note?: string | null }): void {
      db.prepare('UPDATE translation_revisions SET status = ?, reviewed_by = ?, review_note = ?, reviewed_at = ? WHERE id = ?').run(status, review.by, review.note ?? null, now(), id);
    },
    supersedeApproved(lang: string, kind: ItemKind, itemId: string, exceptId: number): void {
      db.prepare("UPDATE translation_revisions SET status = 'superseded' WHERE lang = ? AND kind = ? AND item_id = ? AND status = 'approved' AND id <> ?").run(lang, kind, itemId, exceptId);
    },
    pendingCounts(): Array<{ lang: string; kind: ItemKind; n: number }> {
      return db.prepare("SELECT lang, kind, COUNT(*) AS n FROM translation_revisions WHERE status = 'pending' GROUP BY lang, kind ORDER BY lang, kind").all() as Array<{ lang: string; kind: ItemKind; n: number }>;
    },
    /** Writes to the staff audit log (table from 0003) when it exists. */
    audit(user: { id?: number | null; username: string } | null, action: string, target: string, details: Record<string, unknown>): void {
      const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get();
      if (!exists) return;
      db.prepare('INSERT INTO audit_log (at, user_id, username, action, target, details) VALUES (?, ?, ?, ?, ?, ?)').run(now(), user?.id ?? null, user?.username ?? null, action, target, JSON.stringify(details));
    },
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
  };
}

export type TranslationStore = ReturnType<typeof createTranslationStore>;

import type { Db } from '../db/database.js';
import { filterSql, type AnswerFilters } from './filters.js';

export interface ExportRecord {
  id: string;
  created_at: string;
  conversation_id: string;
  channel: string;
  province: string;
  lang: string;
  kind: string;
  /** Why the turn ended as it did (server/domain/outcomes.ts); null for records stored before outcomes were (schema 0008). */
  outcome: string | null;
  question_redacted: string;
  reply: string;
  topics: string;
  citations: string;
  confidence: number;
  feedback: string | null;
  feedback_reason: string | null;
  verdict: string | null;
  review_note: string | null;
}

export const EXPORT_COLUMNS: Array<keyof ExportRecord> = [
  'id', 'created_at', 'conversation_id', 'channel', 'province', 'lang', 'kind', 'outcome', 'question_redacted', 'reply', 'topics', 'citations',
  'confidence', 'feedback', 'feedback_reason', 'verdict', 'review_note',
];

/** Redacted records only: questions were redacted before storage, feedback comments too. */
export function* exportRecords(db: Db, filters: AnswerFilters): Generator<ExportRecord> {
  const { where, params } = filterSql(filters);
  const stmt = db.prepare(
    `SELECT a.id, a.created_at, a.conversation_id, a.channel, a.province, a.lang, a.kind, a.outcome, a.question_redacted,
       COALESCE(a.reply_shown, a.reply_text) AS reply, a.topics, a.citations, a.confidence,
       (SELECT rating FROM feedback f WHERE f.answer_id = a.id ORDER BY f.id DESC LIMIT 1) AS feedback,
       (SELECT reason FROM feedback f WHERE f.answer_id = a.id ORDER BY f.id DESC LIMIT 1) AS feedback_reason,
       (SELECT verdict FROM reviews r WHERE r.answer_id = a.id ORDER BY r.id DESC LIMIT 1) AS verdict,
       (SELECT note FROM reviews r WHERE r.answer_id = a.id ORDER BY r.id DESC LIMIT 1) AS review_note
     FROM answers a ${where} ORDER BY a.created_at`,
  );
  for (const row of stmt.iterate(params) as Iterable<ExportRecord>) {
    yield { ...row, citations: (JSON.parse(row.citations) as Array<{ id: string }>).map((c) => c.id).join(' ') };
  }
}

/**
 * A text cell starting with = + - @ (or a tab/CR that spreadsheets skip) is a formula to Excel
 * and LibreOffice (`=HYPERLINK(...)` from a citizen's question): prefix it with an apostrophe so
 * it is shown as text. Numbers are written as numbers. JSONL keeps values exactly.
 */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const raw = String(value);
  const s = typeof value === 'string' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function* toCsv(records: Iterable<ExportRecord>): Generator<string> {
  yield `${EXPORT_COLUMNS.join(',')}\r\n`;
  for (const r of records) yield `${EXPORT_COLUMNS.map((c) => csvField(r[c])).join(',')}\r\n`;
}

export function* toJsonl(records: Iterable<ExportRecord>): Generator<string> {
  for (const r of records) yield `${JSON.stringify(r)}\n`;
}

/**
 * What the staff desk shows of tickets: the list items with the province's target, a ticket with
 * its conversation as the citizen saw it, and canned answers made from articles. Reads only;
 * every change goes through the ticket store (tickets.ts), which checks roles and audits.
 */
import type { Db } from '../db/database.js';
import type { Citation, StageRecord } from '../domain/answer.js';
import { OPEN_TICKET_STATUSES } from '../domain/handoff.js';
import type { KnowledgeIndex } from '../knowledge/knowledge-index.js';
import type { ProvinceProfile } from '../knowledge/province-profiles.js';
import { renderProfileText } from '../knowledge/profile-render.js';
import type { Translate } from '../i18n/i18n.js';
import { foldDiacritics } from '../text/normalise.js';
import { markdownToPlain } from '../../channels/core/text.js';
import type { Ticket, TicketMessage } from './tickets.js';
import { handoffKeyword } from './keywords.js';

/**
 * What the citizen asked, for a staff reply filed as a content gap: the questions of the
 * conversation before the handoff and the ticket's citizen messages before that reply, without
 * the requests for a person ("gặp cán bộ") and the empty ones; the last five, oldest first.
 */
export function gapQuestions(history: HistoryTurn[], messages: TicketMessage[], replyId: number): string[] {
  const asked = [...history.map((h) => h.question), ...messages.filter((m) => m.author === 'citizen' && m.id < replyId).map((m) => m.text)];
  const kept = [...new Set(asked.map((q) => q.trim()).filter((q) => q && handoffKeyword(q) === null))];
  return kept.slice(-5);
}

export interface TargetInfo {
  /** The province's target time to a first staff reply, in working minutes (null: handoff off there now). */
  targetMinutes: number | null;
  /** Still waiting for a first staff reply after it was due. */
  pastTarget: boolean;
}

export function targetOf(t: Ticket, profiles: Map<string, ProvinceProfile>, now: Date): TargetInfo {
  const open = OPEN_TICKET_STATUSES.includes(t.status);
  return {
    targetMinutes: profiles.get(t.province)?.handoff?.firstResponseMinutes ?? null,
    pastTarget: open && t.firstResponseAt === null && now.getTime() > Date.parse(t.dueAt),
  };
}

/** One answer of the conversation, as the citizen saw it. */
export interface HistoryTurn {
  answerId: string;
  createdAt: string;
  kind: string;
  /** The citizen's message, redacted. */
  question: string;
  /** What the assistant answered ('' while a person held the conversation). */
  reply: string;
  citations: Citation[];
}

/**
 * The conversation's answers, oldest first, without those made while this ticket was open (the
 * ticket's own messages show those turns): what the assistant said before the handoff, and
 * after a release.
 */
export function conversationHistory(db: Db, conversationId: string, ticketCode: string): HistoryTurn[] {
  const rows = db
    .prepare('SELECT id, created_at, kind, question_redacted, reply_text, reply_shown, citations, stages FROM answers WHERE conversation_id = ? ORDER BY created_at, rowid')
    .all(conversationId) as Array<Record<string, unknown>>;
  const out: HistoryTurn[] = [];
  for (const r of rows) {
    const handoff = (JSON.parse(r.stages as string) as StageRecord[]).find((s) => s.stage === 'handoff');
    const details = (handoff?.details ?? {}) as { ticket?: string; action?: string };
    if (details.ticket === ticketCode && details.action !== 'open') continue;
    out.push({
      answerId: r.id as string,
      createdAt: r.created_at as string,
      kind: r.kind as string,
      question: r.question_redacted as string,
      reply: ((r.reply_shown as string | null) ?? (r.reply_text as string)) || '',
      citations: JSON.parse(r.citations as string) as Citation[],
    });
  }
  return out;
}

export interface DeskMessage extends TicketMessage {
  /** The officer's user name for a staff message. */
  by: string | null;
}

export function withAuthors(db: Db, messages: TicketMessage[]): DeskMessage[] {
  const name = db.prepare('SELECT username FROM users WHERE id = ?');
  const names = new Map<number, string | null>();
  return messages.map((m) => {
    if (m.userId === null) return { ...m, by: null };
    if (!names.has(m.userId)) names.set(m.userId, (name.get(m.userId) as { username: string } | undefined)?.username ?? null);
    return { ...m, by: names.get(m.userId)! };
  });
}

export interface CannedItem {
  id: string;
  title: string;
}

/** Articles (not procedure records: those are answered from the lookup) whose title matches every word of `q`. */
export function cannedList(index: KnowledgeIndex, q: string, lang: string, limit = 50): CannedItem[] {
  const words = foldDiacritics(q.toLowerCase()).split(/\s+/).filter(Boolean);
  const out: CannedItem[] = [];
  for (const doc of index.docs.values()) {
    if (doc.kind !== 'article' || doc.lang !== lang || doc.topics.some((t) => t.startsWith('meta.'))) continue;
    const title = foldDiacritics(doc.title.toLowerCase());
    if (words.every((w) => title.includes(w))) out.push({ id: doc.id, title: doc.title });
  }
  return out.sort((a, b) => a.title.localeCompare(b.title, 'vi')).slice(0, limit);
}

/**
 * An article as a starting point for a staff reply: its summary and sections, with the
 * province's contacts filled in by the same sentence-level rendering as the assistant's answers
 * (a value the profile lacks drops its sentence, never a made-up one), as plain text: staff
 * replies are sent as typed, never as Markdown.
 */
export function cannedText(index: KnowledgeIndex, id: string, lang: string, profile: ProvinceProfile, t: Translate): { id: string; title: string; text: string } | null {
  const versions = index.byId.get(id);
  const doc = versions?.get(lang) ?? versions?.get('vi');
  if (!doc || doc.kind !== 'article') return null;
  const parts = [doc.summary, ...doc.sections.map((s) => `**${s.heading}**\n${s.text}`)].filter((p) => p.trim());
  const text = markdownToPlain(renderProfileText(parts.join('\n\n'), profile, t));
  return { id: doc.id, title: doc.title, text };
}

import type { Db } from '../db/database.js';
import type { Citation, StageRecord } from '../domain/answer.js';
import type { AnswerRecord } from '../storage/answer-log.js';
import type { StaffUser } from '../domain/staff.js';
import { filterSql, type AnswerFilters } from './filters.js';

import { VERDICTS, type Verdict } from '../domain/staff.js';

export { VERDICTS, type Verdict };

/** What every listing of an answer shows about it. */
interface AnswerBase {
  id: string;
  createdAt: string;
  channel: string;
  province: string;
  lang: string;
  kind: string;
  /** Null for answers stored before outcomes were recorded. */
  outcome: string | null;
  question: string;
}

/** The columns of `answers` behind AnswerBase (all but the id). */
const answerBase = (r: Record<string, unknown>): Omit<AnswerBase, 'id'> => ({
  createdAt: r.created_at as string,
  channel: r.channel as string,
  province: r.province as string,
  lang: r.lang as string,
  kind: r.kind as string,
  outcome: (r.outcome as string | null) ?? null,
  question: r.question_redacted as string,
});

export interface QueueItem extends AnswerBase {
  conversationId: string;
  confidence: number;
  topics: string[];
  feedback: 'up' | 'down' | null;
  reason: 'negative_feedback' | 'fallback' | 'low_confidence' | 'safety' | 'sample' | 'other';
  verdict: Verdict | null;
}

export interface AnswerReview {
  reviewer: string;
  verdict: Verdict;
  note: string | null;
  expectedArticle: string | null;
  createdAt: string;
}

/** One answer of a conversation as shown to reviewers (the stored JSON columns parsed). */
export interface ConversationAnswer extends AnswerBase {
  reply: string;
  replyMarkdown: string;
  citations: Citation[];
  topics: string[];
  confidence: number;
  candidates: AnswerRecord['candidates'];
  stages: StageRecord[];
  safety: Record<string, unknown> | null;
  indexVersion: string | null;
  embedderId: string | null;
  latencyMs: number;
  isTest: boolean;
  feedback: Array<{ rating: 'up' | 'down'; reason: string | null; comment: string | null; createdAt: string }>;
  reviews: AnswerReview[];
}

/**
 * A follow-up answered from the conversation's topic ("còn lệ phí?") has a low retrieval
 * confidence by nature — two words find little on their own — so it is not low confidence.
 *
 * The review queue, ordered by need: negative feedback, fallbacks, low confidence, safety flags,
 * then the random sample; within a group, newest first.
 */
export function createReviewStore(db: Db, opts: { lowConfidence: number }) {
  const PRIORITY = `CASE
      WHEN EXISTS (SELECT 1 FROM feedback fb WHERE fb.answer_id = a.id AND fb.rating = 'down') THEN 1
      WHEN a.kind = 'fallback' THEN 2
      WHEN a.kind IN ('answer', 'handoff', 'greeting') AND a.confidence < @low AND COALESCE(a.outcome, '') <> 'answered_follow_up' THEN 3
      WHEN a.kind = 'safety' THEN 4
      WHEN a.sampled = 1 THEN 5
      ELSE 6 END`;
  const REASONS: Record<number, QueueItem['reason']> = { 1: 'negative_feedback', 2: 'fallback', 3: 'low_confidence', 4: 'safety', 5: 'sample', 6: 'other' };

  return {
    queue(filters: AnswerFilters, page = { limit: 50, offset: 0 }, includeAll = false): { items: QueueItem[]; total: number } {
      const { where, params } = filterSql({ review: filters.review ?? 'unreviewed', ...filters });
      const need = includeAll ? '' : `${where ? ' AND' : 'WHERE'} (${PRIORITY}) < 6`;
      const rows = db
        .prepare(
          `SELECT a.id, a.conversation_id, a.created_at, a.channel, a.province, a.lang, a.kind, a.outcome, a.question_redacted, a.confidence, a.topics,
             (SELECT rating FROM feedback fb WHERE fb.answer_id = a.id ORDER BY fb.id DESC LIMIT 1) AS feedback,
             (SELECT verdict FROM reviews r WHERE r.answer_id = a.id ORDER BY r.id DESC LIMIT 1) AS verdict,
             ${PRIORITY} AS priority
           FROM answers a ${where}${need}
           ORDER BY priority, a.created_at DESC LIMIT @limit OFFSET @offset`,
        )
        .all({ ...params, low: opts.lowConfidence, limit: page.limit, offset: page.offset }) as Array<Record<string, unknown>>;
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM answers a ${where}${need}`).get({ ...params, low: opts.lowConfidence }) as { n: number }).n;
      return {
        total,
        items: rows.map((r) => ({
          id: r.id as string,
          conversationId: r.conversation_id as string,
          ...answerBase(r),
          confidence: r.confidence as number,
          topics: JSON.parse(r.topics as string) as string[],
          feedback: (r.feedback as 'up' | 'down' | null) ?? null,
          reason: REASONS[r.priority as number],
          verdict: (r.verdict as Verdict | null) ?? null,
        })),
      };
    },

    /** The conversation exactly as the citizen saw it, with sources, scores, feedback and reviews. */
    conversation(id: string): { id: string; answers: ConversationAnswer[] } | null {
      const answers = db
        .prepare(
          `SELECT id, created_at, channel, province, lang, kind, outcome, question_redacted, reply_text, reply_shown, citations, topics, confidence,
             candidates, stages, safety, index_version, embedder_id, latency_ms, is_test
           FROM answers WHERE conversation_id = ? ORDER BY created_at, rowid`,
        )
        .all(id) as Array<Record<string, unknown>>;
      if (answers.length === 0) return null;
      const feedback = db.prepare('SELECT rating, reason, comment_redacted AS comment, created_at AS createdAt FROM feedback WHERE answer_id = ? ORDER BY id');
      const reviews = db.prepare('SELECT reviewer, verdict, note, expected_article AS expectedArticle, created_at AS createdAt FROM reviews WHERE answer_id = ? ORDER BY id');
      return {
        id,
        answers: answers.map((a): ConversationAnswer => ({
          id: a.id as string,
          ...answerBase(a),
          reply: (a.reply_shown as string | null) ?? (a.reply_text as string),
          replyMarkdown: a.reply_text as string,
          citations: JSON.parse(a.citations as string),
          topics: JSON.parse(a.topics as string),
          confidence: a.confidence as number,
          candidates: JSON.parse(a.candidates as string),
          stages: JSON.parse(a.stages as string),
          safety: a.safety ? JSON.parse(a.safety as string) : null,
          indexVersion: a.index_version as string | null,
          embedderId: a.embedder_id as string | null,
          latencyMs: a.latency_ms as number,
          isTest: a.is_test === 1,
          feedback: feedback.all(a.id) as ConversationAnswer['feedback'],
          reviews: reviews.all(a.id) as AnswerReview[],
        })),
      };
    },

    addReview(answerId: string, user: StaffUser, input: { verdict: Verdict; note?: string; expectedArticle?: string }): boolean {
      const exists = db.prepare('SELECT 1 FROM answers WHERE id = ?').get(answerId);
      if (!exists) return false;
      db.prepare('INSERT INTO reviews (answer_id, reviewer_id, reviewer, verdict, note, expected_article, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        answerId,
        user.id,
        user.username,
        input.verdict,
        input.note ?? null,
        input.expectedArticle ?? null,
        new Date().toISOString(),
      );
      return true;
    },
  };
}

export type ReviewStore = ReturnType<typeof createReviewStore>;

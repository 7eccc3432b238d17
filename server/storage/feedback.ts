import type { Db } from '../db/database.js';

export const FEEDBACK_REASONS = ['wrong', 'unclear', 'outdated', 'not_helpful', 'other'] as const;
export type FeedbackReason = (typeof FEEDBACK_REASONS)[number];

export interface FeedbackInput {
  answerId: string;
  rating: 'up' | 'down';
  reason?: FeedbackReason;
  /** Already redacted by the caller. */
  commentRedacted?: string;
}

export function createFeedbackStore(db: Db) {
  const exists = db.prepare('SELECT 1 FROM answers WHERE id = ?');
  // The unique index (migration 0010) decides, also between two processes racing: a second
  // feedback on the same answer inserts nothing.
  const insert = db.prepare('INSERT INTO feedback (answer_id, rating, reason, comment_redacted, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(answer_id) DO NOTHING');
  const forAnswer = db.prepare('SELECT rating, reason, comment_redacted AS comment, created_at AS createdAt FROM feedback WHERE answer_id = ? ORDER BY id');
  return {
    /** 'unknown_answer' when the answer does not exist, 'duplicate' when it already has feedback; nothing is stored then. */
    add(input: FeedbackInput): 'stored' | 'unknown_answer' | 'duplicate' {
      if (!exists.get(input.answerId)) return 'unknown_answer';
      const info = insert.run(input.answerId, input.rating, input.reason ?? null, input.commentRedacted ?? null, new Date().toISOString());
      return info.changes === 1 ? 'stored' : 'duplicate';
    },
    forAnswer(answerId: string): Array<{ rating: string; reason: string | null; comment: string | null; createdAt: string }> {
      return forAnswer.all(answerId) as Array<{ rating: string; reason: string | null; comment: string | null; createdAt: string }>;
    },
  };
}

export type FeedbackStore = ReturnType<typeof createFeedbackStore>;

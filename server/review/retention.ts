import type { Db } from '../db/database.js';

export interface PurgeResult {
  cutoff: string;
  answers: number;
  conversations: number;
  safetyEvents: number;
}

/**
 * Deletes answer records older than `days` (with their feedback and reviews), after folding them
 * into per-day aggregates so dashboards keep their history. One transaction: all or nothing.
 */
export function purgeOlderThan(db: Db, days: number, now: Date = new Date()): PurgeResult {
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO daily_aggregates (day, channel, province, kind, answers, feedback_up, feedback_down, reviews_total, reviews_correct)
       SELECT substr(a.created_at, 1, 10), a.channel, a.province, a.kind, COUNT(*),
         SUM((SELECT COUNT(*) FROM feedback f WHERE f.answer_id = a.id AND f.rating = 'up')),
         SUM((SELECT COUNT(*) FROM feedback f WHERE f.answer_id = a.id AND f.rating = 'down')),
         SUM(EXISTS (SELECT 1 FROM reviews r WHERE r.answer_id = a.id)),
         SUM(COALESCE((SELECT verdict FROM reviews r WHERE r.answer_id = a.id ORDER BY r.id DESC LIMIT 1) = 'correct', 0))
       FROM answers a WHERE a.created_at < @cutoff AND a.is_test = 0
       GROUP BY 1, 2, 3, 4
       ON CONFLICT (day, channel, province, kind) DO UPDATE SET
         answers = answers + excluded.answers,
         feedback_up = feedback_up + excluded.feedback_up,
         feedback_down = feedback_down + excluded.feedback_down,
         reviews_total = reviews_total + excluded.reviews_total,
         reviews_correct = reviews_correct + excluded.reviews_correct`,
    ).run({ cutoff });
    const answers = db.prepare('DELETE FROM answers WHERE created_at < ?').run(cutoff).changes;
    const conversations = db.prepare('DELETE FROM conversations WHERE updated_at < ? AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.conversation_id = conversations.id)').run(cutoff).changes;
    const safetyEvents = db.prepare('DELETE FROM safety_events WHERE created_at < ?').run(cutoff).changes;
    return { cutoff, answers, conversations, safetyEvents };
  })();
}

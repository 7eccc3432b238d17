import crypto from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Answer, StageRecord } from '../domain/answer.js';
import type { ConfidenceFeatures } from '../retrieval/confidence.js';

/** Everything stored about one answer; the question is already redacted by the safety stage. */
export interface AnswerRecord {
  answer: Answer;
  channel: string;
  province: string;
  questionRedacted: string;
  questionNormalised: string;
  candidates: Array<{ id: string; kind: string; topics: string[]; score: number; coverage: number; bigramCoverage: number; vectorScore: number; features: ConfidenceFeatures; lexicalRank: number | null; vectorRank: number | null }>;
  stages: StageRecord[];
  safety: unknown;
  indexVersion: string | null;
  embedderId: string | null;
  latencyMs: number;
  isTest: boolean;
  createdAt: string;
}

/** Whether an answer falls in the random review sample: stable per answer id, so re-runs agree. */
export function inSample(answerId: string, rate: number): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  const h = crypto.createHash('sha256').update(answerId).digest().readUInt32BE(0);
  return h / 0x1_0000_0000 < rate;
}

export function createAnswerLog(db: Db, opts: { sampleRate: number } = { sampleRate: 0.1 }) {
  const insert = db.prepare(`INSERT INTO answers (id, conversation_id, created_at, channel, province, lang, question_redacted, question_normalised, kind, outcome, reply_text,
      topics, citations, confidence, candidates, stages, safety, index_version, embedder_id, latency_ms, is_test, sampled)
    VALUES (@id, @conversationId, @createdAt, @channel, @province, @lang, @questionRedacted, @questionNormalised, @kind, @outcome, @replyText,
      @topics, @citations, @confidence, @candidates, @stages, @safety, @indexVersion, @embedderId, @latencyMs, @isTest, @sampled)`);
  const setShown = db.prepare('UPDATE answers SET reply_shown = ? WHERE id = ?');
  const byId = db.prepare('SELECT * FROM answers WHERE id = ?');
  const safetyEvent = db.prepare('INSERT INTO safety_events (created_at, answer_id, kind, label) VALUES (?, ?, ?, ?)');
  return {
    record(r: AnswerRecord): void {
      insert.run({
        id: r.answer.answerId,
        conversationId: r.answer.conversationId,
        createdAt: r.createdAt,
        channel: r.channel,
        province: r.province,
        lang: r.answer.lang,
        questionRedacted: r.questionRedacted,
        questionNormalised: r.questionNormalised,
        kind: r.answer.kind,
        outcome: r.answer.outcome,
        replyText: r.answer.text,
        topics: JSON.stringify(r.answer.topics),
        citations: JSON.stringify(r.answer.citations),
        confidence: r.answer.confidence,
        candidates: JSON.stringify(r.candidates),
        stages: JSON.stringify(r.stages),
        safety: r.safety === undefined ? null : JSON.stringify(r.safety),
        indexVersion: r.indexVersion,
        embedderId: r.embedderId,
        latencyMs: r.latencyMs,
        isTest: r.isTest ? 1 : 0,
        sampled: inSample(r.answer.answerId, opts.sampleRate) ? 1 : 0,
      });
    },
    /** Channels record the reply exactly as the user saw it (Zalo text, SMS parts). */
    setShownReply(answerId: string, shown: string): void {
      setShown.run(shown, answerId);
    },
    /** Refusals and other safety outcomes as labels only, never the message. */
    safetyEvent(answerId: string, kind: string, label: string | null): void {
      safetyEvent.run(new Date().toISOString(), answerId, kind, label);
    },
    get(id: string): Record<string, unknown> | undefined {
      return byId.get(id) as Record<string, unknown> | undefined;
    },
  };
}

export type AnswerLog = ReturnType<typeof createAnswerLog>;

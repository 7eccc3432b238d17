import type { Db } from '../db/database.js';
import type { Answer, StageRecord } from '../pipeline/answer.js';
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

export function createAnswerLog(db: Db) {
  const insert = db.prepare(`INSERT INTO answers (id, conversation_id, created_at, channel, province, lang, question_redacted, question_normalised, kind, reply_text,
      topics, citations, confidence, candidates, stages, safety, index_version, embedder_id, latency_ms, is_test)
    VALUES (@id, @conversationId, @createdAt, @channel, @province, @lang, @questionRedacted, @questionNormalised, @kind, @replyText,
      @topics, @citations, @confidence, @candidates, @stages, @safety, @indexVersion, @embedderId, @latencyMs, @isTest)`);
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
      });
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

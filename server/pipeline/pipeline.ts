import type { DeclineTable } from './decline.js';
import crypto from 'node:crypto';
import type { i18n } from 'i18next';
import type { Embedder } from '../embeddings/embedder.js';
import type { KnowledgeIndex } from '../knowledge/knowledge-index.js';
import type { ProvinceProfile } from '../knowledge/province-profiles.js';
import { translator } from '../i18n/i18n.js';
import type { Lexicon } from '../retrieval/lexicon.js';
import type { TypoCorrect } from '../retrieval/query-analysis.js';
import type { ChunkSearch } from '../retrieval/chunk-search.js';
import type { ConfidenceModel } from '../retrieval/confidence.js';
import type { EncodingRepairer } from '../text/encoding-repair.js';
import type { SafetyVerdict } from '../safety/safety-check.js';
import type { ConversationStore } from '../storage/conversations.js';
import type { AnswerLog, AnswerRecord } from '../storage/answer-log.js';
import type { KeywordTable, LanguageDetector } from '../i18n/language-detect.js';
import type { ProcedureScope } from '../knowledge/procedure-scope.js';
import type { Answer, InboundMessage, Outcome } from '../domain/answer.js';
import { hotlineLines, round, simpleReply, type Composition } from './composer.js';
import { errorOutcome, runStages } from './runner.js';
import type { Stage, Turn } from './turn.js';
import { createNormaliseStage } from './stages/normalise.js';
import { createSafetyStage } from './stages/safety.js';
import { createHandoffStage } from './stages/handoff.js';
import { TicketConflictError, type TicketStore } from '../handoff/tickets.js';
import { createUnderstandStage } from './stages/understand.js';
import { createRetrieveStage } from './stages/retrieve.js';
import { createComposeStage } from './stages/compose.js';

export interface PipelineDeps {
  /** Current index and the embedder it was built with (swapped atomically on re-index). */
  index: () => { index: KnowledgeIndex; embedder: Embedder; correct: TypoCorrect };
  profiles: Map<string, ProvinceProfile>;
  defaultProvince: string;
  lexicon: Lexicon;
  i18n: i18n;
  safety: (province: string) => { check(text: string): SafetyVerdict };
  conversations: ConversationStore;
  answerLog: AnswerLog;
  maxMessageChars: number;
  answerThreshold: number;
  /** Lower edge of the band where the assistant asks which topic is meant (0 = never). */
  clarifyThreshold?: number;
  /** What unanswerable questions are about, for the wording of the decline. */
  declineTable?: DeclineTable;
  confidenceModel: ConfidenceModel;
  supportedLanguages: string[];
  detector: LanguageDetector;
  languageKeywords: KeywordTable;
  repairer: EncodingRepairer;
  /** Whose procedure records answer a province's citizens (its own, its successor's, national ones). */
  procedureScope: (province: string) => ProcedureScope;
  /** Where the lexical and vector searches run (a worker thread, or inline). */
  search: ChunkSearch;
  /** Commits the turn's writes in one transaction (shared with concurrent turns: group commit). */
  commit: (write: () => void) => Promise<void>;
  /**
   * Is the channel switched on (server/storage/service-controls.ts)? When it is off, only the
   * normalise and safety stages run (the question is stored redacted, as usual) and the citizen
   * gets the fixed channel_off reply. Not given: every channel is on.
   */
  channelOpen?: (channel: InboundMessage['channel']) => boolean;
  /** Conversations handed to staff. */
  tickets: TicketStore;
  /** The clock for office hours and ticket times (tests inject one). */
  now?: () => Date;
  /** The stages to run; the standard six when not given (tests replace one to make it fail). */
  stages?: readonly Stage[];
}

/** The stages that still run for a switched-off channel: enough to read the message and redact it. */
const BEFORE_UNDERSTANDING = new Set(['normalise', 'safety']);

export interface PipelineResult {
  answer: Answer;
  record: AnswerRecord;
}

/** normalise → safety → handoff → understand → retrieve → compose, each a module of `stages/`. */
export function standardStages(deps: PipelineDeps): Stage[] {
  return [
    createNormaliseStage(deps),
    createSafetyStage(deps),
    createHandoffStage({ tickets: deps.tickets, now: deps.now ?? (() => new Date()) }),
    createUnderstandStage(deps),
    createRetrieveStage(deps),
    createComposeStage(deps),
  ];
}

/**
 * One turn: the stages run over a shared turn context and each records what it did; the answer
 * and its record (question redacted) are stored together, then returned. A stage that throws
 * still gives the citizen a reply and leaves a record with the error for staff review.
 */
export function createPipeline(deps: PipelineDeps) {
  const stages = deps.stages ?? standardStages(deps);

  /** `store: false` answers without writing anything (the start-up warm-up). */
  async function handle(msg: InboundMessage, opts: { store?: boolean; retried?: boolean } = {}): Promise<PipelineResult> {
    const started = performance.now();
    const provinceCode = msg.province && deps.profiles.has(msg.province) ? msg.province : deps.defaultProvince;
    const profile = deps.profiles.get(provinceCode)!;
    const turn: Turn = {
      msg,
      provinceCode,
      profile,
      snapshot: deps.index(),
      existing: msg.conversationId ? deps.conversations.find(msg.conversationId) : null,
      candidates: [],
      confidence: 0,
    };
    // A switched-off channel: the message is still read and redacted (and stored below), but not
    // answered from the knowledge base. The warm-up (store: false) never counts as switched off.
    const closed = opts.store !== false && deps.channelOpen !== undefined && !deps.channelOpen(msg.channel);
    const report = closed ? await runStages(stages.filter((s) => BEFORE_UNDERSTANDING.has(s.name)), turn) : await runStages(stages, turn);
    if (closed) {
      for (const s of stages) if (!BEFORE_UNDERSTANDING.has(s.name)) report.stages.push({ stage: s.name, status: 'skipped', ms: 0, details: { reason: `channel ${msg.channel} switched off` } });
    }

    // A stage failed before the language was chosen: answer in Vietnamese, the default.
    const language = turn.language ?? null;
    const lang = language?.norm.lang ?? 'vi';
    const conversation =
      language?.conversation ??
      turn.existing ??
      deps.conversations.open({ id: msg.conversationId, channel: msg.channel, province: provinceCode, lang, userRef: msg.userRef, tokenHash: msg.conversationTokenHash, isTest: Boolean(msg.isTest) });

    let composition: Composition;
    let outcome: Outcome;
    if (report.failure) {
      const t = language?.t ?? translator(deps.i18n, lang, 'reply');
      const ctx = language?.compose ?? { profile, t, lexicon: deps.lexicon };
      const text = [t('stage_error'), ...hotlineLines(ctx)].join('\n\n');
      composition = { ...simpleReply('fallback', text), summary: t('stage_error') };
      outcome = errorOutcome(report.failure.stage);
    } else if (closed) {
      const t = language?.t ?? translator(deps.i18n, lang, 'reply');
      const ctx = language?.compose ?? { profile, t, lexicon: deps.lexicon };
      // Where to ask instead, from the province profile only (never a number of our own).
      const lines = [t('channel_off'), ...hotlineLines(ctx)];
      composition = { ...simpleReply('handoff', lines.join('\n\n')), summary: lines.slice(0, 2).join(' ') };
      outcome = 'channel_off';
    } else if (report.stop) {
      composition = report.stop.composition;
      outcome = report.stop.outcome;
    } else {
      composition = turn.composition!;
      outcome = turn.outcome!;
    }
    if (turn.handoff?.notice) composition = { ...composition, notices: [...composition.notices, turn.handoff.notice] };
    if (language?.norm.tooLong) composition = { ...composition, notices: [...composition.notices, language.t('too_long', { max: deps.maxMessageChars })] };

    const { index, embedder } = turn.snapshot;
    const verdict = turn.verdict;
    const answer: Answer = {
      conversationId: conversation.id,
      answerId: crypto.randomUUID(),
      lang,
      kind: composition.kind,
      outcome,
      text: composition.text,
      summary: composition.summary,
      ...(composition.steps ? { steps: composition.steps } : {}),
      citations: composition.citations,
      topics: composition.topics,
      confidence: round(turn.confidence),
      quickReplies: composition.quickReplies,
      notices: composition.notices,
      ...(turn.query && outcome !== 'fallback_empty' ? { ask: turn.query.ask.type } : {}),
      ...(turn.handoff?.info ? { handoff: turn.handoff.info } : {}),
    };
    const primary = composition.citations[0]?.id ?? null;
    const lastDocId = composition.kind === 'answer' || composition.kind === 'safety' ? primary ?? conversation.lastDocId : conversation.lastDocId;

    const record: AnswerRecord = {
      answer,
      channel: msg.channel,
      province: provinceCode,
      // Only the safety stage's redacted text is ever stored; without it (the stage did not run
      // or failed) nothing of the question is.
      questionRedacted: verdict?.redactedText ?? (language?.norm.garbage ? '[binary]' : ''),
      questionNormalised: turn.query ? turn.query.searchTokens.join(' ') : '',
      candidates: turn.candidates.slice(0, 10).map((c) => ({
        id: c.doc.id,
        kind: c.doc.kind,
        topics: c.doc.topics,
        score: round(c.score),
        coverage: round(c.coverage),
        bigramCoverage: round(c.bigramCoverage),
        vectorScore: round(c.vectorScore),
        features: c.features,
        lexicalRank: c.lexicalRank,
        vectorRank: c.vectorRank,
      })),
      stages: report.stages,
      safety: verdict ? { route: verdict.route, sensitive: verdict.sensitive, links: verdict.links, scam: verdict.scam, abuse: verdict.abuse } : undefined,
      indexVersion: index.version,
      embedderId: embedder.id,
      latencyMs: performance.now() - started,
      isTest: Boolean(msg.isTest),
      createdAt: new Date().toISOString(),
    };
    if (opts.store === false) return { answer, record };
    // Conversation, answer record and safety label are stored together or not at all, and the
    // answer is returned only once they are.
    try {
      await deps.commit(() => {
        deps.conversations.save(conversation, lang, composition.topics, lastDocId, outcome === 'clarification' ? composition.quickReplies.filter((q) => q.topic).map((q) => q.payload) : []);
        deps.answerLog.record(record);
        turn.handoff?.write?.();
        if (verdict?.route === 'refuse') deps.answerLog.safetyEvent(answer.answerId, 'refusal', verdict.abuse?.label ?? null);
        else if (verdict?.route === 'safety') deps.answerLog.safetyEvent(answer.answerId, 'warning', verdict.sensitive.length ? 'sensitive' : verdict.links.length ? 'link' : 'scam');
      });
    } catch (err) {
      // A double tap: another request of this conversation opened a ticket after this turn
      // looked. Nothing of this turn was stored (its transaction rolled back); answered again, it
      // sees that ticket and the message is added to it. Once: a second conflict is a real error.
      if (err instanceof TicketConflictError && !opts.retried) return handle(msg, { ...opts, retried: true });
      throw err;
    }
    return { answer, record };
  }

  return { handle: (msg: InboundMessage) => handle(msg), warm: (msg: InboundMessage) => handle(msg, { store: false }) };
}

export type Pipeline = ReturnType<typeof createPipeline>;

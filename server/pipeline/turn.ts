import type { Embedder } from '../embeddings/embedder.js';
import type { KnowledgeIndex } from '../knowledge/knowledge-index.js';
import type { ProvinceProfile } from '../knowledge/province-profiles.js';
import type { Translate } from '../i18n/i18n.js';
import type { AnalysedQuery, TypoCorrect } from '../retrieval/query-analysis.js';
import type { Candidate } from '../retrieval/hybrid-retriever.js';
import type { SafetyVerdict } from '../safety/safety-check.js';
import type { ConversationState } from '../storage/conversations.js';
import type { InboundMessage, Outcome, StageName } from '../domain/answer.js';
import type { HandoffInfo } from '../domain/handoff.js';
import type { ComposeContext, Composition } from './composer.js';

/** The index snapshot a turn runs on (taken once at the start, so a re-index mid-turn changes nothing). */
export interface IndexSnapshot {
  index: KnowledgeIndex;
  embedder: Embedder;
  correct: TypoCorrect;
}

/** What the normalise stage made of the raw message. */
export interface NormalisedMessage {
  /** NFC, invisible characters removed, capped at the message limit. */
  text: string;
  garbage: boolean;
  tooLong: boolean;
  empty: boolean;
  /** Reply language. */
  lang: string;
  /** The message was only a language keyword ("ENGLISH", "BANA") of an offered language. */
  keywordOnly: boolean;
  /** A language keyword of a language this province does not offer. */
  unofferedLanguage: boolean;
}

/** Things set once the reply language is known (by the normalise stage). */
export interface TurnLanguage {
  norm: NormalisedMessage;
  conversation: ConversationState;
  /** Reply strings and safety strings in the reply language. */
  t: Translate;
  ts: Translate;
  compose: ComposeContext;
  /** Retrieval runs on the Vietnamese index whatever the reply language (pivot); only English has its own. */
  searchLang: 'vi' | 'en';
}

/**
 * The typed context every stage reads and extends. Stages run in order; each fills in its own
 * part, and a later stage may rely on what an earlier one set (the runner stops before a stage
 * whose inputs are missing, since an earlier stage then stopped the turn).
 */
export interface Turn {
  readonly msg: InboundMessage;
  readonly provinceCode: string;
  readonly profile: ProvinceProfile;
  readonly snapshot: IndexSnapshot;
  /** The stored conversation this message continues, if any. */
  readonly existing: ConversationState | null;
  language?: TurnLanguage;
  verdict?: SafetyVerdict;
  query?: AnalysedQuery;
  candidates: Candidate[];
  confidence: number;
  composition?: Composition;
  outcome?: Outcome;
  /** Set by the handoff stage: the ticket as the answer shows it, a notice, and the ticket write. */
  handoff?: { info?: HandoffInfo; notice?: string; write?: () => void };
}

/** A stage either lets the turn go on or ends it with a reply and the reason. */
export type StageResult =
  | { action: 'continue' }
  | { action: 'stop'; outcome: Outcome; composition: Composition };

export const CONTINUE: StageResult = { action: 'continue' };

export interface Stage {
  readonly name: StageName;
  /**
   * Runs the stage. `details` is what the stage records about itself for staff review (never a
   * secret: the safety stage records kinds and hosts, later stages see only redacted text).
   */
  run(turn: Turn, details: Record<string, unknown>): StageResult | Promise<StageResult>;
}

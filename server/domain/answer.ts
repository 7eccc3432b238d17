import type { Outcome } from './outcomes.js';
import type { HandoffInfo } from './handoff.js';

export { OUTCOMES, isOutcome, type Outcome } from './outcomes.js';

/** How an answer looks to the citizen; channels format each kind in their own way. */
export const ANSWER_KINDS = ['answer', 'fallback', 'safety', 'handoff', 'greeting'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

/** What kind of fact a question asks for; composing answers it first. */
export const ASK_TYPES = ['documents', 'fee', 'duration', 'place', 'contact', 'eligibility', 'steps', 'yes_no', 'other'] as const;
export type AskType = (typeof ASK_TYPES)[number];

export const CHANNELS = ['web', 'zalo', 'sms', 'api', 'cli', 'eval', 'bench'] as const;
export type Channel = (typeof CHANNELS)[number];

export const STAGE_NAMES = ['normalise', 'safety', 'handoff', 'understand', 'retrieve', 'compose'] as const;
export type StageName = (typeof STAGE_NAMES)[number];
export const STAGE_STATUSES = ['ok', 'skipped', 'stopped', 'error'] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

export interface Citation {
  id: string;
  kind: 'article' | 'procedure';
  title: string;
  url: string | null;
  /** When the cited content was last updated or published (procedure records: the record's date). */
  updated: string | null;
}

export interface QuickReply {
  label: string;
  /** Text sent back as the next message when tapped. */
  payload: string;
  /** The topic this reply leads to, when it is one choice of a clarification. */
  topic?: string;
}

/** The channel-independent answer every channel formats in its own way. */
export interface Answer {
  conversationId: string;
  answerId: string;
  lang: string;
  kind: AnswerKind;
  /** Which path produced the answer (one code from OUTCOMES). */
  outcome: Outcome;
  /** Markdown. */
  text: string;
  /** Short form for SMS-sized channels: the summary line(s) only. */
  summary: string;
  steps?: string[];
  citations: Citation[];
  topics: string[];
  confidence: number;
  quickReplies: QuickReply[];
  /** What kind of fact the question asked for (documents, fee, duration, place, contact, eligibility, steps, yes_no, other). */
  ask?: AskType;
  /** Things the user must be told about the answer itself (e.g. shown in Vietnamese because no translation exists). */
  notices: string[];
  /** When the conversation has (or just closed) a ticket with staff. */
  handoff?: HandoffInfo;
}

export interface InboundMessage {
  text: string;
  channel: Channel;
  conversationId?: string;
  lang?: string;
  province?: string;
  userRef?: string;
  /** SHA-256 of the token the web/API client is given when this message starts a conversation. */
  conversationTokenHash?: string;
  isTest?: boolean;
}

/** What each pipeline stage appends to the answer record. */
export interface StageRecord {
  stage: StageName;
  status: StageStatus;
  ms: number;
  details: Record<string, unknown>;
}

export type AnswerKind = 'answer' | 'fallback' | 'safety' | 'handoff' | 'greeting';

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
}

/** The channel-independent answer every channel formats in its own way. */
export interface Answer {
  conversationId: string;
  answerId: string;
  lang: string;
  kind: AnswerKind;
  /** Markdown. */
  text: string;
  /** Short form for SMS-sized channels: the summary line(s) only. */
  summary: string;
  steps?: string[];
  citations: Citation[];
  topics: string[];
  confidence: number;
  quickReplies: QuickReply[];
  /** Things the user must be told about the answer itself (e.g. shown in Vietnamese because no translation exists). */
  notices: string[];
}

export type Channel = 'web' | 'zalo' | 'sms' | 'api' | 'cli' | 'eval' | 'bench';

export interface InboundMessage {
  text: string;
  channel: Channel;
  conversationId?: string;
  lang?: string;
  province?: string;
  userRef?: string;
  isTest?: boolean;
}

/** What each pipeline stage appends to the answer record. */
export interface StageRecord {
  stage: 'normalise' | 'safety' | 'understand' | 'retrieve' | 'compose';
  status: 'ok' | 'skipped' | 'stopped' | 'error';
  ms: number;
  details: Record<string, unknown>;
}

import type { Answer } from '../../server/domain/answer.js';
import type { ChannelName, ChannelUser, InboxRow, UserUpdate } from './types.js';

export interface AdapterContext {
  /** The hotline of the active province profile (province first, then national). */
  hotline: string;
  now: number;
  /** The service notice shown now, in the user's language (null: none); put before answers. */
  notice?: string | null;
}

/** What the worker does with one inbox row. */
export type Plan =
  | { type: 'reply'; outcome: string; messages: unknown[]; userUpdate?: UserUpdate; cancelPending?: string }
  | { type: 'none'; outcome: string; userUpdate?: UserUpdate }
  | { type: 'pipeline'; text: string; lang?: string | null; userUpdate?: UserUpdate };

/** The channel-specific half of the worker: events, channel keywords, formatting. */
export interface ChannelAdapter {
  channel: ChannelName;
  /**
   * Handles what comes before the shared rules: non-text events (follow, stickers…) and channel
   * keywords that must always work (SMS STOP, "1" for more). Null: apply the shared rules.
   */
  before(row: InboxRow, user: ChannelUser, ctx: AdapterContext): Plan | null;
  /** A message from the channel itself (please wait, language switched…), as outbox payloads. */
  notice(text: string, user: ChannelUser, ctx: AdapterContext): unknown[];
  /** An assistant answer as outbox payloads, plus what it changes for the user (SMS remainder). */
  answer(answer: Answer, user: ChannelUser, ctx: AdapterContext): { messages: unknown[]; userUpdate?: UserUpdate };
}

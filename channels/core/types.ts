import type { FastifyBaseLogger } from 'fastify';

export type ChannelName = 'zalo' | 'sms';

/** The operational logger (pino or fastify's). Never give it message text, user ids or tokens. */
export type ChannelLogger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;

/** Test hook: called at named points of the delivery pipeline (a crash test kills the process there). */
export interface ChannelHooks {
  at?(point: HookPoint): void;
}

export type HookPoint =
  | 'worker:claimed'
  | 'worker:answered'
  | 'worker:committed'
  | 'sender:claimed'
  | 'sender:dispatching'
  | 'sender:responded'
  | 'sender:recorded'
  /** A staff reply's outbox rows are written, its transaction not yet committed. */
  | 'staff:forwarding';

export type InboxKind = 'text' | 'unsupported' | 'follow' | 'unfollow';

export interface InboxRow {
  id: number;
  channel: ChannelName;
  externalId: string;
  userId: string;
  kind: InboxKind;
  text: string | null;
  meta: Record<string, unknown>;
  state: 'received' | 'processing' | 'answered' | 'failed';
  receivedAt: number;
  attempts: number;
}

export interface OutboxRow {
  id: number;
  inboxId: number | null;
  channel: ChannelName;
  userId: string;
  part: number;
  payload: unknown;
  idempotencyKey: string;
  attempts: number;
  needsReconcile: boolean;
  createdAt: number;
  /** Id of the attempts row opened by the claim. */
  attemptId: number;
}

export interface ChannelUser {
  channel: ChannelName;
  userId: string;
  userRef: string;
  conversationId: string;
  lang: string | null;
  followed: boolean | null;
  optedOut: boolean;
  limitNoticeUntil: number | null;
  pendingMore: string | null;
}

export interface UserUpdate {
  lang?: string | null;
  followed?: boolean;
  optedOut?: boolean;
  limitNoticeUntil?: number | null;
  pendingMore?: string | null;
}

/** What a transport says about one delivery attempt. */
export type SendResult =
  | { status: 'sent'; providerMessageId?: string | null }
  | {
      status: 'retryable';
      code?: string;
      message: string;
      httpStatus?: number;
      /** The request may have reached the provider (timeout, 5xx, dropped connection): check before re-sending. */
      maybeDelivered: boolean;
      retryAfterMs?: number;
      /**
       * Nothing can be sent until an operator authorises the channel again: the row waits (its
       * attempts are not counted against the limit) and is re-checked every backoff maximum.
       */
      waitingForAuth?: boolean;
    }
  | { status: 'permanent'; code?: string; message: string; httpStatus?: number; alert?: boolean };

export type ReconcileResult =
  | { status: 'sent'; providerMessageId?: string | null }
  | { status: 'not_sent' }
  /** `waitingForAuth`: the provider could not be asked until the channel is authorised again. */
  | { status: 'unknown'; message: string; waitingForAuth?: boolean };

export interface Transport {
  channel: ChannelName;
  /** Re-sending with the same idempotency key cannot produce a second message (the provider de-duplicates). */
  readonly idempotent: boolean;
  send(row: OutboxRow): Promise<SendResult>;
  /** Asks the provider whether a message whose outcome is unknown was delivered. */
  reconcile?(row: OutboxRow, since: number): Promise<ReconcileResult>;
}

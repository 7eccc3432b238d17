import crypto from 'node:crypto';
import type { Db } from '../../server/db/database.js';
import type { InboxCipher } from './inbox-cipher.js';
import type { ChannelName, ChannelUser, InboxKind, InboxRow, OutboxRow, UserUpdate } from './types.js';

export class LeaseLostError extends Error {
  constructor(what: string) {
    super(`lease lost on ${what}`);
  }
}

export interface NewInboxEvent {
  channel: ChannelName;
  externalId: string;
  userId: string;
  kind: InboxKind;
  text?: string | null;
  meta?: Record<string, unknown>;
  receivedAt: number;
}

export interface Completion {
  state: 'answered' | 'failed';
  outcome: string;
  answerId?: string | null;
  error?: string | null;
  /** Channel payloads to deliver, in order. */
  outbox: unknown[];
  userUpdate?: UserUpdate;
  /** Cancel this user's undelivered outbox rows (SMS opt-out). */
  cancelPending?: string;
}

type Row = Record<string, unknown>;

function toInbox(r: Row, cipher: InboxCipher): InboxRow {
  return {
    id: r.id as number,
    channel: r.channel as ChannelName,
    externalId: r.external_id as string,
    userId: r.user_id as string,
    kind: r.kind as InboxKind,
    text: typeof r.text === 'string' ? cipher.open(r.text) : null,
    meta: r.meta ? (JSON.parse(r.meta as string) as Record<string, unknown>) : {},
    state: r.state as InboxRow['state'],
    receivedAt: r.received_at as number,
    attempts: r.attempts as number,
  };
}

function toOutbox(r: Row, attemptId: number): OutboxRow {
  return {
    id: r.id as number,
    inboxId: (r.inbox_id as number | null) ?? null,
    channel: r.channel as ChannelName,
    userId: r.user_id as string,
    part: r.part as number,
    payload: JSON.parse(r.payload as string),
    idempotencyKey: r.idempotency_key as string,
    attempts: r.attempts as number,
    needsReconcile: r.needs_reconcile === 1,
    createdAt: r.created_at as number,
    attemptId,
  };
}

function toUser(r: Row): ChannelUser {
  return {
    channel: r.channel as ChannelName,
    userId: r.user_id as string,
    userRef: r.user_ref as string,
    conversationId: r.conversation_id as string,
    lang: (r.lang as string | null) ?? null,
    followed: r.followed === null || r.followed === undefined ? null : r.followed === 1,
    optedOut: r.opted_out === 1,
    limitNoticeUntil: (r.limit_notice_until as number | null) ?? null,
    pendingMore: (r.pending_more as string | null) ?? null,
  };
}

/**
 * SQLite inbox, outbox, attempts and channel users. Every state change is one statement or one
 * transaction, and every claim is a lease (owner + expiry), so a process killed at any point leaves
 * rows another process (or the same one restarted) can take over.
 */
/**
 * Claiming from a leased queue table (inbox or outbox): an expired lease first, else the first
 * due row in index order (state, next_attempt_at, id) whose user has no older open row (partial
 * index) — no sort, so a long queue stays cheap. Run inside the caller's transaction.
 */
function leasedClaim(db: Db, table: 'channel_inbox' | 'channel_outbox', waiting: string, working: string) {
  const notBlocked = `NOT EXISTS (SELECT 1 FROM ${table} p WHERE p.channel = c.channel AND p.user_id = c.user_id AND p.id < c.id AND p.state IN ('${waiting}', '${working}'))`;
  const pickStale = db.prepare(`SELECT c.id FROM ${table} c
    WHERE c.state = '${working}' AND c.lease_until < @now AND c.channel IN (SELECT value FROM json_each(@channels)) AND ${notBlocked}
    ORDER BY c.id LIMIT 1`);
  const pickDue = db.prepare(`SELECT c.id FROM ${table} c
    WHERE c.state = '${waiting}' AND c.next_attempt_at <= @now AND c.channel IN (SELECT value FROM json_each(@channels)) AND ${notBlocked}
    ORDER BY c.next_attempt_at, c.id LIMIT 1`);
  const take = db.prepare(`UPDATE ${table}
    SET state = '${working}', lease_owner = @owner, lease_until = @until, attempts = attempts + 1
    WHERE id = @id AND (state = '${waiting}' OR (state = '${working}' AND lease_until < @now))
    RETURNING *`);
  return (owner: string, until: number, now: number, channels: string): Row | undefined => {
    const pick = (pickStale.get({ now, channels }) ?? pickDue.get({ now, channels })) as { id: number } | undefined;
    return pick ? (take.get({ id: pick.id, owner, until, now }) as Row | undefined) : undefined;
  };
}

export interface ChannelStoreDeps {
  /** Raw message text is stored sealed (channels/core/inbox-cipher.ts). */
  cipher: InboxCipher;
}

export function createChannelStore(db: Db, deps: ChannelStoreDeps) {
  const { cipher } = deps;
  const insertInboxStmt = db.prepare(`INSERT INTO channel_inbox (channel, external_id, user_id, kind, text, meta, state, received_at, next_attempt_at)
    VALUES (@channel, @externalId, @userId, @kind, @text, @meta, 'received', @receivedAt, @receivedAt)
    ON CONFLICT (channel, external_id) DO NOTHING`);
  const findInboxByExternal = db.prepare('SELECT id, received_at FROM channel_inbox WHERE channel = ? AND external_id = ?');

  const inboxClaim = leasedClaim(db, 'channel_inbox', 'received', 'processing');
  const claimInboxTx = db.transaction(inboxClaim);
  const finishInboxStmt = db.prepare(`UPDATE channel_inbox
    SET state = @state, outcome = @outcome, text = NULL, done_at = @now, answer_id = @answerId, last_error = @error, lease_owner = NULL, lease_until = NULL
    WHERE id = @id AND state = 'processing' AND lease_owner = @owner`);
  const retryInboxStmt = db.prepare(`UPDATE channel_inbox
    SET state = 'received', next_attempt_at = @nextAt, last_error = @error, lease_owner = NULL, lease_until = NULL
    WHERE id = @id AND state = 'processing' AND lease_owner = @owner`);
  const insertOutboxStmt = db.prepare(`INSERT INTO channel_outbox (inbox_id, channel, user_id, part, payload, idempotency_key, state, next_attempt_at, created_at)
    VALUES (@inboxId, @channel, @userId, @part, @payload, @key, 'pending', @now, @now)`);
  const cancelPendingStmt = db.prepare(`UPDATE channel_outbox SET state = 'failed', last_error = @reason, lease_owner = NULL, lease_until = NULL
    WHERE channel = @channel AND user_id = @userId AND state = 'pending'`);

  const getUserStmt = db.prepare('SELECT * FROM channel_users WHERE channel = ? AND user_id = ?');
  const insertUserStmt = db.prepare(`INSERT INTO channel_users (channel, user_id, user_ref, conversation_id, created_at, last_seen_at)
    VALUES (@channel, @userId, @userRef, @conversationId, @now, @now)
    ON CONFLICT (channel, user_id) DO UPDATE SET last_seen_at = MAX(last_seen_at, excluded.last_seen_at)`);
  const countRecentStmt = db.prepare(`SELECT COUNT(*) AS n FROM channel_inbox
    WHERE channel = @channel AND user_id = @userId AND kind = 'text' AND received_at > @since AND id < @beforeId`);

  const outboxClaim = leasedClaim(db, 'channel_outbox', 'pending', 'sending');
  const openAttemptsStmt = db.prepare(`SELECT id, outcome FROM channel_attempts WHERE outbox_id = ? AND outcome IN ('started', 'dispatched')`);
  const closeAttemptStmt = db.prepare(`UPDATE channel_attempts SET outcome = @outcome, finished_at = @now, error_message = @message WHERE id = @id`);
  const flagReconcileStmt = db.prepare('UPDATE channel_outbox SET needs_reconcile = 1 WHERE id = ?');
  const insertAttemptStmt = db.prepare(`INSERT INTO channel_attempts (outbox_id, attempt, owner, started_at, outcome) VALUES (@outboxId, @attempt, @owner, @now, 'started')`);
  const dispatchStmt = db.prepare(`UPDATE channel_attempts SET outcome = 'dispatched', dispatched_at = @now WHERE id = @id AND outcome = 'started'`);
  const finishAttemptStmt = db.prepare(`UPDATE channel_attempts
    SET outcome = @outcome, finished_at = @now, error_code = @code, error_message = @message, http_status = @httpStatus WHERE id = @id`);
  const outboxSentStmt = db.prepare(`UPDATE channel_outbox
    SET state = 'sent', sent_at = @now, provider_message_id = @providerId, last_error = NULL, needs_reconcile = 0, lease_owner = NULL, lease_until = NULL
    WHERE id = @id AND state = 'sending' AND lease_owner = @owner`);
  const outboxRetryStmt = db.prepare(`UPDATE channel_outbox
    SET state = 'pending', next_attempt_at = @nextAt, last_error = @error, needs_reconcile = @reconcile, lease_owner = NULL, lease_until = NULL,
      attempts = attempts - @refund
    WHERE id = @id AND state = 'sending' AND lease_owner = @owner`);
  const outboxFailStmt = db.prepare(`UPDATE channel_outbox
    SET state = 'failed', last_error = @error, lease_owner = NULL, lease_until = NULL
    WHERE id = @id AND state = 'sending' AND lease_owner = @owner`);
  const reconcileSinceStmt = db.prepare(`SELECT MIN(dispatched_at) AS since FROM channel_attempts WHERE outbox_id = ? AND dispatched_at IS NOT NULL`);
  const knownProviderIdStmt = db.prepare('SELECT 1 FROM channel_outbox WHERE channel = ? AND provider_message_id = ? LIMIT 1');
  const nextDueStmt = db.prepare(`SELECT MIN(t) AS t FROM (
      SELECT MIN(next_attempt_at) AS t FROM channel_outbox WHERE state = 'pending' AND channel IN (SELECT value FROM json_each(@channels))
      UNION ALL SELECT MIN(lease_until) FROM channel_outbox WHERE state = 'sending' AND channel IN (SELECT value FROM json_each(@channels)))`);
  const nextInboxDueStmt = db.prepare(`SELECT MIN(t) AS t FROM (
      SELECT MIN(next_attempt_at) AS t FROM channel_inbox WHERE state = 'received' AND channel IN (SELECT value FROM json_each(@channels))
      UNION ALL SELECT MIN(lease_until) FROM channel_inbox WHERE state = 'processing' AND channel IN (SELECT value FROM json_each(@channels)))`);

  const renewInboxStmt = db.prepare(`UPDATE channel_inbox SET lease_until = @until WHERE id = @id AND state = 'processing' AND lease_owner = @owner`);
  const renewOutboxStmt = db.prepare(`UPDATE channel_outbox SET lease_until = @until WHERE id = @id AND state = 'sending' AND lease_owner = @owner`);

  const insertReceiptStmt = db.prepare(`INSERT INTO channel_delivery_receipts (channel, provider_message_id, stat, err, outbox_id, received_at)
    VALUES (@channel, @providerId, @stat, @err, @outboxId, @now)`);
  const outboxByProviderStmt = db.prepare('SELECT id FROM channel_outbox WHERE channel = ? AND provider_message_id = ? ORDER BY id DESC LIMIT 1');
  const deliveryStmt = db.prepare('UPDATE channel_outbox SET delivery_status = @stat, delivery_at = @now WHERE id = @id');

  function userUpdateSql(update: UserUpdate): { sql: string; params: Record<string, unknown> } | null {
    const sets: string[] = [];
    const params: Record<string, unknown> = {};
    if ('lang' in update) {
      sets.push('lang = @lang');
      params.lang = update.lang ?? null;
    }
    if ('followed' in update) {
      sets.push('followed = @followed');
      params.followed = update.followed ? 1 : 0;
    }
    if ('optedOut' in update) {
      sets.push('opted_out = @optedOut, opted_out_at = @optedOutAt');
      params.optedOut = update.optedOut ? 1 : 0;
      params.optedOutAt = update.optedOut ? Date.now() : null;
    }
    if ('limitNoticeUntil' in update) {
      sets.push('limit_notice_until = @limitNoticeUntil');
      params.limitNoticeUntil = update.limitNoticeUntil ?? null;
    }
    if ('pendingMore' in update) {
      sets.push('pending_more = @pendingMore');
      params.pendingMore = update.pendingMore ?? null;
    }
    if (!sets.length) return null;
    return { sql: `UPDATE channel_users SET ${sets.join(', ')} WHERE channel = @channel AND user_id = @userId`, params };
  }

  function applyUserUpdate(channel: ChannelName, userId: string, update: UserUpdate | undefined): void {
    if (!update) return;
    const u = userUpdateSql(update);
    if (u) db.prepare(u.sql).run({ ...u.params, channel, userId });
  }

  const completeTx = db.transaction((row: InboxRow, owner: string, c: Completion, now: number) => {
    const res = finishInboxStmt.run({ id: row.id, owner, state: c.state, outcome: c.outcome, now, answerId: c.answerId ?? null, error: c.error ?? null });
    if (res.changes !== 1) throw new LeaseLostError(`inbox ${row.id}`);
    if (c.cancelPending) cancelPendingStmt.run({ channel: row.channel, userId: row.userId, reason: c.cancelPending });
    c.outbox.forEach((payload, i) => {
      insertOutboxStmt.run({
        inboxId: row.id,
        channel: row.channel,
        userId: row.userId,
        part: i + 1,
        payload: JSON.stringify(payload),
        key: crypto.randomUUID(),
        now,
      });
    });
    applyUserUpdate(row.channel, row.userId, c.userUpdate);
  });

  const claimOutboxTx = db.transaction((owner: string, leaseMs: number, now: number, channels: string): OutboxRow | null => {
    const r = outboxClaim(owner, now + leaseMs, now, channels);
    if (!r) return null;
    // Attempts left open by a crashed sender: 'started' never reached the network; 'dispatched' may have.
    let reconcile = r.needs_reconcile === 1;
    for (const a of openAttemptsStmt.all(r.id) as Array<{ id: number; outcome: string }>) {
      if (a.outcome === 'dispatched') {
        reconcile = true;
        closeAttemptStmt.run({ id: a.id, outcome: 'unknown', now, message: 'sender stopped after dispatch (outcome unknown)' });
      } else {
        closeAttemptStmt.run({ id: a.id, outcome: 'abandoned', now, message: 'sender stopped before dispatch' });
      }
    }
    if (reconcile && r.needs_reconcile !== 1) {
      flagReconcileStmt.run(r.id);
      r.needs_reconcile = 1;
    }
    const attempt = insertAttemptStmt.run({ outboxId: r.id, attempt: r.attempts, owner, now });
    return toOutbox(r, Number(attempt.lastInsertRowid));
  });

  const finishAttemptTx = db.transaction(
    (
      row: OutboxRow,
      owner: string,
      outcome: string,
      next: { state: 'sent'; providerId: string | null } | { state: 'pending'; nextAt: number; reconcile: boolean; refundAttempt?: boolean } | { state: 'failed' },
      info: { code?: string; message?: string; httpStatus?: number },
      now: number,
    ) => {
      finishAttemptStmt.run({ id: row.attemptId, outcome, now, code: info.code ?? null, message: info.message ?? null, httpStatus: info.httpStatus ?? null });
      let res;
      if (next.state === 'sent') res = outboxSentStmt.run({ id: row.id, owner, now, providerId: next.providerId });
      else if (next.state === 'pending') res = outboxRetryStmt.run({ id: row.id, owner, nextAt: next.nextAt, error: info.message ?? null, reconcile: next.reconcile ? 1 : 0, refund: next.refundAttempt ? 1 : 0 });
      else res = outboxFailStmt.run({ id: row.id, owner, error: info.message ?? null });
      if (res.changes !== 1) throw new LeaseLostError(`outbox ${row.id}`);
    },
  );

  const rememberCallbackStmt = db.prepare('INSERT INTO sms_callback_seen (signature, seen_at) VALUES (?, ?) ON CONFLICT (signature) DO NOTHING');
  const forgetCallbacksStmt = db.prepare('DELETE FROM sms_callback_seen WHERE seen_at < ?');

  return {
    db,

    /** Replay store for signed callbacks: true the first time a signature is seen (within `keepMs`). */
    rememberCallback(signature: string, now: number, keepMs: number): boolean {
      forgetCallbacksStmt.run(now - keepMs);
      return rememberCallbackStmt.run(signature, now).changes === 1;
    },

    /** Writes an incoming event unless it is a duplicate. `dedupeWindowMs`: a duplicate older than this is a new message. */
    insertInbox(e: NewInboxEvent, opts: { dedupeWindowMs?: number } = {}): { inserted: boolean; id: number } {
      const params = {
        channel: e.channel,
        externalId: e.externalId,
        userId: e.userId,
        kind: e.kind,
        text: e.text == null ? null : cipher.seal(e.text),
        meta: e.meta && Object.keys(e.meta).length ? JSON.stringify(e.meta) : null,
        receivedAt: e.receivedAt,
      };
      const res = insertInboxStmt.run(params);
      if (res.changes === 1) return { inserted: true, id: Number(res.lastInsertRowid) };
      const existing = findInboxByExternal.get(e.channel, e.externalId) as { id: number; received_at: number };
      if (opts.dedupeWindowMs !== undefined && e.receivedAt - existing.received_at > opts.dedupeWindowMs) {
        const again = insertInboxStmt.run({ ...params, externalId: `${e.externalId}#${e.receivedAt}` });
        if (again.changes === 1) return { inserted: true, id: Number(again.lastInsertRowid) };
      }
      return { inserted: false, id: existing.id };
    },

    claimInbox(owner: string, leaseMs: number, now: number, channels: ChannelName[]): InboxRow | null {
      const r = claimInboxTx(owner, now + leaseMs, now, JSON.stringify(channels));
      return r ? toInbox(r, cipher) : null;
    },

    /** Marks the inbox row done, clears its raw text, and queues the replies, in one transaction. */
    completeInbox(row: InboxRow, owner: string, c: Completion, now: number): void {
      completeTx(row, owner, c, now);
    },

    /** Heartbeat: keeps a claimed row ours while slow work (a cold model, a slow provider) is in progress. */
    /** Outbox rows not answering an inbox message (a staff reply); call inside the caller's transaction. */
    enqueueMessages(channel: ChannelName, userId: string, payloads: unknown[], now: number): void {
      payloads.forEach((payload, i) =>
        insertOutboxStmt.run({ inboxId: null, channel, userId, part: i + 1, payload: JSON.stringify(payload), key: crypto.randomUUID(), now }),
      );
    },
    renewInboxLease(row: InboxRow, owner: string, until: number): boolean {
      return renewInboxStmt.run({ id: row.id, owner, until }).changes === 1;
    },

    renewOutboxLease(row: OutboxRow, owner: string, until: number): boolean {
      return renewOutboxStmt.run({ id: row.id, owner, until }).changes === 1;
    },

    retryInbox(row: InboxRow, owner: string, error: string, nextAt: number): boolean {
      return retryInboxStmt.run({ id: row.id, owner, error, nextAt }).changes === 1;
    },

    ensureUser(channel: ChannelName, userId: string, now: number): ChannelUser {
      insertUserStmt.run({ channel, userId, userRef: crypto.randomUUID(), conversationId: crypto.randomUUID(), now });
      return toUser(getUserStmt.get(channel, userId) as Row);
    },

    findUser(channel: ChannelName, userId: string): ChannelUser | null {
      const r = getUserStmt.get(channel, userId) as Row | undefined;
      return r ? toUser(r) : null;
    },

    updateUser(channel: ChannelName, userId: string, update: UserUpdate): void {
      applyUserUpdate(channel, userId, update);
    },

    /** Text messages from this user received in (since, row) — for the per-user rate limit. */
    countRecent(row: InboxRow, since: number): number {
      return (countRecentStmt.get({ channel: row.channel, userId: row.userId, since, beforeId: row.id }) as { n: number }).n;
    },

    claimOutbox(owner: string, leaseMs: number, now: number, channels: ChannelName[]): OutboxRow | null {
      return claimOutboxTx(owner, leaseMs, now, JSON.stringify(channels));
    },

    /** Committed just before the request leaves: a crash after this point makes the outcome unknown. */
    markDispatched(row: OutboxRow, now: number): void {
      dispatchStmt.run({ id: row.attemptId, now });
    },

    finishAttempt: finishAttemptTx,

    /** Earliest time a request for this row may have reached the provider. */
    reconcileSince(row: OutboxRow): number | null {
      return (reconcileSinceStmt.get(row.id) as { since: number | null }).since;
    },

    isKnownProviderId(channel: ChannelName, providerId: string): boolean {
      return knownProviderIdStmt.get(channel, providerId) !== undefined;
    },

    nextOutboxDue(channels: ChannelName[]): number | null {
      return (nextDueStmt.get({ channels: JSON.stringify(channels) }) as { t: number | null }).t;
    },

    nextInboxDue(channels: ChannelName[]): number | null {
      return (nextInboxDueStmt.get({ channels: JSON.stringify(channels) }) as { t: number | null }).t;
    },

    /** Records a delivery receipt and the final status on the matching outbox row (if any). */
    recordReceipt(channel: ChannelName, providerIds: string[], stat: string | null, err: string | null, now: number): number | null {
      return db.transaction(() => {
        let outboxId: number | null = null;
        for (const id of providerIds) {
          const r = outboxByProviderStmt.get(channel, id) as { id: number } | undefined;
          if (r) {
            outboxId = r.id;
            break;
          }
        }
        insertReceiptStmt.run({ channel, providerId: providerIds[0], stat, err, outboxId, now });
        if (outboxId !== null) deliveryStmt.run({ id: outboxId, stat, now });
        return outboxId;
      })();
    },

    /**
     * Retention: forgets channel users not seen for `olderThanMs` and replaces their id in old
     * inbox/outbox rows, so a phone number or Zalo id is not kept longer than needed.
     */
    purgeInactiveUsers(olderThanMs: number, now: number): number {
      const cutoff = now - olderThanMs;
      return db.transaction(() => {
        const users = db.prepare('SELECT channel, user_id FROM channel_users WHERE last_seen_at < ? AND opted_out = 0').all(cutoff) as Array<{ channel: string; user_id: string }>;
        const anon = db.prepare(`UPDATE channel_inbox SET user_id = @anon, text = NULL WHERE channel = @channel AND user_id = @userId AND state IN ('answered', 'failed')`);
        const anonOut = db.prepare(`UPDATE channel_outbox SET user_id = @anon WHERE channel = @channel AND user_id = @userId AND state IN ('sent', 'failed')`);
        const del = db.prepare('DELETE FROM channel_users WHERE channel = ? AND user_id = ?');
        for (const u of users) {
          const anonId = `purged:${crypto.createHash('sha256').update(`${u.channel}:${u.user_id}:${crypto.randomUUID()}`).digest('hex').slice(0, 16)}`;
          anon.run({ anon: anonId, channel: u.channel, userId: u.user_id });
          anonOut.run({ anon: anonId, channel: u.channel, userId: u.user_id });
          del.run(u.channel, u.user_id);
        }
        db.prepare('DELETE FROM channel_sms_parts WHERE received_at < ?').run(cutoff);
        return users.length;
      })();
    },

    /** Counts by state, for health checks and the bench. */
    stats(): { inbox: Record<string, number>; outbox: Record<string, number> } {
      const inbox = Object.fromEntries((db.prepare('SELECT state, COUNT(*) AS n FROM channel_inbox GROUP BY state').all() as Array<{ state: string; n: number }>).map((r) => [r.state, r.n]));
      const outbox = Object.fromEntries((db.prepare('SELECT state, COUNT(*) AS n FROM channel_outbox GROUP BY state').all() as Array<{ state: string; n: number }>).map((r) => [r.state, r.n]));
      return { inbox, outbox };
    },
  };
}

export type ChannelStore = ReturnType<typeof createChannelStore>;

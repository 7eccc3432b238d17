import crypto from 'node:crypto';
import { backoffDelay } from './backoff.js';
import { createLoopControl, leaseHeartbeat } from './loop.js';
import { LeaseLostError, type ChannelStore } from './store.js';
import type { ChannelHooks, ChannelLogger, ChannelName, OutboxRow, SendResult, Transport } from './types.js';
import { createWaker } from './waker.js';

export interface SenderConfig {
  /** How long a claimed row is ours; must exceed the transports' request timeouts. */
  leaseMs: number;
  pollMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  concurrency: number;
  /**
   * A request that may have reached the provider, on a transport that can neither de-duplicate nor
   * be asked: 'resend' (at-least-once, the default) or 'hold' (at-most-once: mark failed for staff).
   */
  unknownOutcome: 'resend' | 'hold';
  /** Clock skew allowed when asking the provider what it received since a dispatch. */
  reconcileSkewMs: number;
}

export interface SenderDeps {
  store: ChannelStore;
  transports: Transport[];
  config: SenderConfig;
  log: ChannelLogger;
  hooks?: ChannelHooks;
  now?: () => number;
  random?: () => number;
}

/**
 * Delivers the outbox: claims due rows with a lease (one in flight per user, in order), records
 * every attempt, retries retryable errors with exponential backoff and jitter, gives up after
 * `maxAttempts`, and settles rows whose outcome is unknown (a crash or timeout after the request
 * left) by idempotent re-send, by asking the provider, or by the configured policy.
 */
export function createOutboxSender(deps: SenderDeps) {
  const { store, config, log } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const owner = `sender-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const transports = new Map(deps.transports.map((t) => [t.channel, t]));
  const channels = [...transports.keys()] as ChannelName[];
  const hook = (p: Parameters<NonNullable<ChannelHooks['at']>>[0]) => deps.hooks?.at?.(p);
  const waker = createWaker();
  const inflight = new Set<Promise<void>>();
  const control = createLoopControl(waker, loop);

  function retryOrFail(row: OutboxRow, outcome: string, info: { code?: string; message: string; httpStatus?: number }, maybeDelivered: boolean, retryAfterMs = 0): void {
    if (row.attempts >= config.maxAttempts) {
      store.finishAttempt(row, owner, outcome, { state: 'failed' }, { ...info, message: `gave up after ${row.attempts} attempts: ${info.message}` }, now());
      log.error({ outbox: row.id, channel: row.channel, attempts: row.attempts, code: info.code }, 'delivery failed: gave up');
      return;
    }
    const delay = Math.max(retryAfterMs, backoffDelay(row.attempts, config.backoffBaseMs, config.backoffMaxMs, random));
    store.finishAttempt(row, owner, outcome, { state: 'pending', nextAt: now() + delay, reconcile: maybeDelivered }, info, now());
    log.warn({ outbox: row.id, channel: row.channel, attempt: row.attempts, code: info.code, httpStatus: info.httpStatus, retryInMs: delay }, 'delivery failed: will retry');
  }

  /**
   * The channel cannot send until an operator re-authorises it (docs/channels.md: replies wait).
   * Giving up after `maxAttempts` dropped replies the operator was about to unblock, so the row
   * stays pending, its attempt is not counted, and it is looked at again every backoff maximum;
   * storing a new token makes it due at once (zalo-tokens.ts). The attempts table keeps every
   * check ('waiting_auth'), which is how the dashboard knows since when the channel waits.
   */
  function waitForAuthorisation(row: OutboxRow, info: { code?: string; message: string }, stillUnknown = false): void {
    const delay = config.backoffMaxMs;
    store.finishAttempt(row, owner, 'waiting_auth', { state: 'pending', nextAt: now() + delay, reconcile: stillUnknown, refundAttempt: true }, info, now());
    log.warn({ outbox: row.id, channel: row.channel, code: info.code, retryInMs: delay }, 'delivery waiting for channel authorisation');
  }

  /** Settles a row whose earlier request may have been delivered. Returns true when the row is done. */
  async function settleUnknown(row: OutboxRow, transport: Transport): Promise<boolean> {
    if (transport.idempotent) return false; // the same idempotency key is sent again; the provider drops a duplicate
    if (transport.reconcile) {
      const since = (store.reconcileSince(row) ?? row.createdAt) - config.reconcileSkewMs;
      let r;
      try {
        r = await transport.reconcile(row, since);
      } catch (err) {
        r = { status: 'unknown' as const, message: (err as Error).message };
      }
      if (r.status === 'sent') {
        store.finishAttempt(row, owner, 'reconciled_sent', { state: 'sent', providerId: r.providerMessageId ?? null }, { message: 'found at the provider after an unknown outcome' }, now());
        log.info({ outbox: row.id, channel: row.channel }, 'delivery confirmed by reconciliation');
        return true;
      }
      if (r.status === 'unknown' && r.waitingForAuth) {
        // Whether it was delivered can only be asked once the channel is authorised again.
        waitForAuthorisation(row, { code: 'auth', message: r.message }, true);
        return true;
      }
      if (r.status === 'unknown') {
        retryOrFail(row, 'reconcile_failed', { code: 'reconcile', message: r.message }, true);
        return true;
      }
      return false; // not delivered: send it now
    }
    if (config.unknownOutcome === 'hold') {
      store.finishAttempt(row, owner, 'unknown', { state: 'failed' }, { code: 'unknown_outcome', message: 'outcome of an earlier attempt unknown; held for review (at-most-once policy)' }, now());
      log.error({ outbox: row.id, channel: row.channel }, 'delivery outcome unknown: held for review');
      return true;
    }
    return false;
  }

  async function processRow(row: OutboxRow): Promise<void> {
    const transport = transports.get(row.channel);
    if (!transport) return;
    hook('sender:claimed');
    if (row.needsReconcile && (await settleUnknown(row, transport))) return;

    store.markDispatched(row, now());
    hook('sender:dispatching');
    let result: SendResult;
    try {
      result = await transport.send(row);
    } catch (err) {
      result = { status: 'retryable', message: (err as Error).message, maybeDelivered: true };
    }
    hook('sender:responded');
    if (result.status === 'sent') {
      store.finishAttempt(row, owner, 'sent', { state: 'sent', providerId: result.providerMessageId ?? null }, {}, now());
    } else if (result.status === 'retryable' && result.waitingForAuth) {
      waitForAuthorisation(row, { code: result.code, message: result.message });
    } else if (result.status === 'retryable') {
      retryOrFail(row, 'retryable', { code: result.code, message: result.message, httpStatus: result.httpStatus }, result.maybeDelivered, result.retryAfterMs);
    } else {
      store.finishAttempt(row, owner, 'permanent', { state: 'failed' }, { code: result.code, message: result.message, httpStatus: result.httpStatus }, now());
      const entry = { outbox: row.id, channel: row.channel, code: result.code, httpStatus: result.httpStatus };
      if (result.alert) log.error(entry, 'delivery failed permanently: staff attention needed');
      else log.warn(entry, 'delivery failed permanently');
    }
    hook('sender:recorded');
  }

  async function runRow(row: OutboxRow): Promise<void> {
    // The lease stays ours however long the provider takes.
    const stopBeat = leaseHeartbeat(config.leaseMs, () => {
      if (!store.renewOutboxLease(row, owner, now() + config.leaseMs)) log.warn({ outbox: row.id }, 'outbox lease lost during an attempt');
    });
    try {
      await processRow(row);
    } catch (err) {
      if (err instanceof LeaseLostError) log.warn({ outbox: row.id }, 'outbox lease lost; another sender owns the row');
      else log.error({ outbox: row.id, err: { message: (err as Error).message } }, 'outbox sender error');
    } finally {
      stopBeat();
    }
  }

  function claim(): OutboxRow | null {
    return channels.length ? store.claimOutbox(owner, config.leaseMs, now(), channels) : null;
  }

  async function loop(running: () => boolean): Promise<void> {
    while (running()) {
      try {
        while (running() && inflight.size < config.concurrency) {
          const row = claim();
          if (!row) break;
          const p: Promise<void> = runRow(row).finally(() => {
            inflight.delete(p);
            waker.kick();
          });
          inflight.add(p);
        }
      } catch (err) {
        log.error({ err: { message: (err as Error).message } }, 'outbox claim failed');
      }
      let wait = config.pollMs;
      if (inflight.size < config.concurrency) {
        try {
          const due = store.nextOutboxDue(channels);
          if (due !== null) wait = Math.max(5, Math.min(config.pollMs, due - now() + 5));
        } catch {
          /* keep the poll interval */
        }
      }
      await waker.wait(wait);
    }
    await Promise.allSettled([...inflight]);
  }

  return {
    owner,
    /** Claims and delivers one due row (for tests and the crash-test child). */
    async processOne(): Promise<boolean> {
      const row = claim();
      if (!row) return false;
      await runRow(row);
      return true;
    },
    kick: () => waker.kick(),
    start: control.start,
    stop: control.stop,
  };
}

export type OutboxSender = ReturnType<typeof createOutboxSender>;

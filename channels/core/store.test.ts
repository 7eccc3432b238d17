import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database.js';
import { tempDir } from '../../server/test-support/temp-dir.js';
import { backoffDelay } from './backoff.js';
import { createOutboxSender } from './sender.js';
import { createInboxCipher } from './inbox-cipher.js';
import { createChannelStore, LeaseLostError, type ChannelStore } from './store.js';
import type { OutboxRow, SendResult, Transport } from './types.js';

const dir = tempDir();
let n = 0;
let db: Db;
let store: ChannelStore;
beforeEach(() => {
  db = openDatabase(path.join(dir, `s${++n}.sqlite`));
  store = createChannelStore(db, { cipher: createInboxCipher(crypto.randomBytes(32)) });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ev = (externalId: string, userId: string, receivedAt = 1000, text = 'hỏi') => ({ channel: 'zalo' as const, externalId, userId, kind: 'text' as const, text, receivedAt });

describe('inbox', () => {
  it('de-duplicates on (channel, external id); an old duplicate inside no window stays a duplicate', () => {
    expect(store.insertInbox(ev('m1', 'u1')).inserted).toBe(true);
    expect(store.insertInbox(ev('m1', 'u1', 999_999)).inserted).toBe(false);
    expect(store.insertInbox({ ...ev('m1', 'u1'), channel: 'sms' }).inserted).toBe(true);
    // With a window (SMPP keys may repeat after a while): older than the window is a new message.
    expect(store.insertInbox({ ...ev('k', 'u1', 1000), channel: 'sms' }, { dedupeWindowMs: 60_000 }).inserted).toBe(true);
    expect(store.insertInbox({ ...ev('k', 'u1', 30_000), channel: 'sms' }, { dedupeWindowMs: 60_000 }).inserted).toBe(false);
    expect(store.insertInbox({ ...ev('k', 'u1', 200_000), channel: 'sms' }, { dedupeWindowMs: 60_000 }).inserted).toBe(true);
  });

  it('claims oldest first, one row per user at a time, and re-takes expired leases', () => {
    store.insertInbox(ev('a1', 'A'));
    store.insertInbox(ev('a2', 'A'));
    store.insertInbox(ev('b1', 'B'));
    const r1 = store.claimInbox('w1', 1000, 5000, ['zalo'])!;
    expect(r1.externalId).toBe('a1');
    const r2 = store.claimInbox('w2', 10_000, 5000, ['zalo'])!;
    expect(r2.externalId).toBe('b1'); // a2 waits for a1
    expect(store.claimInbox('w2', 1000, 5000, ['zalo'])).toBeNull();
    expect(store.claimInbox('w2', 1000, 5000, ['sms'])).toBeNull();
    const again = store.claimInbox('w3', 1000, 6001, ['zalo'])!; // w1's lease expired
    expect(again).toMatchObject({ externalId: 'a1', attempts: 2 });
    // w1 comes back and tries to finish: its lease is gone, nothing is written.
    expect(() => store.completeInbox(r1, 'w1', { state: 'answered', outcome: 'answer', outbox: [{ x: 1 }] }, 6002)).toThrow(LeaseLostError);
    expect(db.prepare('SELECT COUNT(*) AS n FROM channel_outbox').get()).toEqual({ n: 0 });
    store.completeInbox(again, 'w3', { state: 'answered', outcome: 'answer', outbox: [{ x: 1 }, { x: 2 }], userUpdate: { lang: 'en' } }, 6003);
    const row = db.prepare("SELECT * FROM channel_inbox WHERE external_id = 'a1'").get() as any;
    expect(row).toMatchObject({ state: 'answered', text: null, lease_owner: null });
    const out = db.prepare('SELECT part, payload, idempotency_key FROM channel_outbox ORDER BY id').all() as any[];
    expect(out.map((o) => [o.part, JSON.parse(o.payload)])).toEqual([[1, { x: 1 }], [2, { x: 2 }]]);
    expect(new Set(out.map((o) => o.idempotency_key)).size).toBe(2);
    expect(store.claimInbox('w3', 1000, 6004, ['zalo'])!.externalId).toBe('a2');
  });

  it('counts recent text messages for the rate limit', () => {
    for (let i = 0; i < 5; i++) store.insertInbox(ev(`m${i}`, 'u', 1000 + i * 1000));
    const last = store.claimInbox('w', 1000, 10_000, ['zalo'])!;
    expect(last.externalId).toBe('m0');
    const rows = db.prepare('SELECT id FROM channel_inbox ORDER BY id').all() as any[];
    expect(store.countRecent({ ...last, id: rows[4].id, receivedAt: 5000 }, 5000 - 2500)).toBe(2);
  });

  it('purges users past retention, keeping opted-out numbers', () => {
    store.ensureUser('sms', '84900000001', 1000);
    store.ensureUser('sms', '84900000002', 1000);
    store.updateUser('sms', '84900000002', { optedOut: true });
    store.ensureUser('sms', '84900000003', 90_000);
    store.insertInbox({ ...ev('x', '84900000001'), channel: 'sms' });
    const r = store.claimInbox('w', 1000, 2000, ['sms'])!;
    store.completeInbox(r, 'w', { state: 'answered', outcome: 'answer', outbox: [] }, 2000);
    expect(store.purgeInactiveUsers(50_000, 100_000)).toBe(1);
    expect(store.findUser('sms', '84900000001')).toBeNull();
    expect(store.findUser('sms', '84900000002')?.optedOut).toBe(true);
    expect(store.findUser('sms', '84900000003')).not.toBeNull();
    expect(db.prepare("SELECT COUNT(*) AS n FROM channel_inbox WHERE user_id = '84900000001'").get()).toEqual({ n: 0 });
    expect((db.prepare("SELECT user_id FROM channel_inbox WHERE external_id = 'x'").get() as any).user_id).toMatch(/^purged:/);
  });
});

describe('backoff', () => {
  it('doubles per attempt, stays within [d/2, d], and is capped', () => {
    expect(backoffDelay(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffDelay(4, 1000, 60_000, () => 0.5)).toBe(6000);
    expect(backoffDelay(20, 1000, 60_000, () => 1)).toBe(60_000);
  });
});

/** A provider that answers from a script (the real providers are tested over HTTP/SMPP elsewhere). */
function scriptedProvider(results: SendResult[], extra: Partial<Transport> = {}): Transport & { sends: OutboxRow[] } {
  const sends: OutboxRow[] = [];
  return {
    channel: 'zalo',
    idempotent: false,
    sends,
    async send(row) {
      sends.push(row);
      return results.shift() ?? { status: 'sent', providerMessageId: `p${sends.length}` };
    },
    ...extra,
  };
}

function queue(users: string[]): void {
  users.forEach((u, i) => {
    store.insertInbox(ev(`q${i}`, u, 1000 + i));
    const r = store.claimInbox('w', 1000, 2000, ['zalo'])!;
    store.completeInbox(r, 'w', { state: 'answered', outcome: 'answer', outbox: [{ n: i }] }, 2000);
  });
}

const senderConfig = { leaseMs: 1000, pollMs: 20, maxAttempts: 3, backoffBaseMs: 1, backoffMaxMs: 2, concurrency: 2, unknownOutcome: 'resend' as const, reconcileSkewMs: 0 };
const drain = async (s: ReturnType<typeof createOutboxSender>) => {
  for (let i = 0; i < 50; i++) {
    if (!(await s.processOne())) await new Promise((r) => setTimeout(r, 5));
    const open = db.prepare("SELECT COUNT(*) AS n FROM channel_outbox WHERE state IN ('pending', 'sending')").get() as { n: number };
    if (open.n === 0) return;
  }
};

describe('outbox sender', () => {
  it('gives up after the configured attempts and records each one', async () => {
    queue(['u']);
    const retry: SendResult = { status: 'retryable', code: '-100', message: 'transient', maybeDelivered: false };
    const p = scriptedProvider([retry, retry, retry, retry]);
    await drain(createOutboxSender({ store, transports: [p], config: senderConfig, log: pino({ level: 'silent' }) }));
    const row = db.prepare('SELECT * FROM channel_outbox').get() as any;
    expect(row.state).toBe('failed');
    expect(row.last_error).toMatch(/gave up after 3 attempts/);
    expect(db.prepare('SELECT outcome FROM channel_attempts ORDER BY id').all()).toEqual([{ outcome: 'retryable' }, { outcome: 'retryable' }, { outcome: 'retryable' }]);
    expect(p.sends).toHaveLength(3);
  });

  it('keeps each user in order: a later message waits for an earlier one being retried', async () => {
    queue(['A', 'A', 'B']);
    const p = scriptedProvider([{ status: 'retryable', code: '-32', message: 'limit', maybeDelivered: false }]);
    await drain(createOutboxSender({ store, transports: [p], config: senderConfig, log: pino({ level: 'silent' }) }));
    const order = p.sends.map((r) => `${r.userId}${(r.payload as any).n}`);
    expect(order.filter((x) => x.startsWith('A'))).toEqual(['A0', 'A0', 'A1']);
    expect(db.prepare("SELECT COUNT(*) AS n FROM channel_outbox WHERE state = 'sent'").get()).toEqual({ n: 3 });
  });

  it('with CHANNELS_UNKNOWN_OUTCOME=hold, a maybe-delivered message is not sent again', async () => {
    queue(['u']);
    const p = scriptedProvider([{ status: 'retryable', code: 'ETIMEDOUT', message: 'timeout', maybeDelivered: true }]);
    await drain(createOutboxSender({ store, transports: [p], config: { ...senderConfig, unknownOutcome: 'hold' }, log: pino({ level: 'silent' }) }));
    expect(p.sends).toHaveLength(1);
    expect(db.prepare('SELECT state, last_error FROM channel_outbox').get()).toMatchObject({ state: 'failed', last_error: expect.stringMatching(/held for review/) });
  });

  it('with resend (default), it is sent again; with an idempotent transport the same key is reused', async () => {
    queue(['u']);
    const p = scriptedProvider([{ status: 'retryable', code: 'ETIMEDOUT', message: 'timeout', maybeDelivered: true }], { idempotent: true });
    await drain(createOutboxSender({ store, transports: [p], config: senderConfig, log: pino({ level: 'silent' }) }));
    expect(p.sends).toHaveLength(2);
    expect(p.sends[0].idempotencyKey).toBe(p.sends[1].idempotencyKey);
    expect(db.prepare('SELECT state FROM channel_outbox').get()).toEqual({ state: 'sent' });
  });

  it('keeps the lease alive during a slow attempt, so another sender cannot send the same row', async () => {
    queue(['u']);
    const slow: Transport & { sends: OutboxRow[] } = {
      channel: 'zalo',
      idempotent: false,
      sends: [],
      async send(row) {
        this.sends.push(row);
        await new Promise((r) => setTimeout(r, 400));
        return { status: 'sent', providerMessageId: 'slow-1' };
      },
    };
    const cfg = { ...senderConfig, leaseMs: 100 };
    const a = createOutboxSender({ store, transports: [slow], config: cfg, log: pino({ level: 'silent' }) });
    const b = createOutboxSender({ store, transports: [slow], config: cfg, log: pino({ level: 'silent' }) });
    const first = a.processOne();
    await new Promise((r) => setTimeout(r, 250)); // well past the 100 ms lease
    expect(await b.processOne()).toBe(false);
    await first;
    expect(slow.sends).toHaveLength(1);
    expect(db.prepare('SELECT state, provider_message_id FROM channel_outbox').get()).toEqual({ state: 'sent', provider_message_id: 'slow-1' });
  });
});

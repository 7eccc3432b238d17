import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempAssistant, type TempAssistant } from '../../server/test-support/temp-assistant.js';
import { loadChannelsConfig } from '../config.js';
import { smsHttpChannel } from '../sms/sms-http.js';
import { startFakeSmsGateway, signedMoParams, type FakeSmsGateway } from '../sms/testing/fake-sms-gateway.js';
import { FAST_CORE_ENV, zaloEnv } from '../../server/test-support/channel-test-server.js';
import { runCrashChild } from '../testing/spawn-child.js';
import { startFakeZaloServer, type FakeZalo } from '../zalo/testing/fake-zalo-server.js';
import { postZaloEvent, textEvent } from '../zalo/testing/zalo-webhook-client.js';
import { zaloChannel } from '../zalo/zalo-webhook.js';
import { createInboxCipher, loadOrCreateInboxKey, type InboxCipher } from './inbox-cipher.js';
import { createChannelStore } from './store.js';

/**
 * Crash safety with real processes: a child process runs one step of the pipeline and is killed
 * with SIGKILL at a chosen point (CRASH_AT); a later child takes over. At the end every reply must
 * have been delivered exactly once to the fake provider.
 */

let t: TempAssistant;
let fake: FakeZalo;
let gw: FakeSmsGateway;
let ingest: FastifyInstance;
let base: string;
let env: Record<string, string>;
let cipher: InboxCipher;
const sign = { id: 'app-123', secret: 'oa-secret-key' };

const db = () => t.assistant.db;
const one = <T>(sql: string, ...args: unknown[]) => db().prepare(sql).get(...args) as T;
const all = <T>(sql: string, ...args: unknown[]) => db().prepare(sql).all(...args) as T[];

async function crash(step: string, at: string) {
  const r = await runCrashChild({ ...env, CRASH_STEP: step, CRASH_AT: at });
  expect(r.signal, `child should be killed at ${at}; stderr: ${r.stderr.slice(-1500)}`).toBe('SIGKILL');
}
async function run(step: string) {
  const r = await runCrashChild({ ...env, CRASH_STEP: step });
  expect(r.code, r.stderr.slice(-1500)).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { did: number; unsettled: number };
}

beforeAll(async () => {
  t = await createTempAssistant();
  fake = await startFakeZaloServer({ refreshTokens: ['rt-seed'] });
  gw = await startFakeSmsGateway();
  env = {
    DATA_DIR: t.dataDir,
    ...zaloEnv(fake.url),
    ...FAST_CORE_ENV,
    // Leases shorter than a child's start-up (~2 s): each child takes over what the last one left.
    CHANNELS_WORKER_LEASE_MS: '300',
    CHANNELS_SEND_LEASE_MS: '700',
    ZALO_REQUEST_TIMEOUT_MS: '300',
    SMS_TRANSPORT: 'http',
    SMS_HTTP_CPID: 'cp-1',
    SMS_HTTP_PRIVATE_KEY: 'pk-1',
    SMS_HTTP_SEND_URL: gw.sendUrl,
    SMS_HTTP_TIMEOUT_MS: '300',
  };
  const config = loadChannelsConfig(env);
  // The same key file the children open: they read what this process sealed.
  cipher = createInboxCipher(loadOrCreateInboxKey(t.config.inboxKeyFile));
  const store = createChannelStore(t.assistant.db, { cipher });
  const log = pino({ level: 'silent' });
  // The real webhook routes, without a worker: the children do the processing.
  ingest = Fastify();
  await ingest.register(zaloChannel, { config: config.zalo!, store, log });
  await ingest.register(smsHttpChannel, { config: config.sms!.http!, store, log });
  base = await ingest.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await ingest?.close();
  await fake?.close();
  await gw?.close();
  t?.cleanup();
});

describe('a process killed at any step loses nothing and sends nothing twice', () => {
  it('Zalo: the same message survives kills after claim, answer, commit, send-claim, dispatch mark and response', async () => {
    const users = ['cu1', 'cu2', 'cu3'];
    const questions = ['Đăng ký thường trú cần giấy tờ gì?', 'Quên mật khẩu VNeID', 'Tra cứu hồ sơ bằng mã hồ sơ'];
    for (let i = 0; i < users.length; i++) {
      const r = await postZaloEvent(`${base}/channels/zalo/webhook`, textEvent({ appId: 'app-123', userId: users[i], text: questions[i] }), sign);
      expect(r.status).toBe(200);
    }
    const inbox = (u: string) => one<any>("SELECT * FROM channel_inbox WHERE channel = 'zalo' AND user_id = ?", u);
    const outbox = (u: string) => all<any>("SELECT * FROM channel_outbox WHERE channel = 'zalo' AND user_id = ? ORDER BY id", u);
    const outcomes = (id: number) => all<any>('SELECT outcome FROM channel_attempts WHERE outbox_id = ? ORDER BY id', id).map((a) => a.outcome);

    // Each child starts after the previous one's lease has expired, so it takes over the same row.
    await crash('worker', 'worker:claimed');
    expect(inbox('cu1')).toMatchObject({ state: 'processing', attempts: 1 });
    expect(cipher.open(inbox('cu1').text)).toBe(questions[0]); // not lost, and sealed on disk
    expect(inbox('cu1').text).not.toContain(questions[0]);

    await crash('worker', 'worker:answered');
    expect(inbox('cu1')).toMatchObject({ state: 'processing', attempts: 2 });
    expect(outbox('cu1')).toHaveLength(0);

    await crash('worker', 'worker:committed');
    expect(inbox('cu1')).toMatchObject({ state: 'answered', attempts: 3, text: null });
    const rows1 = outbox('cu1');
    expect(rows1.length).toBeGreaterThan(0);
    expect(rows1.every((r) => r.state === 'pending')).toBe(true);
    expect(inbox('cu2').state).toBe('received');

    await crash('sender', 'sender:claimed');
    expect(outbox('cu1')[0].state).toBe('sending');
    expect(outcomes(rows1[0].id)).toEqual(['started']);

    await crash('sender', 'sender:dispatching');
    expect(outcomes(rows1[0].id)).toEqual(['abandoned', 'dispatched']);
    expect(fake.sent).toHaveLength(0);

    await crash('sender', 'sender:responded');
    expect(outcomes(rows1[0].id)).toEqual(['abandoned', 'unknown', 'dispatched']); // reconciled: not there, so sent again
    expect(fake.sent).toHaveLength(1); // the provider has it; our row still says 'sending'
    expect(outbox('cu1')[0].state).toBe('sending');

    const drained = await run('drain');
    expect(drained.unsettled).toBe(0);
    expect(outcomes(rows1[0].id)).toEqual(['abandoned', 'unknown', 'unknown', 'reconciled_sent']);

    const rows = all<any>("SELECT * FROM channel_outbox WHERE channel = 'zalo' ORDER BY id");
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
    // Exactly one send per outbox row, matched by the provider's message id, in order per user.
    expect(fake.sent).toHaveLength(rows.length);
    expect(new Set(rows.map((r) => r.provider_message_id))).toEqual(new Set(fake.sent.map((m) => m.messageId)));
    for (const u of users) {
      const mine = rows.filter((r) => r.user_id === u);
      expect(mine.length).toBeGreaterThan(0);
      expect(fake.sentTo(u).map((m) => m.text)).toEqual(mine.map((r) => JSON.parse(r.payload).body.message.text));
    }
    expect(all("SELECT state FROM channel_inbox WHERE channel = 'zalo'").every((r: any) => r.state === 'answered')).toBe(true);
    // The raw text is gone once answered.
    expect(one<any>('SELECT COUNT(*) AS n FROM channel_inbox WHERE text IS NOT NULL').n).toBe(0);
  });

  it('SMS over HTTP: a kill after the gateway accepted is re-sent with the same request id and delivered once', async () => {
    const mo = signedMoParams({ cpid: 'cp-1', privateKey: 'pk-1', sender: '84912000111', content: 'dang ky thuong tru can giay to gi', smsid: 'sms-crash-1' });
    const res = await fetch(`${base}/channels/sms/inbound?${new URLSearchParams(mo)}`);
    expect(res.status).toBe(200);
    await crash('drain', 'sender:responded');
    expect(gw.delivered).toHaveLength(1);
    const drained = await run('drain');
    expect(drained.unsettled).toBe(0);
    const row = one<any>("SELECT * FROM channel_outbox WHERE channel = 'sms'");
    expect(row.state).toBe('sent');
    expect(gw.requests).toHaveLength(2); // re-sent…
    expect(gw.requests[0].params.requestId).toBe(row.idempotency_key);
    expect(gw.requests[1].params.requestId).toBe(row.idempotency_key);
    expect(gw.delivered).toHaveLength(1); // …but delivered once
    expect(row.provider_message_id).toBe(gw.delivered[0].messageId);
  });

  it('a staff reply on a Zalo ticket survives a kill while it is put in the outbox and one after Zalo accepted it: delivered once', async () => {
    // cu2's Zalo conversation (first test) is handed to an officer, who replies (ticket module, this process).
    const { conversation_id: conversationId } = one<{ conversation_id: string }>("SELECT conversation_id FROM channel_users WHERE channel = 'zalo' AND user_id = 'cu2'");
    const staffId = Number(db().prepare("INSERT INTO users (username, password_hash, role, created_at, updated_at) VALUES ('can-bo', 'scrypt$x', 'reviewer', 'x', 'x')").run().lastInsertRowid);
    const officer = { id: staffId, username: 'can-bo', role: 'reviewer' as const, disabled: false };
    const now = new Date();
    const ticket = t.assistant.tickets.open({ conversationId, channel: 'zalo', province: t.config.province, lang: 'vi', isTest: true, dueAt: now, now, firstMessage: 'GAP CAN BO' });
    t.assistant.tickets.claim(officer, ticket.id, now);
    const text = 'Chào bạn, cán bộ một cửa đây: hồ sơ thường trú cần tờ khai CT01.';
    const { message } = t.assistant.tickets.reply(officer, ticket.id, text, now);
    const delivery = () => one<{ delivery: string }>('SELECT delivery FROM ticket_messages WHERE id = ?', message.id).delivery;
    const rowsOf = () => all<any>("SELECT * FROM channel_outbox WHERE channel = 'zalo' AND user_id = 'cu2' AND payload LIKE '%CT01%'");
    const sentBefore = fake.sentTo('cu2').length;
    expect(delivery()).toBe('pending');

    // Killed inside the transaction that writes the outbox rows: none of it stays, the reply is still pending.
    await crash('forward', 'staff:forwarding');
    expect(delivery()).toBe('pending');
    expect(rowsOf()).toHaveLength(0);

    // Killed after Zalo accepted it, before the row was marked sent: reconciled, not sent again.
    await crash('drain', 'sender:responded');
    expect(delivery()).toBe('queued');
    expect(rowsOf()).toHaveLength(1);
    const drained = await run('drain');
    expect(drained.unsettled).toBe(0);
    const [row] = rowsOf();
    expect(row.state).toBe('sent');
    const received = fake.sentTo('cu2').slice(sentBefore).filter((m) => m.text.includes('CT01'));
    expect(received).toHaveLength(1);
    expect(received[0].text).toContain(text);
    expect(row.provider_message_id).toBe(received[0].messageId);
  });
  it('a staff reply on an SMS ticket survives the same two kills: each SMS part delivered once', async () => {
    // The SMS conversation of the SMS test above, handed to an officer (the account of the Zalo staff test).
    const { conversation_id: conversationId, user_id: phone } = one<{ conversation_id: string; user_id: string }>("SELECT conversation_id, user_id FROM channel_users WHERE channel = 'sms'");
    const { id: staffId } = one<{ id: number }>("SELECT id FROM users WHERE username = 'can-bo'");
    const officer = { id: staffId, username: 'can-bo', role: 'reviewer' as const, disabled: false };
    const now = new Date();
    const ticket = t.assistant.tickets.open({ conversationId, channel: 'sms', province: t.config.province, lang: 'vi', isTest: true, dueAt: now, now, firstMessage: 'GAP CAN BO' });
    t.assistant.tickets.claim(officer, ticket.id, now);
    const { message } = t.assistant.tickets.reply(officer, ticket.id, 'Chào bạn, cán bộ một cửa đây: hồ sơ đăng ký thường trú cần tờ khai CT01 và giấy tờ chứng minh chỗ ở hợp pháp.', now);
    const delivery = () => one<{ delivery: string }>('SELECT delivery FROM ticket_messages WHERE id = ?', message.id).delivery;
    const { n: lastBefore } = one<{ n: number }>("SELECT COALESCE(MAX(id), 0) AS n FROM channel_outbox WHERE channel = 'sms'");
    const rowsOf = () => all<any>("SELECT * FROM channel_outbox WHERE channel = 'sms' AND user_id = ? AND id > ? ORDER BY id", phone, lastBefore);
    expect(delivery()).toBe('pending');

    await crash('forward', 'staff:forwarding');
    expect(delivery()).toBe('pending');
    expect(rowsOf()).toHaveLength(0);

    await crash('drain', 'sender:responded');
    expect(delivery()).toBe('queued');
    expect(rowsOf().length).toBeGreaterThan(0);
    const drained = await run('drain');
    expect(drained.unsettled).toBe(0);
    const rows = rowsOf();
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
    // Re-sent after the kill with the same request id, delivered once per part.
    for (const row of rows) expect(gw.delivered.filter((d) => d.requestId === row.idempotency_key)).toHaveLength(1);
    expect(gw.delivered.filter((d) => rows.some((r) => r.idempotency_key === d.requestId)).map((d) => d.text).join(' ')).toMatch(/CT01/);
  });
});

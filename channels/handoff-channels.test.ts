import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempAssistant, startChannelsApp, waitFor, zaloEnv, type ChannelsApp } from '../server/test-support/channel-test-server.js';
import type { TempAssistant } from '../server/test-support/temp-assistant.js';
import { enableHandoff } from '../server/test-support/handoff-profile.js';
import type { StaffUser } from '../server/domain/staff.js';
import { startFakeZaloServer, type FakeZalo } from './zalo/testing/fake-zalo-server.js';
import { postZaloEvent, textEvent } from './zalo/testing/zalo-webhook-client.js';
import { signedMoParams, startFakeSmsGateway, type FakeSmsGateway } from './sms/testing/fake-sms-gateway.js';

/** Handing a Zalo or SMS conversation to staff: the same tickets, keyed by the channel user (no token). */
const vn = (s: string) => new Date(`${s}+07:00`);
const clock = vn('2026-12-02T09:00:00'); // a Wednesday morning: office hours
let t: TempAssistant;
let fake: FakeZalo;
let gw: FakeSmsGateway;
let ch: ChannelsApp;
let staff: StaffUser;
let seq = 0;
const db = () => t.assistant.db;
const sign = { id: 'app-123', secret: 'oa-secret-key' };
const zalo = (userId: string, text: string) => postZaloEvent(`${ch.base}/channels/zalo/webhook`, textEvent({ appId: 'app-123', userId, text }), sign);
const sms = (sender: string, content: string) =>
  fetch(`${ch.base}/channels/sms/inbound?${new URLSearchParams(signedMoParams({ cpid: 'cp-9', privateKey: 'secret-9', sender, content, smsid: `h-${++seq}-${Date.now()}` }))}`);
const answered = (channel: string, userId: string, n: number) => () =>
  (db().prepare("SELECT COUNT(*) n FROM channel_inbox WHERE channel = ? AND user_id = ? AND state = 'answered'").get(channel, userId) as { n: number }).n >= n;
const conversationOf = (channel: string, userId: string) => (db().prepare('SELECT conversation_id FROM channel_users WHERE channel = ? AND user_id = ?').get(channel, userId) as { conversation_id: string }).conversation_id;
const outboxCount = (channel: string, userId: string) => (db().prepare('SELECT COUNT(*) n FROM channel_outbox WHERE channel = ? AND user_id = ?').get(channel, userId) as { n: number }).n;
const settled = (channel: string, userId: string) => () =>
  (db().prepare("SELECT COUNT(*) n FROM channel_outbox WHERE channel = ? AND user_id = ? AND state NOT IN ('sent', 'failed')").get(channel, userId) as { n: number }).n === 0;

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '50' }, { now: () => clock });
  enableHandoff(t.assistant, 'kon-tum');
  fake = await startFakeZaloServer({ refreshTokens: ['rt-seed'] });
  gw = await startFakeSmsGateway();
  ch = await startChannelsApp(t, {
    ...zaloEnv(fake.url),
    SMS_TRANSPORT: 'http',
    SMS_HTTP_CPID: 'cp-9',
    SMS_HTTP_PRIVATE_KEY: 'secret-9',
    SMS_HTTP_SEND_URL: gw.sendUrl,
    SMS_HTTP_SENDER: '8088',
    SMS_HTTP_TIMEOUT_MS: '1000',
  });
  const id = Number(db().prepare("INSERT INTO users (username, password_hash, role, created_at, updated_at) VALUES ('can-bo', 'scrypt$x', 'reviewer', 'x', 'x')").run().lastInsertRowid);
  staff = { id, username: 'can-bo', role: 'reviewer', disabled: false };
});
afterAll(async () => {
  await ch?.app.close();
  await fake?.close();
  await gw?.close();
  t?.cleanup();
});

describe.each([
  ['zalo', () => `84${Date.now() % 1_000_000}${++seq}`, zalo, (u: string) => fake.sentTo(u).map((m) => m.text)],
  ['sms', () => `8491${String(Date.now()).slice(-5)}${String(++seq).padStart(2, '0')}`, sms, (u: string) => gw.deliveredTo(u).map((m) => m.text)],
] as const)('%s: GAP CAN BO hands the conversation to staff', (channel, newUser, send, received) => {
  it('opens a ticket with its code, is silent while a person holds it, and answers again after release', async () => {
    const u = newUser();
    await send(u, 'GAP CAN BO');
    await waitFor(answered(channel, u, 1), 'ticket reply');
    await waitFor(settled(channel, u), 'delivery');
    const ticket = t.assistant.tickets.openFor(conversationOf(channel, u))!;
    expect(ticket).toMatchObject({ channel, status: 'waiting', province: 'kon-tum' });
    expect(received(u).join(' ')).toContain(ticket.code);

    t.assistant.tickets.claim(staff, ticket.id, clock);
    const before = outboxCount(channel, u);
    await send(u, 'Toi can lam giay khai sinh cho con');
    await waitFor(answered(channel, u, 2), 'message passed to the officer');
    // The assistant says nothing while a person holds the conversation.
    expect(outboxCount(channel, u)).toBe(before);
    expect(t.assistant.tickets.messagesOf(ticket.id).map((m) => m.text)).toEqual(['GAP CAN BO', 'Toi can lam giay khai sinh cho con']);

    // The officer's reply reaches the citizen on their channel, through the outbox, once.
    t.assistant.tickets.reply(staff, ticket.id, 'Chào bạn, bạn cần bản sao giấy chứng sinh của con.', clock);
    await waitFor(() => received(u).some((x) => /giay chung sinh|giấy chứng sinh/.test(x)), 'staff reply delivered');
    await waitFor(settled(channel, u), 'delivery');
    expect(received(u).filter((x) => /giay chung sinh|giấy chứng sinh/.test(x))).toHaveLength(1);
    expect(db().prepare("SELECT delivery FROM ticket_messages WHERE ticket_id = ? AND author = 'staff'").get(ticket.id)).toEqual({ delivery: 'queued' });
    const afterReply = outboxCount(channel, u);

    t.assistant.tickets.release(staff, ticket.id, clock);
    await send(u, 'Dang ky khai sinh can giay to gi?');
    await waitFor(answered(channel, u, 3), 'assistant again');
    await waitFor(settled(channel, u), 'delivery');
    expect(outboxCount(channel, u)).toBeGreaterThan(afterReply);
    const answer = db().prepare("SELECT kind, reply_text FROM answers WHERE conversation_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1").get(conversationOf(channel, u)) as { kind: string };
    expect(answer.kind).toBe('answer');
  });
});

describe('Zalo: the 7-day window', () => {
  it('a staff reply to a citizen who last wrote more than 7 days ago is not sent, and says why', async () => {
    const u = `84${Date.now() % 1_000_000}${++seq}`;
    await zalo(u, 'GAP CAN BO');
    await waitFor(answered('zalo', u, 1), 'ticket reply');
    await waitFor(settled('zalo', u), 'delivery');
    const ticket = t.assistant.tickets.openFor(conversationOf('zalo', u))!;
    t.assistant.tickets.claim(staff, ticket.id, clock);
    db().prepare("UPDATE channel_users SET last_seen_at = ? WHERE channel = 'zalo' AND user_id = ?").run(Date.now() - 8 * 86_400_000, u);
    const sentBefore = fake.sentTo(u).length;
    t.assistant.tickets.reply(staff, ticket.id, 'Chào bạn', clock);
    await waitFor(() => (db().prepare("SELECT delivery FROM ticket_messages WHERE ticket_id = ? AND author = 'staff'").get(ticket.id) as { delivery: string }).delivery !== 'pending', 'forwarder pass');
    expect(db().prepare("SELECT delivery FROM ticket_messages WHERE ticket_id = ? AND author = 'staff'").get(ticket.id)).toEqual({ delivery: 'outside_window' });
    expect(fake.sentTo(u).length).toBe(sentBefore);
  });
});

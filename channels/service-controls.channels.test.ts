/**
 * Channel switches and the notice on Zalo and SMS: real app, the fake Zalo Open API and the fake
 * SMS gateway. A switched-off channel keeps every message and answers with the fixed reply; the
 * notice goes before answers, inside the SMS part budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempAssistant, FAST_CORE_ENV, startChannelsApp, waitFor, zaloEnv, type ChannelsApp } from '../server/test-support/channel-test-server.js';
import type { TempAssistant } from '../server/test-support/temp-assistant.js';
import { createI18n, translator } from '../server/i18n/i18n.js';
import { startFakeZaloServer, type FakeZalo } from './zalo/testing/fake-zalo-server.js';
import { postZaloEvent, textEvent } from './zalo/testing/zalo-webhook-client.js';
import { signedMoParams, startFakeSmsGateway, type FakeSmsGateway } from './sms/testing/fake-sms-gateway.js';
import { prepareSmsText, smsCapacity } from './sms/gsm.js';

let t: TempAssistant;
let fake: FakeZalo;
let gw: FakeSmsGateway;
let ch: ChannelsApp;
let seq = 0;
/** The service controls' clock: moved past a notice's end instead of waiting for it. */
const clock = { at: Date.now() };
const db = () => t.assistant.db;
const offText = translator(createI18n(), 'vi', 'reply')('channel_off');
const SMS_PARTS = 2;

const zaloUser = () => `84${Date.now() % 1_000_000}${++seq}`;
const phone = () => `8491${String(Date.now()).slice(-5)}${String(++seq).padStart(2, '0')}`;
const sendZalo = (userId: string, text: string) => postZaloEvent(`${ch.base}/channels/zalo/webhook`, textEvent({ appId: 'app-123', userId, text }), { id: 'app-123', secret: 'oa-secret-key' });
async function sendSms(sender: string, content: string) {
  const params = signedMoParams({ cpid: 'cp-9', privateKey: 'secret-9', sender, content, smsid: `id-${++seq}-${Date.now()}` });
  const res = await fetch(`${ch.base}/channels/sms/inbound?${new URLSearchParams(params)}`);
  return res.status;
}
const inboxOf = (channel: string, u: string) => db().prepare('SELECT * FROM channel_inbox WHERE channel = ? AND user_id = ? ORDER BY id').all(channel, u) as any[];
const outboxOf = (channel: string, u: string) => db().prepare('SELECT * FROM channel_outbox WHERE channel = ? AND user_id = ? ORDER BY id').all(channel, u) as any[];
const settled = (channel: string, u: string) => () => {
  const inbox = inboxOf(channel, u);
  const out = outboxOf(channel, u);
  return inbox.length > 0 && inbox.every((r) => r.state === 'answered') && out.length > 0 && out.every((o) => o.state === 'sent');
};
const answerOf = (channel: string, u: string) => db().prepare('SELECT outcome, kind, question_redacted, reply_shown FROM answers WHERE id = ?').get(inboxOf(channel, u)[0].answer_id) as Record<string, string>;

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '50' }, { now: () => new Date(clock.at) });
  [fake, gw] = await Promise.all([startFakeZaloServer({ refreshTokens: ['rt-seed'] }), startFakeSmsGateway()]);
  ch = await startChannelsApp(t, {
    ...zaloEnv(fake.url),
    ...FAST_CORE_ENV,
    SMS_TRANSPORT: 'http',
    SMS_MAX_PARTS: String(SMS_PARTS),
    SMS_HTTP_CPID: 'cp-9',
    SMS_HTTP_PRIVATE_KEY: 'secret-9',
    SMS_HTTP_SEND_URL: gw.sendUrl,
    SMS_HTTP_SENDER: '8088',
    SMS_HTTP_SUCCESS: 'status=ok',
    SMS_HTTP_TIMEOUT_MS: '1000',
  });
});
afterAll(async () => {
  await ch?.app.close();
  await fake?.close();
  await gw?.close();
  t?.cleanup();
});

describe('a switched-off channel', () => {
  it('Zalo: the message is kept (redacted) and answered with the fixed reply', async () => {
    t.assistant.controls.setSwitch('zalo', false, 'test');
    const u = zaloUser();
    const r = await sendZalo(u, 'Đăng ký khai sinh cần gì? mật khẩu của tôi là Hoa@2024x');
    expect(r.status).toBe(200);
    await waitFor(settled('zalo', u), 'Zalo reply');
    const text = fake.sentTo(u).map((m) => m.text).join('\n');
    expect(text).toContain(offText);
    expect(text).toContain('1800 1096');
    const a = answerOf('zalo', u);
    expect(a.outcome).toBe('channel_off');
    expect(a.question_redacted).toContain('khai sinh');
    expect(a.question_redacted).not.toContain('Hoa@2024x');
    expect(a.reply_shown).toContain(offText);
    expect(inboxOf('zalo', u)[0].text).toBeNull();
    t.assistant.controls.setSwitch('zalo', true, 'test');
  });

  it('SMS: the message is kept and answered with the fixed reply in GSM-7, the other channel unaffected', async () => {
    t.assistant.controls.setSwitch('sms', false, 'test');
    const u = phone();
    expect(await sendSms(u, 'Quên mật khẩu VNeID thì làm sao?')).toBe(200);
    await waitFor(settled('sms', u), 'SMS reply');
    const [d] = gw.deliveredTo(u);
    expect(d.text).toContain(prepareSmsText(offText, 'gsm7').slice(0, 40));
    expect(d.text).toContain('1800 1096');
    expect(answerOf('sms', u)).toMatchObject({ outcome: 'channel_off', question_redacted: 'Quên mật khẩu VNeID thì làm sao?' });

    // Zalo is still on: answered from the knowledge base.
    const z = zaloUser();
    await sendZalo(z, 'Đăng ký thường trú cần những giấy tờ gì?');
    await waitFor(settled('zalo', z), 'Zalo reply');
    expect(answerOf('zalo', z).outcome).not.toBe('channel_off');
    t.assistant.controls.setSwitch('sms', true, 'test');
  });

  it('STOP still opts out while SMS is off (it is not an answer)', async () => {
    t.assistant.controls.setSwitch('sms', false, 'test');
    const u = phone();
    await sendSms(u, 'STOP');
    await waitFor(settled('sms', u), 'SMS opt-out');
    expect((db().prepare("SELECT opted_out FROM channel_users WHERE channel = 'sms' AND user_id = ?").get(u) as { opted_out: number }).opted_out).toBe(1);
    t.assistant.controls.setSwitch('sms', true, 'test');
  });
});

describe('the notice', () => {
  const notice = 'Cổng dịch vụ công đang bảo trì đến 17:00';
  beforeAll(() => {
    t.assistant.controls.publishNotice({ text: { vi: notice }, endsAt: new Date(clock.at + 3600_000).toISOString() }, 'test');
  });
  afterAll(() => void t.assistant.controls.withdrawNotice());

  it('goes first in a Zalo answer', async () => {
    const u = zaloUser();
    await sendZalo(u, 'Đăng ký thường trú cần những giấy tờ gì?');
    await waitFor(settled('zalo', u), 'Zalo reply');
    const [first] = fake.sentTo(u);
    expect(first.text.startsWith(notice)).toBe(true);
    expect(first.text).toMatch(/thường trú/i);
  });

  it('goes first in an SMS answer and counts in its parts: the answer is cut, the notice never', async () => {
    const u = phone();
    await sendSms(u, 'Đăng ký thường trú cần những giấy tờ gì?');
    await waitFor(settled('sms', u), 'SMS reply');
    const [d] = gw.deliveredTo(u);
    expect(d.text.startsWith(prepareSmsText(notice, 'gsm7'))).toBe(true);
    expect(d.text.length).toBeLessThanOrEqual(smsCapacity('gsm7', SMS_PARTS));
    expect(d.text).toContain('1800 1096');
  });

  it('is not added once it has ended', async () => {
    t.assistant.controls.publishNotice({ text: { vi: 'Thông báo ngắn hạn' }, endsAt: new Date(clock.at + 60_000).toISOString() }, 'test');
    expect(t.assistant.controls.publicNotice('vi')?.text).toBe('Thông báo ngắn hạn');
    clock.at += 60_000;
    const u = zaloUser();
    await sendZalo(u, 'Đăng ký thường trú cần những giấy tờ gì?');
    await waitFor(settled('zalo', u), 'Zalo reply');
    expect(fake.sentTo(u).map((m) => m.text).join('\n')).not.toContain('Thông báo ngắn hạn');
  });
});

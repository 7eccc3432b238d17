import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempAssistant } from '../../server/test-support/temp-assistant.js';
import { createTempAssistant, FAST_CORE_ENV, startChannelsApp, waitFor, type ChannelsApp } from '../../server/test-support/channel-test-server.js';
import { isGsm7 } from './gsm.js';
import { signedMoParams, startFakeSmsGateway, type FakeSmsGateway } from './testing/fake-sms-gateway.js';

let t: TempAssistant;
let gw: FakeSmsGateway;
let ch: ChannelsApp;
let seq = 0;
const phone = () => `8491${String(Date.now()).slice(-5)}${String(++seq).padStart(2, '0')}`;
const db = () => t.assistant.db;
const inboxOf = (u: string) => db().prepare("SELECT * FROM channel_inbox WHERE channel = 'sms' AND user_id = ? ORDER BY id").all(u) as any[];
const outboxOf = (u: string) => db().prepare("SELECT * FROM channel_outbox WHERE channel = 'sms' AND user_id = ? ORDER BY id").all(u) as any[];
const processed = (u: string, n: number) => () => {
  const rows = inboxOf(u);
  const out = outboxOf(u);
  return rows.length >= n && rows.every((r) => r.state === 'answered' || r.state === 'failed') && out.every((o) => o.state === 'sent' || o.state === 'failed');
};

async function mo(sender: string, content: string, opts: { smsid?: string; method?: 'GET' | 'POST-form' | 'POST-json'; timeField?: string; privateKey?: string } = {}) {
  const params = signedMoParams({ cpid: 'cp-9', privateKey: opts.privateKey ?? 'secret-9', sender, content, smsid: opts.smsid ?? `id-${++seq}-${Date.now()}`, timeField: opts.timeField });
  const url = `${ch.base}/channels/sms/inbound`;
  let res: Response;
  if (opts.method === 'POST-form') res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
  else if (opts.method === 'POST-json') res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  else res = await fetch(`${url}?${new URLSearchParams(params)}`);
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '5' });
  gw = await startFakeSmsGateway();
  ch = await startChannelsApp(t, {
    ...FAST_CORE_ENV,
    SMS_TRANSPORT: 'http',
    SMS_MAX_PARTS: '2',
    SMS_HTTP_CPID: 'cp-9',
    SMS_HTTP_PRIVATE_KEY: 'secret-9',
    SMS_HTTP_SEND_URL: gw.sendUrl,
    SMS_HTTP_SENDER: '8088',
    SMS_HTTP_SEND_STATIC: 'apiKey=k-123',
    SMS_HTTP_SUCCESS: 'status=ok',
    SMS_HTTP_RETRYABLE_VALUES: 'busy',
    SMS_HTTP_TIMEOUT_MS: '1000',
  });
});
afterAll(async () => {
  await ch?.app.close();
  await gw?.close();
  t?.cleanup();
});

describe('SMS over an HTTP gateway (real app + fake gateway)', () => {
  it('takes a signed GET callback, answers in GSM-7 without diacritics with the hotline, using the default request shape', async () => {
    const u = phone();
    const r = await mo(u, 'Quên mật khẩu VNeID thì làm sao?');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ status: 0, message: 'received' });
    await waitFor(processed(u, 1), 'reply');
    const d = gw.deliveredTo(u)[0];
    expect(isGsm7(d.text)).toBe(true);
    expect(d.text).not.toMatch(/[^\x20-\x7e]/);
    expect(d.text).toContain('Tong dai: 1800 1096');
    expect(d.text.length).toBeLessThanOrEqual(306);
    expect(d.params).toMatchObject({ to: u, sender: '8088', unicode: '0', apiKey: 'k-123' });
    const [row] = outboxOf(u);
    expect(d.requestId).toBe(row.idempotency_key);
    expect(row.provider_message_id).toBe(d.messageId);
    expect(inboxOf(u)[0].text).toBeNull();
  });

  it('accepts POST form and JSON callbacks, and both receiverTime / receiveTime parameter names', async () => {
    const a = phone();
    const b = phone();
    const c = phone();
    expect((await mo(a, 'xin chao', { method: 'POST-form' })).status).toBe(200);
    expect((await mo(b, 'xin chao', { method: 'POST-json', timeField: 'receiveTime' })).status).toBe(200);
    expect((await mo(c, 'xin chao', { timeField: 'receiveTime' })).status).toBe(200);
    for (const u of [a, b, c]) await waitFor(() => gw.deliveredTo(u).length === 1, `reply to ${u}`);
  });

  it('rejects a bad or missing signature with 401 and stores nothing', async () => {
    const u = phone();
    expect((await mo(u, 'xin chao', { privateKey: 'wrong' })).status).toBe(401);
    const res = await fetch(`${ch.base}/channels/sms/inbound?sender=${u}&content=hi&smsid=x1&receiverTime=1`);
    expect(res.status).toBe(401);
    expect(inboxOf(u)).toHaveLength(0);
  });

  it('de-duplicates on smsid', async () => {
    const u = phone();
    await mo(u, 'xin chao', { smsid: 'same-id' });
    await mo(u, 'xin chao', { smsid: 'same-id' });
    await waitFor(processed(u, 1), 'processed');
    await new Promise((r) => setTimeout(r, 150));
    expect(inboxOf(u)).toHaveLength(1);
    expect(gw.deliveredTo(u)).toHaveLength(1);
  });

  it('cuts a long answer at a sentence, offers "Tra loi 1 de xem tiep", and sends the rest on "1"', async () => {
    const u = phone();
    // An answer longer than two SMS (the documents list of a residence question now fits in two).
    await mo(u, 'Chứng thực bản sao cần mang gì?');
    await waitFor(() => gw.deliveredTo(u).length === 1, 'first part');
    const first = gw.deliveredTo(u)[0].text;
    expect(first).toMatch(/Tra loi 1 de xem tiep$/);
    expect(first).toContain('1800 1096');
    expect(first.length).toBeLessThanOrEqual(306);
    const stored = (db().prepare("SELECT pending_more FROM channel_users WHERE channel = 'sms' AND user_id = ?").get(u) as any).pending_more;
    expect(stored.length).toBeGreaterThan(0);
    await mo(u, '1');
    await waitFor(() => gw.deliveredTo(u).length === 2, 'second part');
    const second = gw.deliveredTo(u)[1].text;
    expect(second.startsWith(stored.slice(0, 20))).toBe(true);
    let texts = gw.deliveredTo(u).map((d) => d.text);
    for (let i = 0; i < 5 && /Tra loi 1 de xem tiep$/.test(texts[texts.length - 1]); i++) {
      await mo(u, '1');
      await waitFor(() => gw.deliveredTo(u).length === texts.length + 1, 'next part');
      texts = gw.deliveredTo(u).map((d) => d.text);
    }
    await mo(u, '1');
    await waitFor(() => gw.deliveredTo(u).length === texts.length + 1, 'no more');
    expect(gw.deliveredTo(u).at(-1)!.text).toMatch(/Khong con noi dung/);
  });

  it('honours STOP (confirmed once, then silence) and BATDAU', async () => {
    const u = phone();
    await mo(u, 'STOP');
    await waitFor(() => gw.deliveredTo(u).length === 1, 'confirmation');
    expect(gw.deliveredTo(u)[0].text).toMatch(/BATDAU/);
    await mo(u, 'dang ky khai sinh');
    await mo(u, 'Hủy');
    await waitFor(processed(u, 3), 'processed');
    await new Promise((r) => setTimeout(r, 150));
    expect(gw.deliveredTo(u)).toHaveLength(1);
    expect(inboxOf(u).map((i) => i.outcome)).toEqual(['opt_out', 'opted_out', 'opted_out']);
    const user = db().prepare("SELECT opted_out FROM channel_users WHERE channel = 'sms' AND user_id = ?").get(u) as any;
    expect(user.opted_out).toBe(1);
    await mo(u, 'BATDAU');
    await mo(u, 'dang ky khai sinh');
    await waitFor(() => gw.deliveredTo(u).length === 3, 'opt-in confirmation and answer');
    expect(gw.deliveredTo(u)[1].text).toMatch(/nhan lai/);
  });

  it('retries a 5xx and a retryable gateway status; a rejected number fails permanently', async () => {
    const u = phone();
    gw.forced.push({ type: 'http', status: 503 }, { type: 'status', value: 'busy' });
    await mo(u, 'xin chao');
    await waitFor(processed(u, 1), 'sent');
    const [row] = outboxOf(u);
    expect(row.state).toBe('sent');
    const attempts = db().prepare('SELECT outcome, error_code FROM channel_attempts WHERE outbox_id = ? ORDER BY id').all(row.id);
    expect(attempts).toEqual([
      { outcome: 'retryable', error_code: 'http_503' },
      { outcome: 'retryable', error_code: 'busy' },
      { outcome: 'sent', error_code: null },
    ]);
    expect(gw.deliveredTo(u)).toHaveLength(1);

    const v = phone();
    gw.forced.push({ type: 'status', value: 'invalid_number' });
    await mo(v, 'xin chao');
    await waitFor(processed(v, 1), 'failed');
    expect(outboxOf(v)[0].state).toBe('failed');
  });

  it('never writes phone numbers or message text to the operational log', async () => {
    const u = phone();
    await mo(u, 'Câu hỏi riêng tư về đăng ký kết hôn');
    await waitFor(processed(u, 1), 'processed');
    const log = ch.logLines.join('\n');
    expect(log).not.toContain(u);
    expect(log).not.toContain(u.slice(2));
    expect(log).not.toMatch(/riêng tư|rieng tu|kết hôn|ket hon/);
  });
});

describe('SMS callbacks cannot be forged from a captured one', () => {
  const url = () => `${ch.base}/channels/sms/inbound`;
  const get = (params: Record<string, string>) => fetch(`${url()}?${new URLSearchParams(params)}`);

  it('refuses characters moved between fields, a changed sender, and a changed content', async () => {
    const u = phone();
    const real = signedMoParams({ cpid: 'cp-9', privateKey: 'secret-9', sender: u, content: '123 tra cuu ho so', smsid: `forge-${Date.now()}` });
    // Shift "123" from the content into the smsid: the plain concatenation would be unchanged.
    const shifted = { ...real, smsid: `${real.smsid}123`, content: ' tra cuu ho so' };
    expect((await get(shifted)).status).toBe(401);
    expect((await get({ ...real, sender: '84900000001' })).status).toBe(401);
    expect((await get({ ...real, content: 'STOP' })).status).toBe(401);
    expect((await get({ ...real, serviceNumber: '9999' })).status).toBe(401);
    expect(inboxOf(u)).toHaveLength(0);
    expect(inboxOf('84900000001')).toHaveLength(0);
  });

  it('refuses a callback dated outside the window (five years back, or an hour ahead) or without a time', async () => {
    const u = phone();
    const old = signedMoParams({ cpid: 'cp-9', privateKey: 'secret-9', sender: u, content: 'xin chao', smsid: `old-${Date.now()}`, receiveTime: '20201122153000' });
    expect((await get(old)).status).toBe(401);
    const future = signedMoParams({ cpid: 'cp-9', privateKey: 'secret-9', sender: u, content: 'xin chao', smsid: `fut-${Date.now()}`, receiveTime: new Date(Date.now() + 7 * 3600_000 + 3600_000).toISOString().replace(/\D/g, '').slice(0, 14) });
    expect((await get(future)).status).toBe(401);
    const noTime = signedMoParams({ cpid: 'cp-9', privateKey: 'secret-9', sender: u, content: 'xin chao', smsid: `nt-${Date.now()}`, receiveTime: '' });
    expect((await get(noTime)).status).toBe(401);
    expect(inboxOf(u)).toHaveLength(0);
  });

  it('acknowledges a replayed callback without taking it again', async () => {
    const u = phone();
    const params = signedMoParams({ cpid: 'cp-9', privateKey: 'secret-9', sender: u, content: 'xin chao', smsid: `rp-${Date.now()}` });
    expect((await get(params)).status).toBe(200);
    expect((await get(params)).status).toBe(200);
    expect((await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) })).status).toBe(200);
    expect(inboxOf(u)).toHaveLength(1);
    expect(db().prepare('SELECT COUNT(*) AS n FROM sms_callback_seen WHERE signature = ?').get(params.sign)).toEqual({ n: 1 });
  });
});

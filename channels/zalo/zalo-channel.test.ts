import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempAssistant, startChannelsApp, waitFor, zaloEnv, type ChannelsApp } from '../../server/test-support/channel-test-server.js';
import type { TempAssistant } from '../../server/test-support/temp-assistant.js';
import { startFakeZaloServer, type FakeZalo } from './testing/fake-zalo-server.js';
import { attachmentEvent, followEvent, postZaloEvent, textEvent } from './testing/zalo-webhook-client.js';

let t: TempAssistant;
let fake: FakeZalo;
let ch: ChannelsApp;
let webhook: string;
const sign = { id: 'app-123', secret: 'oa-secret-key' };
let userSeq = 0;
const newUser = () => `84${Date.now() % 1_000_000}${++userSeq}`;

const send = (userId: string, text: string, msgId?: string) => postZaloEvent(webhook, textEvent({ appId: 'app-123', userId, text, msgId }), sign);
const db = () => t.assistant.db;
const outboxOf = (userId: string) => db().prepare("SELECT * FROM channel_outbox WHERE channel = 'zalo' AND user_id = ? ORDER BY id").all(userId) as any[];
const inboxOf = (userId: string) => db().prepare("SELECT * FROM channel_inbox WHERE channel = 'zalo' AND user_id = ? ORDER BY id").all(userId) as any[];
const attemptsOf = (outboxId: number) => db().prepare('SELECT * FROM channel_attempts WHERE outbox_id = ? ORDER BY id').all(outboxId) as any[];
const settled = (userId: string, n: number) => () => {
  const rows = outboxOf(userId);
  return rows.length >= n && rows.every((r) => r.state === 'sent' || r.state === 'failed');
};

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '5' });
  fake = await startFakeZaloServer({ refreshTokens: ['rt-seed'] });
  ch = await startChannelsApp(t, zaloEnv(fake.url));
  webhook = `${ch.base}/channels/zalo/webhook`;
});
afterAll(async () => {
  await ch?.app.close();
  await fake?.close();
  t?.cleanup();
});

describe('Zalo OA channel over real HTTP (app + fake Open API)', () => {
  it('acknowledges at once, answers through the outbox, and keeps no raw text', async () => {
    const u = newUser();
    const started = performance.now();
    const r = await send(u, 'Đăng ký thường trú cần những giấy tờ gì?');
    // Zalo wants 200 within 2 s; the webhook only verifies and inserts (generous bound for a loaded CI box).
    expect(performance.now() - started).toBeLessThan(1500);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('queued');
    await waitFor(settled(u, 1), 'reply');
    const sent = fake.sentTo(u);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    const last = sent[sent.length - 1];
    const all = sent.map((m) => m.text).join('\n');
    expect(all).toMatch(/thường trú/i);
    expect(all).not.toContain('**');
    expect(sent.every((m) => [...m.text].length < 2000)).toBe(true);
    expect(last.buttons.length).toBeGreaterThan(0);
    expect(last.buttons.length).toBeLessThanOrEqual(5);
    expect(last.buttons.find((b) => b.type === 'oa.open.phone')?.payload).toEqual({ phone_code: '18001096' });
    expect(last.buttons.some((b) => b.type === 'oa.query.show')).toBe(true);
    expect(last.buttons.every((b) => [...b.title].length <= 100)).toBe(true);
    // The review console shows the reply exactly as Zalo showed it.
    const shown = db().prepare("SELECT reply_shown FROM answers WHERE channel = 'zalo' AND reply_shown LIKE '%thường trú%'").get() as { reply_shown: string } | undefined;
    expect(shown?.reply_shown).toContain(sent[0].text);
    expect(shown?.reply_shown).not.toContain('**');
    // Token: refreshed once from the seed; the rotated pair is stored; the seed is dead.
    const tok = db().prepare("SELECT * FROM channel_tokens WHERE name = 'zalo'").get() as any;
    expect(tok.refresh_token).not.toBe('rt-seed');
    expect(fake.currentRefreshTokens()).toEqual([tok.refresh_token]);
    expect(last.accessToken).toBe(tok.access_token);
    const req = fake.requests.find((q) => q.path === '/v3.0/oa/message/cs');
    expect(req?.headers.access_token).toBe(tok.access_token);

    const [inbox] = inboxOf(u);
    expect(inbox.state).toBe('answered');
    expect(inbox.text).toBeNull();
    const answer = db().prepare('SELECT * FROM answers WHERE id = ?').get(inbox.answer_id) as any;
    expect(answer.channel).toBe('zalo');
    const user = db().prepare("SELECT * FROM channel_users WHERE channel = 'zalo' AND user_id = ?").get(u) as any;
    expect(answer.conversation_id).toBe(user.conversation_id);
    const conv = db().prepare('SELECT user_ref FROM conversations WHERE id = ?').get(user.conversation_id) as any;
    expect(conv.user_ref).toBe(user.user_ref);
    expect(conv.user_ref).not.toContain(u);
    for (const o of outboxOf(u)) expect(attemptsOf(o.id).map((a) => a.outcome)).toEqual(['sent']);
  });

  it('de-duplicates a re-delivered event (same msg_id): one answer, one reply', async () => {
    const u = newUser();
    const a = await send(u, 'Quên mật khẩu VNeID thì làm sao?', 'dup-msg-1');
    const b = await send(u, 'Quên mật khẩu VNeID thì làm sao?', 'dup-msg-1');
    expect(a.body.status).toBe('queued');
    expect(b.status).toBe(200);
    expect(b.body.status).toBe('duplicate');
    await waitFor(settled(u, 1), 'reply');
    await new Promise((r) => setTimeout(r, 200));
    expect(inboxOf(u)).toHaveLength(1);
    const parts = outboxOf(u).length;
    expect(fake.sentTo(u)).toHaveLength(parts);
  });

  it('rejects a wrong, missing or malformed signature and a stale timestamp with 401, storing nothing', async () => {
    const u = newUser();
    const ev = textEvent({ appId: 'app-123', userId: u, text: 'xin chào' });
    expect((await postZaloEvent(webhook, ev, { id: 'app-123', secret: 'wrong' })).status).toBe(401);
    expect((await postZaloEvent(webhook, ev, sign, { signature: null })).status).toBe(401);
    expect((await postZaloEvent(webhook, ev, sign, { signature: 'mac=zz' })).status).toBe(401);
    // Signed over different bytes (re-serialised JSON) does not verify.
    const raw = JSON.stringify(ev, null, 2);
    const { zaloSignatureHeader } = await import('./zalo-signature.js');
    expect((await postZaloEvent(webhook, ev, sign, { raw, signature: zaloSignatureHeader('app-123', Buffer.from(JSON.stringify(ev)), String(ev.timestamp), 'oa-secret-key') })).status).toBe(401);
    const stale = textEvent({ appId: 'app-123', userId: u, text: 'xin chào', timestamp: Date.now() - 6 * 60_000 });
    const s = await postZaloEvent(webhook, stale, sign);
    expect(s.status).toBe(401);
    expect(s.body.error).toBe('stale_timestamp');
    expect(inboxOf(u)).toHaveLength(0);
  });

  it('welcomes a new follower with quick replies (no sender field) and records an unfollow without replying', async () => {
    const u = newUser();
    const r = await postZaloEvent(webhook, followEvent({ appId: 'app-123', userId: u }), sign);
    expect(r.status).toBe(200);
    await waitFor(() => fake.sentTo(u).length === 1, 'welcome');
    const welcome = fake.sentTo(u)[0];
    expect(welcome.text).toMatch(/Xin chào/);
    expect(welcome.buttons.length).toBeGreaterThan(1);
    expect(welcome.buttons.every((b) => b.type === 'oa.query.show')).toBe(true);
    await postZaloEvent(webhook, followEvent({ appId: 'app-123', userId: u, unfollow: true }), sign);
    await waitFor(() => inboxOf(u).every((i) => i.state === 'answered') && inboxOf(u).length === 2, 'unfollow processed');
    const user = db().prepare("SELECT followed FROM channel_users WHERE channel = 'zalo' AND user_id = ?").get(u) as any;
    expect(user.followed).toBe(0);
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.sentTo(u)).toHaveLength(1);
  });

  it('answers images, stickers, locations, files, gifs and links politely: text only', async () => {
    const u = newUser();
    const types = ['image', 'sticker', 'location', 'file', 'gif', 'link'] as const;
    for (const type of types) expect((await postZaloEvent(webhook, attachmentEvent({ appId: 'app-123', userId: u, type }), sign)).status).toBe(200);
    await waitFor(() => fake.sentTo(u).length === types.length, 'text-only replies');
    expect(fake.sentTo(u).every((m) => /chỉ đọc được tin nhắn chữ/.test(m.text))).toBe(true);
  });

  it('ignores oa_send_* echoes of its own messages', async () => {
    const u = newUser();
    const echo = { ...textEvent({ appId: 'app-123', userId: 'oa-456', text: 'echo' }), event_name: 'oa_send_text', recipient: { id: u } };
    const r = await postZaloEvent(webhook, echo, sign);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ignored');
    expect(db().prepare("SELECT COUNT(*) AS n FROM channel_inbox WHERE user_id IN (?, 'oa-456')").get(u)).toEqual({ n: 0 });
  });

  it('keeps one conversation per Zalo user so follow-ups work', async () => {
    const u = newUser();
    await send(u, 'Đăng ký khai sinh cho con trên mạng');
    await send(u, 'cần giấy tờ gì?');
    await waitFor(() => inboxOf(u).filter((i) => i.state === 'answered').length === 2, 'two answers');
    const rows = inboxOf(u);
    const answers = rows.map((r) => db().prepare('SELECT conversation_id, topics FROM answers WHERE id = ?').get(r.answer_id) as any);
    expect(answers[0].conversation_id).toBe(answers[1].conversation_id);
    expect(JSON.parse(answers[1].topics)).toContain('service.birth-registration');
  });

  it('switches language with ENGLISH / TIẾNG VIỆT and hands over to a person with HUMAN / GAP CAN BO', async () => {
    const u = newUser();
    await send(u, 'ENGLISH');
    await waitFor(() => fake.sentTo(u).length === 1, 'language confirmation');
    expect(fake.sentTo(u)[0].text).toMatch(/answer in English/);
    await send(u, 'How do I renew my passport online?');
    await waitFor(() => inboxOf(u).filter((i) => i.state === 'answered').length === 2, 'answer');
    const a2 = db().prepare('SELECT lang FROM answers WHERE id = ?').get(inboxOf(u)[1].answer_id) as any;
    expect(a2.lang).toBe('en');
    await send(u, 'HUMAN');
    await waitFor(() => inboxOf(u).filter((i) => i.state === 'answered').length === 3, 'handoff');
    const a3 = db().prepare('SELECT kind, lang FROM answers WHERE id = ?').get(inboxOf(u)[2].answer_id) as any;
    expect(a3).toEqual({ kind: 'handoff', lang: 'en' });
    await send(u, 'Tiếng Việt');
    await send(u, 'gap can bo');
    await waitFor(() => inboxOf(u).filter((i) => i.state === 'answered').length === 5, 'vietnamese handoff');
    const a5 = db().prepare('SELECT kind, lang FROM answers WHERE id = ?').get(inboxOf(u)[4].answer_id) as any;
    expect(a5).toEqual({ kind: 'handoff', lang: 'vi' });
    const user = db().prepare("SELECT lang FROM channel_users WHERE channel = 'zalo' AND user_id = ?").get(u) as any;
    expect(user.lang).toBe('vi');
  });

  it('rate-limits per user: one polite "please wait", then silence', async () => {
    const u = newUser();
    for (let i = 0; i < 13; i++) await send(u, `xin chào ${i}`);
    await waitFor(() => inboxOf(u).every((i) => i.state === 'answered') && inboxOf(u).length === 13, 'all processed');
    const outcomes = inboxOf(u).map((i) => i.outcome);
    expect(outcomes.slice(10)).toEqual(['limited', 'limited', 'limited']);
    await waitFor(settled(u, 11), 'replies');
    const waits = fake.sentTo(u).filter((m) => /chờ khoảng 60 giây/.test(m.text));
    expect(waits).toHaveLength(1);
  });

  it('does not retry a permanent error (-230 out of window) and records the attempt', async () => {
    const u = newUser();
    fake.outOfWindow.add(u);
    await send(u, 'xin chào');
    await waitFor(settled(u, 1), 'settled');
    const rows = outboxOf(u);
    expect(rows.every((r) => r.state === 'failed')).toBe(true);
    const attempts = attemptsOf(rows[0].id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ outcome: 'permanent', error_code: '-230' });
    fake.outOfWindow.delete(u);
  });

  it('retries -32 (rate limit) and 5xx with backoff, then delivers once', async () => {
    const u = newUser();
    fake.forced.push({ type: 'error', code: -32 }, { type: 'http', status: 502 });
    await send(u, 'xin chào');
    await waitFor(settled(u, 1), 'settled');
    const [row] = outboxOf(u);
    expect(row.state).toBe('sent');
    expect(attemptsOf(row.id).map((a) => [a.outcome, a.error_code])).toEqual([
      ['retryable', '-32'],
      ['retryable', 'http_502'],
      ['sent', null],
    ]);
    expect(fake.sentTo(u)).toHaveLength(1);
  });

  it('a timeout after Zalo accepted the message is settled by reconciliation, not a second send', async () => {
    const u = newUser();
    fake.forced.push({ type: 'accept-then-delay', ms: 1500 });
    await send(u, 'xin chào');
    await waitFor(settled(u, 1), 'settled');
    const [row] = outboxOf(u);
    expect(row.state).toBe('sent');
    expect(attemptsOf(row.id).map((a) => a.outcome)).toEqual(['retryable', 'reconciled_sent']);
    expect(row.provider_message_id).toBe(fake.sentTo(u)[0].messageId);
    expect(fake.sentTo(u)).toHaveLength(1);
  });

  it('a dropped connection after acceptance is reconciled too', async () => {
    const u = newUser();
    fake.forced.push({ type: 'accept-then-drop' });
    await send(u, 'xin chào');
    await waitFor(settled(u, 1), 'settled');
    expect(fake.sentTo(u)).toHaveLength(1);
    expect(attemptsOf(outboxOf(u)[0].id).map((a) => a.outcome)).toEqual(['retryable', 'reconciled_sent']);
  });

  it('refreshes the token once and retries once when Zalo says it expired (-216)', async () => {
    const u = newUser();
    const before = fake.refreshCalls;
    fake.expireAccessTokens();
    await send(u, 'xin chào');
    await waitFor(settled(u, 1), 'settled');
    expect(outboxOf(u)[0].state).toBe('sent');
    expect(fake.refreshCalls).toBe(before + 1);
    expect(attemptsOf(outboxOf(u)[0].id).map((a) => a.outcome)).toEqual(['sent']);
  });

  it('logs loudly on -201 (a bug in what we send) and does not retry', async () => {
    const u = newUser();
    fake.forced.push({ type: 'error', code: -201, message: 'invalid param' });
    await send(u, 'xin chào');
    await waitFor(settled(u, 1), 'settled');
    expect(outboxOf(u)[0].state).toBe('failed');
    expect(ch.logLines.some((l) => l.includes('"code":"-201"') && l.includes('staff attention'))).toBe(true);
  });

  it('never writes message text or Zalo user ids to the operational log', async () => {
    const u = newUser();
    await send(u, 'Bí mật riêng tư: câu hỏi về đăng ký kết hôn');
    await waitFor(settled(u, 1), 'settled');
    const log = ch.logLines.join('\n');
    expect(log).not.toContain('Bí mật riêng tư');
    expect(log).not.toContain('kết hôn');
    expect(log).not.toContain(u);
    expect(log).not.toMatch(/"access_token"|at-[0-9a-f]{8}-/);
  });
});

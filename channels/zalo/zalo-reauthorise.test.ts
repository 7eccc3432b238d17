import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { createTempAssistant, waitFor, zaloEnv } from '../../server/test-support/channel-test-server.js';
import { createUserStore } from '../../server/staff/users.js';
import { loadChannelsConfig } from '../config.js';
import type { TempAssistant } from '../../server/test-support/temp-assistant.js';
import { authorizeZalo } from './zalo-authorize.js';
import { storeTokenPair } from './zalo-tokens.js';
import { startFakeZaloServer, type FakeZalo } from './testing/fake-zalo-server.js';
import { postZaloEvent, textEvent } from './testing/zalo-webhook-client.js';

/**
 * Issue 14: with the refresh token rejected, replies used to be marked failed after
 * CHANNELS_SEND_MAX_ATTEMPTS (8 in ~186 s with the default schedule) and were never sent after
 * re-authorising. The retry schedule is shortened here (attempts 3, backoff 20–200 ms) so the old
 * budget is spent in well under a second; the replies must still be waiting long after it.
 */
const MAX_ATTEMPTS = 3;
let t: TempAssistant;
let fake: FakeZalo;
let app: FastifyInstance;
let base: string;
let cookie: string;
const sign = { id: 'app-123', secret: 'oa-secret-key' };

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '50' });
  // The seed refresh token is one Zalo never issued: the first refresh is rejected.
  fake = await startFakeZaloServer({ refreshTokens: [], authCode: { code: 'new-code', verifier: 'new-verifier' } });
  // The whole app with Zalo configured, as `npm start` builds it: the dashboard and /metrics see the channel.
  const channelsConfig = loadChannelsConfig(zaloEnv(fake.url, { CHANNELS_SEND_MAX_ATTEMPTS: String(MAX_ATTEMPTS), ZALO_REFRESH_TOKEN: 'rt-revoked' }));
  app = await buildApp({ assistant: t.assistant, channelsConfig, retentionIntervalMs: 0 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  const users = createUserStore(t.assistant.db);
  await users.create('reviewer1', 'reviewer password 1', 'reviewer');
  await users.close();
  const login = await fetch(`${base}/staff/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'reviewer1', password: 'reviewer password 1' }) });
  cookie = login.headers.get('set-cookie')!.split(';')[0];
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
  t?.cleanup();
});

const db = () => t.assistant.db;
const outbox = () => db().prepare("SELECT id, user_id, state, attempts FROM channel_outbox WHERE channel = 'zalo' ORDER BY id").all() as Array<{ id: number; user_id: string; state: string; attempts: number }>;
/** The dashboard's channel card: state, reason and since when, as the page renders it. */
async function dashboardZalo() {
  const page = await (await fetch(`${base}/staff/dashboard`, { headers: { cookie } })).text();
  const item = /<li class="channel-health-item[^"]*" data-channel="zalo" data-state="([a-z_]+)">([\s\S]*?)<\/li>/.exec(page);
  return item ? { state: item[1], text: item[2].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() } : null;
}
async function metricZalo() {
  const text = await (await fetch(`${base}/metrics`)).text();
  const value = (state: string) => Number(new RegExp(`^dvc_channel_health\\{channel="zalo",state="${state}"\\} (\\d+)`, 'm').exec(text)?.[1]);
  return { ok: value('ok'), waiting: value('waiting_authorization'), failing: value('failing'), since: /^dvc_channel_health_since_timestamp_seconds\{channel="zalo"\} /m.test(text) };
}
const checks = (id: number) => (db().prepare("SELECT COUNT(*) AS n FROM channel_attempts WHERE outbox_id = ? AND outcome = 'waiting_auth'").get(id) as { n: number }).n;

describe('Zalo replies while the token is invalid', () => {
  it('wait in the outbox past the old retry budget, without hammering the OAuth server, and go out exactly once after re-authorisation', async () => {
    const users = ['84900000001', '84900000002', '84900000003'];
    for (const [i, u] of users.entries()) {
      expect((await postZaloEvent(`${base}/channels/zalo/webhook`, textEvent({ appId: 'app-123', userId: u, text: 'đăng ký khai sinh', msgId: `m-auth-${i}` }), sign)).status).toBe(200);
    }
    await waitFor(() => outbox().length >= users.length, 'replies in the outbox');
    // Each reply is looked at well beyond the old limit of attempts.
    // Each user's first reply is looked at well beyond the old limit of attempts (the later parts
    // queue behind it: one message in flight per user, in order).
    const firstOf = (u: string) => outbox().find((r) => r.user_id === u)!.id;
    await waitFor(() => users.every((u) => checks(firstOf(u)) > MAX_ATTEMPTS + 2), 'replies checked more often than the old retry budget allowed', 20_000);
    const waiting = outbox();
    expect(waiting.map((r) => r.state).every((s) => s === 'pending' || s === 'sending')).toBe(true);
    expect(waiting.some((r) => r.state === 'failed')).toBe(false);
    // Attempts that could not even try are not counted against the limit.
    expect(Math.max(...waiting.map((r) => r.attempts))).toBeLessThanOrEqual(1);
    expect(fake.sent).toHaveLength(0);
    // The rejected refresh token was tried once, not once per reply and check.
    expect(fake.refreshCalls).toBe(1);

    // Staff see it on the dashboard, monitoring in /metrics: waiting, since when, and why.
    const since = db().prepare("SELECT auth_failed_at AS at FROM channel_tokens WHERE name = 'zalo'").get() as { at: number };
    const card = await dashboardZalo();
    expect(card?.state).toBe('waiting_authorization');
    expect(card?.text).toContain(new Date(since.at).toISOString().replace('T', ' ').slice(0, 16));
    expect(card?.text).toMatch(/invalid_refresh_token/);
    expect(card?.text).toMatch(/\d+ tin trả lời chưa gửi/);
    expect(await metricZalo()).toEqual({ ok: 0, waiting: 1, failing: 0, since: true });

    await authorizeZalo({ oauthBaseUrl: fake.url, appId: 'app-123', appSecret: 'app-secret', databasePath: t.config.databasePath, code: 'new-code', codeVerifier: 'new-verifier' });

    await waitFor(() => outbox().every((r) => r.state === 'sent'), 'every waiting reply sent after re-authorisation');
    // Each reply (every part of it) delivered exactly once, in order.
    for (const u of users) {
      const rows = db().prepare("SELECT provider_message_id AS id FROM channel_outbox WHERE channel = 'zalo' AND user_id = ? ORDER BY id").all(u) as Array<{ id: string }>;
      expect(fake.sentTo(u).map((m) => m.messageId)).toEqual(rows.map((r) => r.id));
    }
    // Nothing more is sent afterwards (no second copy from a late retry).
    await new Promise((r) => setTimeout(r, 400));
    expect(fake.sent).toHaveLength(outbox().length);
    expect(db().prepare("SELECT auth_failed_at FROM channel_tokens WHERE name = 'zalo'").get()).toEqual({ auth_failed_at: null });
    expect((await dashboardZalo())?.state).toBe('ok');
    expect(await metricZalo()).toEqual({ ok: 1, waiting: 0, failing: 0, since: false });
  });

  it('shows a channel whose provider keeps failing as failing, with the reason and since when, and ok again after a delivery', async () => {
    fake.forced.push(...Array.from({ length: MAX_ATTEMPTS }, () => ({ type: 'http' as const, status: 502 })));
    const u = '84900000009';
    const before = Date.now();
    await postZaloEvent(`${base}/channels/zalo/webhook`, textEvent({ appId: 'app-123', userId: u, text: 'xin chào', msgId: 'm-fail-1' }), sign);
    await waitFor(() => (db().prepare("SELECT state FROM channel_outbox WHERE user_id = ? ORDER BY id LIMIT 1").get(u) as { state: string } | undefined)?.state === 'failed', 'the reply given up after the retry budget');
    const card = await dashboardZalo();
    expect(card?.state).toBe('failing');
    expect(card?.text).toMatch(/http_502/);
    expect(await metricZalo()).toMatchObject({ ok: 0, waiting: 0, failing: 1, since: true });
    const since = Number(/^dvc_channel_health_since_timestamp_seconds\{channel="zalo"\} (\S+)/m.exec(await (await fetch(`${base}/metrics`)).text())![1]) * 1000;
    expect(since).toBeGreaterThanOrEqual(before - 1000);
    // The provider recovers: the next reply goes out and the channel is ok again.
    await postZaloEvent(`${base}/channels/zalo/webhook`, textEvent({ appId: 'app-123', userId: '84900000010', text: 'xin chào', msgId: 'm-fail-2' }), sign);
    await waitFor(async () => (await dashboardZalo())?.state === 'ok', 'ok after a delivery');
  });

  it('a reply whose delivery is unknown waits too, and is settled by asking Zalo after re-authorisation, not sent twice', async () => {
    const u = '84900000020';
    fake.forced.push({ type: 'accept-then-delay', ms: 1500 });
    await postZaloEvent(`${base}/channels/zalo/webhook`, textEvent({ appId: 'app-123', userId: u, text: 'xin chào', msgId: 'm-unknown-1' }), sign);
    // Zalo accepted it but answers after our timeout; meanwhile the token dies and the refresh token is revoked.
    await waitFor(() => fake.sentTo(u).length === 1, 'the message accepted by Zalo');
    fake.expireAccessTokens();
    db().prepare("UPDATE channel_tokens SET refresh_token = 'rt-revoked-again' WHERE name = 'zalo'").run();
    const rowId = () => (db().prepare('SELECT id FROM channel_outbox WHERE user_id = ? ORDER BY id LIMIT 1').get(u) as { id: number }).id;
    await waitFor(() => checks(rowId()) > MAX_ATTEMPTS + 2, 'the unknown outcome waiting for authorisation', 20_000);
    const row = db().prepare('SELECT state, needs_reconcile FROM channel_outbox WHERE id = ?').get(rowId());
    expect(row).toEqual({ state: 'pending', needs_reconcile: 1 });

    // Re-authorised (as authorizeZalo stores the pair it got from Zalo).
    fake.addRefreshToken('rt-after-reauth');
    storeTokenPair(db(), { accessToken: fake.issueAccessToken(), refreshToken: 'rt-after-reauth', expiresIn: 3600 }, Date.now());
    await waitFor(() => (db().prepare('SELECT state FROM channel_outbox WHERE id = ?').get(rowId()) as { state: string }).state === 'sent', 'settled after re-authorisation');
    const outcomes = (db().prepare('SELECT outcome FROM channel_attempts WHERE outbox_id = ? ORDER BY id').all(rowId()) as Array<{ outcome: string }>).map((a) => a.outcome);
    expect(outcomes[0]).toBe('retryable');
    expect(outcomes.at(-1)).toBe('reconciled_sent');
    expect(fake.sentTo(u)).toHaveLength(1);
  });
});

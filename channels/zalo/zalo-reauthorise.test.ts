import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempAssistant, startChannelsApp, waitFor, zaloEnv, type ChannelsApp } from '../../server/test-support/channel-test-server.js';
import type { TempAssistant } from '../../server/test-support/temp-assistant.js';
import { authorizeZalo } from './zalo-authorize.js';
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
let ch: ChannelsApp;
const sign = { id: 'app-123', secret: 'oa-secret-key' };

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '50' });
  // The seed refresh token is one Zalo never issued: the first refresh is rejected.
  fake = await startFakeZaloServer({ refreshTokens: [], authCode: { code: 'new-code', verifier: 'new-verifier' } });
  ch = await startChannelsApp(t, zaloEnv(fake.url, { CHANNELS_SEND_MAX_ATTEMPTS: String(MAX_ATTEMPTS), ZALO_REFRESH_TOKEN: 'rt-revoked' }));
});
afterAll(async () => {
  await ch?.app.close();
  await fake?.close();
  t?.cleanup();
});

const db = () => t.assistant.db;
const outbox = () => db().prepare("SELECT id, user_id, state, attempts FROM channel_outbox WHERE channel = 'zalo' ORDER BY id").all() as Array<{ id: number; user_id: string; state: string; attempts: number }>;
const checks = (id: number) => (db().prepare("SELECT COUNT(*) AS n FROM channel_attempts WHERE outbox_id = ? AND outcome = 'waiting_auth'").get(id) as { n: number }).n;

describe('Zalo replies while the token is invalid', () => {
  it('wait in the outbox past the old retry budget, without hammering the OAuth server, and go out exactly once after re-authorisation', async () => {
    const users = ['84900000001', '84900000002', '84900000003'];
    for (const [i, u] of users.entries()) {
      expect((await postZaloEvent(`${ch.base}/channels/zalo/webhook`, textEvent({ appId: 'app-123', userId: u, text: 'đăng ký khai sinh', msgId: `m-auth-${i}` }), sign)).status).toBe(200);
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
  });
});

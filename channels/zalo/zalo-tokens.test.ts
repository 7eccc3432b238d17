import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database.js';
import { tempDir } from '../../server/test-support/temp-dir.js';
import { startFakeZaloServer, type FakeZalo } from './testing/fake-zalo-server.js';
import { createZaloTokenManager, exchangeAuthorizationCode, storeTokenPair, ZaloAuthError } from './zalo-tokens.js';

let dir: string;
let fake: FakeZalo;
const dbs: Db[] = [];
const silent = pino({ level: 'silent' });

function freshDb(name: string): { file: string; db: Db } {
  const file = path.join(dir, `${name}.sqlite`);
  const db = openDatabase(file);
  dbs.push(db);
  return { file, db };
}
function manager(db: Db, extra: Partial<Parameters<typeof createZaloTokenManager>[0]> = {}) {
  return createZaloTokenManager({ db, appId: 'app-123', appSecret: 'app-secret', oauthBaseUrl: fake.url, refreshMarginMs: 300_000, log: silent, ...extra });
}

beforeAll(async () => {
  dir = tempDir();
  fake = await startFakeZaloServer({ accessTtlS: 3600 });
});
afterEach(() => {
  fake.oauthDelayMs = 0;
});
afterAll(async () => {
  for (const db of dbs) db.close();
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Zalo OAuth v4 tokens', () => {
  it('refreshes from the seed, stores the rotated pair before use, and reuses the access token', async () => {
    const { db } = freshDb('a');
    const seed = 'seed-a';
    fake.addRefreshToken(seed);
    const m = manager(db, { seedRefreshToken: seed });
    const calls = fake.refreshCalls;
    const token = await m.getAccessToken();
    expect(fake.refreshCalls).toBe(calls + 1);
    const row = db.prepare("SELECT * FROM channel_tokens WHERE name = 'zalo'").get() as any;
    expect(row.access_token).toBe(token);
    expect(row.refresh_token).not.toBe(seed);
    expect(fake.currentRefreshTokens()).toContain(row.refresh_token);
    expect(fake.currentRefreshTokens()).not.toContain(seed); // single use
    expect(row.access_expires_at - Date.now()).toBeGreaterThan(3500_000);
    const req = fake.requests.filter((r) => r.path === '/v4/oa/access_token').at(-1)!;
    expect(req.headers.secret_key).toBe('app-secret');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.body).toEqual({ refresh_token: seed, app_id: 'app-123', grant_type: 'refresh_token' });
    expect(await m.getAccessToken()).toBe(token);
    expect(fake.refreshCalls).toBe(calls + 1);
    // A later seed in the environment does not overwrite the rotated token.
    manager(db, { seedRefreshToken: 'stale-seed' });
    expect((db.prepare("SELECT refresh_token FROM channel_tokens WHERE name = 'zalo'").get() as any).refresh_token).toBe(row.refresh_token);
  });

  it('refreshes ahead of expiry (configurable margin)', async () => {
    const { db } = freshDb('b');
    fake.addRefreshToken('seed-b');
    let clock = Date.now();
    const m = manager(db, { seedRefreshToken: 'seed-b', refreshMarginMs: 600_000, now: () => clock });
    const first = await m.getAccessToken();
    clock += 3600_000 - 700_000; // still 11+ minutes left, outside the 10-minute margin
    expect(await m.getAccessToken()).toBe(first);
    clock += 200_000; // within the margin
    const second = await m.getAccessToken();
    expect(second).not.toBe(first);
  });

  it('refreshes once for many concurrent callers in one process', async () => {
    const { db } = freshDb('c');
    fake.addRefreshToken('seed-c');
    fake.oauthDelayMs = 150;
    const m = manager(db, { seedRefreshToken: 'seed-c' });
    const calls = fake.refreshCalls;
    const tokens = await Promise.all(Array.from({ length: 10 }, () => m.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(fake.refreshCalls).toBe(calls + 1);
  });

  it('refreshes once when two processes share the database (lease row)', async () => {
    const { file, db } = freshDb('d');
    fake.addRefreshToken('seed-d');
    const other = openDatabase(file);
    dbs.push(other);
    fake.oauthDelayMs = 300;
    const a = manager(db, { seedRefreshToken: 'seed-d' });
    const b = manager(other);
    const calls = fake.refreshCalls;
    const [ta, tb] = await Promise.all([a.getAccessToken(), b.getAccessToken()]);
    expect(ta).toBe(tb);
    expect(fake.refreshCalls).toBe(calls + 1);
  });

  it('after a rejection, uses a token another caller already renewed instead of refreshing again', async () => {
    const { db } = freshDb('e');
    fake.addRefreshToken('seed-e');
    const m = manager(db, { seedRefreshToken: 'seed-e' });
    const t1 = await m.getAccessToken();
    const t2 = await m.renewAfterRejection(t1);
    expect(t2).not.toBe(t1);
    const calls = fake.refreshCalls;
    expect(await m.renewAfterRejection(t1)).toBe(t2);
    expect(fake.refreshCalls).toBe(calls);
  });

  it('reports a dead refresh token as a permanent auth error and records it', async () => {
    const { db } = freshDb('f');
    const m = manager(db, { seedRefreshToken: 'never-issued' });
    await expect(m.getAccessToken()).rejects.toMatchObject({ permanent: true });
    await expect(m.getAccessToken()).rejects.toBeInstanceOf(ZaloAuthError);
    const row = db.prepare("SELECT last_error, lease_owner FROM channel_tokens WHERE name = 'zalo'").get() as any;
    expect(row.last_error).toMatch(/invalid_refresh_token/);
    expect(row.lease_owner).toBeNull();
    const { db: empty } = freshDb('g');
    await expect(manager(empty).getAccessToken()).rejects.toThrow(/channels-zalo-authorize/);
  });

  it('exchanges an authorization code + code_verifier for the first pair', async () => {
    const f2 = await startFakeZaloServer({ authCode: { code: 'the-code', verifier: 'the-verifier' } });
    try {
      await expect(exchangeAuthorizationCode({ oauthBaseUrl: f2.url, appId: 'app-123', appSecret: 'app-secret', code: 'the-code', codeVerifier: 'wrong' })).rejects.toThrow(/invalid_code/);
      const pair = await exchangeAuthorizationCode({ oauthBaseUrl: f2.url, appId: 'app-123', appSecret: 'app-secret', code: 'the-code', codeVerifier: 'the-verifier' });
      expect(pair.expiresIn).toBe(90000);
      const { db } = freshDb('h');
      storeTokenPair(db, pair, Date.now());
      expect(f2.requests[1].body).toEqual({ code: 'the-code', app_id: 'app-123', grant_type: 'authorization_code', code_verifier: 'the-verifier' });
      // Refreshing later uses the stored refresh token.
      const m = createZaloTokenManager({ db, appId: 'app-123', appSecret: 'app-secret', oauthBaseUrl: f2.url, refreshMarginMs: 90000 * 1000, log: silent });
      const token = await m.getAccessToken();
      expect(token).not.toBe(pair.accessToken);
    } finally {
      await f2.close();
    }
  });
});


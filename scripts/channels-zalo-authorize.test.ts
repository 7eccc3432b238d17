import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/database.js';
import { tempDir } from '../server/test-support/temp-dir.js';
import { startFakeZaloServer, type FakeZalo } from '../channels/zalo/testing/fake-zalo-server.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
let fake: FakeZalo;
let dir: string;

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'channels-zalo-authorize.ts'), ...args], { cwd: root, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

beforeAll(async () => {
  dir = tempDir();
  fake = await startFakeZaloServer({ authCode: { code: 'auth-code-1', verifier: 'verifier-1' } });
});
afterAll(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('scripts/channels-zalo-authorize.ts', () => {
  it('exchanges code + code_verifier for the first pair and stores it without printing tokens', async () => {
    const env = {
      DATABASE_PATH: path.join(dir, 'auth.sqlite'),
      DATA_DIR: dir,
      ZALO_APP_ID: 'app-123',
      ZALO_APP_SECRET: 'app-secret',
      ZALO_OA_SECRET_KEY: 'k',
      ZALO_OAUTH_BASE_URL: fake.url,
    };
    const r = await run(['--code', 'auth-code-1', '--code-verifier', 'verifier-1'], env);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Zalo tokens stored/);
    const db = openDatabase(env.DATABASE_PATH);
    const row = db.prepare("SELECT access_token, refresh_token FROM channel_tokens WHERE name = 'zalo'").get() as any;
    db.close();
    expect(fake.currentRefreshTokens()).toEqual([row.refresh_token]);
    expect(r.out).not.toContain(row.access_token);
    expect(r.out).not.toContain(row.refresh_token);
    // The code is single use: a second run fails clearly.
    const again = await run(['--code', 'auth-code-1', '--code-verifier', 'verifier-1'], env);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/invalid_code/);
  });

  it('prints a PKCE pair on --pkce', async () => {
    const r = await run(['--pkce'], {});
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/code_verifier: {2}[A-Za-z0-9_-]{43}/);
    expect(r.out).toMatch(/code_challenge: [A-Za-z0-9_-]{43}/);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSmsGateway, signedMoParams, type FakeSmsGateway } from '../channels/sms/testing/fake-sms-gateway.js';
import { zaloEnv } from './test-support/channel-test-server.js';
import { startFakeZaloServer, type FakeZalo } from '../channels/zalo/testing/fake-zalo-server.js';
import { postZaloEvent, textEvent } from '../channels/zalo/testing/zalo-webhook-client.js';
import { PROJECT_ROOT } from './config.js';
import { loadCorpus } from './safety/redaction-corpus.js';
import { tempDir } from './test-support/temp-dir.js';

/**
 * Nothing raw at rest: a burst of secrets through the web API, Zalo and SMS against the real
 * server process, then a clean shutdown or a kill -9, then every byte of every file under the
 * data folder (database, -wal, -shm, index, key, the server's log) is searched for each secret.
 */

const secrets = loadCorpus().flatMap((e) => (e.kind === 'HARMLESS' ? [] : [{ text: e.text, secret: e.secret }]));
// Every third secret form, spread over the three routes.
const burst = secrets.filter((_, i) => i % 3 === 0);
const dirs: string[] = [];
let fake: FakeZalo;
let gw: FakeSmsGateway;
const sign = { id: 'app-123', secret: 'oa-secret-key' };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const log = fs.openSync(path.join(dataDir, 'server.log'), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      ...zaloEnv(fake.url),
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'debug',
      RATE_LIMIT_MAX: '100000',
      SMS_TRANSPORT: 'http',
      SMS_HTTP_CPID: 'cp-1',
      SMS_HTTP_PRIVATE_KEY: 'pk-1',
      SMS_HTTP_SEND_URL: gw.sendUrl,
      SMS_HTTP_TIMEOUT_MS: '1000',
      SEED_PROCEDURES_FILE: 'none',
    },
    stdio: ['ignore', log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { child, url };
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${fs.readFileSync(path.join(dataDir, 'server.log'), 'utf8').slice(-2000)}`);
}

/** Sends the burst; returns the Zalo user ids and SMS senders used. */
async function sendBurst(url: string, tag: string) {
  const zaloUsers: string[] = [];
  const smsSenders: string[] = [];
  await Promise.all(
    burst.map(async ({ text }, i) => {
      if (i % 3 === 0) {
        const res = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test': '1' }, body: JSON.stringify({ message: text }) });
        expect(res.status).toBe(200);
      } else if (i % 3 === 1) {
        const userId = `${tag}-z${i}`;
        zaloUsers.push(userId);
        const r = await postZaloEvent(`${url}/channels/zalo/webhook`, textEvent({ appId: 'app-123', userId, text, msgId: `${tag}-m${i}` }), sign);
        expect(r.status).toBe(200);
      } else {
        const sender = `8470000${String(i).padStart(4, '0')}`;
        smsSenders.push(sender);
        const mo = signedMoParams({ cpid: 'cp-1', privateKey: 'pk-1', sender, content: text, smsid: `${tag}-s${i}` });
        const res = await fetch(`${url}/channels/sms/inbound?${new URLSearchParams(mo)}`);
        expect(res.status).toBe(200);
      }
    }),
  );
  return { zaloUsers, smsSenders };
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

/**
 * Every (file, secret) pair where the secret's bytes occur in the file as a value of their own: a
 * numeric secret inside a longer run of digits (a float such as 0.47052848533341) or inside a
 * UUID or hash the server generated (adb31e24-7d80-4676-88aa-100b3341e58b, CI run of 2026-12-02)
 * is chance, not a leak, so those hits do not count. A four-digit PIN meets one of the 300-odd
 * UUIDs a burst writes often enough to fail one run in a few.
 */
function insideHexToken(bytes: Buffer, at: number, length: number): boolean {
  const isHexOrDash = (b: number | undefined) => b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46) || b === 0x2d);
  let start = at;
  while (start > 0 && isHexOrDash(bytes[start - 1])) start--;
  let end = at + length;
  while (end < bytes.length && isHexOrDash(bytes[end])) end++;
  // 32 hex digits: a UUID (36 with dashes) or a longer hash; a secret is never that long a run.
  return end - start >= 32;
}

function findSecrets(dataDir: string): string[] {
  const found: string[] = [];
  const isDigitOrPoint = (b: number | undefined) => b !== undefined && ((b >= 0x30 && b <= 0x39) || b === 0x2e);
  for (const file of filesUnder(dataDir)) {
    const bytes = fs.readFileSync(file);
    for (const { secret } of burst) {
      const needle = Buffer.from(secret, 'utf8');
      const numeric = /^\d/.test(secret) && /\d$/.test(secret);
      for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) {
        if (numeric && (isDigitOrPoint(bytes[at - 1]) || isDigitOrPoint(bytes[at + needle.length]))) continue;
        if (numeric && insideHexToken(bytes, at, needle.length)) continue;
        found.push(`${path.relative(dataDir, file)}: ${secret} in ${JSON.stringify(bytes.subarray(Math.max(0, at - 40), at + needle.length + 20).toString('latin1'))}`);
        break;
      }
    }
  }
  return found;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r({ code: child.exitCode, signal: child.signalCode }) : child.once('exit', (code, signal) => r({ code, signal }))));
}

beforeAll(async () => {
  fake = await startFakeZaloServer({ refreshTokens: ['rt-seed'] });
  gw = await startFakeSmsGateway();
});
afterAll(async () => {
  await fake?.close();
  await gw?.close();
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

describe('no secret is readable in the data folder', () => {
  it(`after a burst of ${burst.length} secrets through web, Zalo and SMS and a clean shutdown`, async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const s = await startServer(dataDir);
    try {
      const { zaloUsers, smsSenders } = await sendBurst(s.url, 'clean');
      // Wait until every channel message has been answered and delivered.
      const deadline = Date.now() + 60_000;
      while (!(zaloUsers.every((u) => fake.sentTo(u).length > 0) && smsSenders.every((p) => gw.deliveredTo(p).length > 0))) {
        if (Date.now() > deadline) throw new Error('channel replies not delivered in time');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await exited(s.child)).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(path.join(dataDir, 'dvc.sqlite'))).toBe(true);
    expect(findSecrets(dataDir)).toEqual([]);
  }, 180_000);

  it('after the same burst and a kill -9 while messages are still waiting', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const s = await startServer(dataDir);
    try {
      await sendBurst(s.url, 'killed');
    } finally {
      s.child.kill('SIGKILL');
    }
    expect((await exited(s.child)).signal).toBe('SIGKILL');
    // The WAL is still there (no checkpoint on the way out), with the inbox rows in it.
    expect(fs.existsSync(path.join(dataDir, 'dvc.sqlite-wal'))).toBe(true);
    expect(findSecrets(dataDir)).toEqual([]);
  }, 180_000);
});

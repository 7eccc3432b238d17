import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../server/config.js';

/**
 * Citizens' /api/chat latency while 20 clients send bad staff logins as fast as they can.
 * Starts the real server on a throw-away data folder, measures chat alone, then chat during the
 * login flood (each client changes its forwarded address every 10 attempts and never repeats a
 * username, so neither backoff saves the server from hashing). Prints figures; asserts nothing.
 * Usage: npx tsx scripts/login-flood-bench.ts   (BENCH_SECONDS, BENCH_LOGIN_CLIENTS)
 */
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const LOGIN_CLIENTS = Number(process.env.BENCH_LOGIN_CLIENTS ?? 20);
const CHAT_CONNECTIONS = 4;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function chatRun(url: string, seconds: number) {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/api/chat`,
        method: 'POST',
        connections: CHAT_CONNECTIONS,
        duration: seconds,
        headers: { 'content-type': 'application/json', 'x-test': '1' },
        body: JSON.stringify({ message: 'Đăng ký khai sinh trực tuyến cần giấy tờ gì?' }),
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1) : 'n/a');
  return { requests: result.requests.total, non2xx: result.non2xx + result.errors, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-login-bench-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', TRUST_PROXY: '127.0.0.1', RATE_LIMIT_ADDRESS_MAX: '1000000', RATE_LIMIT_MAX: '100000', SEED_PROCEDURES_FILE: 'none' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(`${url}/readyz`)).ok) break;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await chatRun(url, 3); // warm-up
    const alone = await chatRun(url, DURATION);

    let stop = false;
    const counts = { logins: 0, s401: 0, s429: 0, other: 0 };
    const flood = Array.from({ length: LOGIN_CLIENTS }, async (_, c) => {
      for (let n = 0; !stop; n++) {
        const res = await fetch(`${url}/staff/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${c}.${Math.floor(n / 10) % 250}.${(Math.floor(n / 2500) % 250) + 1}` },
          body: JSON.stringify({ username: `guess-${c}-${n}`, password: 'wrong password attempt' }),
        });
        await res.arrayBuffer();
        counts.logins++;
        if (res.status === 401) counts.s401++;
        else if (res.status === 429) counts.s429++;
        else counts.other++;
      }
    });
    const during = await chatRun(url, DURATION);
    stop = true;
    await Promise.all(flood);
    const row = (name: string, r: Awaited<ReturnType<typeof chatRun>>) =>
      console.log(`${name.padEnd(28)} ${String(r.requests).padStart(6)} req  non-2xx ${r.non2xx}  p50 ${r.p50} ms  p95 ${r.p95} ms  p99 ${r.p99} ms  max ${r.max} ms`);
    console.log(`/api/chat, ${CHAT_CONNECTIONS} connections, ${DURATION} s each, ${os.availableParallelism()} cores`);
    row('chat alone', alone);
    row(`chat + ${LOGIN_CLIENTS} bad-login clients`, during);
    console.log(`bad logins during the run: ${counts.logins} (${(counts.logins / DURATION).toFixed(1)}/s): 401 ${counts.s401}, 429 ${counts.s429}, other ${counts.other}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

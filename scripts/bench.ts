import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../server/config.js';
import { readEvalSet } from '../eval/eval-set.js';
import { listOwnSets } from '../eval/set-files.js';

/**
 * Starts the real server as `npm start` does (compiled, default embedder, throw-away data folder) and drives
 * POST /api/chat with autocannon at several connection counts. Prints figures; asserts nothing.
 */
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,4,16,32').split(',').map(Number);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
// The same default as `npm start`: one server process.
const WORKERS = process.env.BENCH_WORKERS ?? '1';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function dirSize(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirSize(p) : fs.statSync(p).size;
  }
  return total;
}

function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(entry));
    } catch {
      /* process gone */
    }
  }
  return kids;
}

/** RSS summed over the server process and its worker processes. */
function rssOf(pid: number): { rss: number; hwm: number } {
  let rss = 0;
  let hwm = 0;
  for (const p of [pid, ...childrenOf(pid)]) {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
      rss += kb('VmRSS');
      hwm += kb('VmHWM');
    } catch {
      /* process gone */
    }
  }
  return { rss, hwm };
}

function questions(): string[] {
  const sets = [path.resolve(PROJECT_ROOT, '..', 'shared', 'eval', 'dev-questions.jsonl'), ...listOwnSets(path.join(PROJECT_ROOT, 'eval', 'sets')).map((s) => s.file)];
  return sets.filter((f) => fs.existsSync(f)).flatMap((f) => readEvalSet(f).map((i) => i.q));
}

async function waitReady(url: string, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return await res.json();
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not ready after ${timeoutMs} ms`);
}

/** Drives POST /api/chat for `seconds` with `connections` keep-alive connections, cycling through the questions. */
async function load(url: string, bodies: string[], connections: number, seconds: number): Promise<{ total: number; errors: number; latencies: number[] }> {
  let i = 0;
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/api/chat`,
        connections,
        duration: seconds,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test': '1' },
        requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  return { total: result.requests.total, errors: result.errors + result.non2xx + result.timeouts, latencies };
}

/** CPU seconds (user + system) used so far by the server process and its worker processes. */
function cpuSecondsOf(pid: number): number {
  let ticks = 0;
  for (const p of [pid, ...childrenOf(pid)]) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* process gone */
    }
  }
  return ticks / 100;
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-bench-'));
  const port = await freePort();
  const env = { ...process.env, ...(process.env.BENCH_NODE_OPTIONS !== undefined ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}), DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '100000', RATE_LIMIT_WINDOW_MS: '1000', WORKERS };
  const buildStart = performance.now();
  const ingest = spawn(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let ingestOut = '';
  ingest.stdout.on('data', (d) => (ingestOut += d));
  const code = await new Promise<number>((r) => ingest.on('exit', (c) => r(c ?? 1)));
  const buildMs = performance.now() - buildStart;
  if (code !== 0) throw new Error(`ingest failed (${code}): ${ingestOut}`);
  const indexBytes = dirSize(path.join(dataDir, 'index'));

  // The server runs as `npm start` runs it: compiled first, then plain node.
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('npm run build failed');
  const server = spawn(process.execPath, ['dist/server/main.js'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const bodies = questions().map((q) => JSON.stringify({ message: q, channel: 'api' }));
  const rows: string[] = [];
  let peak = 0;
  try {
    const ready = await waitReady(url, 60_000);
    const idle = rssOf(server.pid!);
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid!).rss)), 100);
    // Warm-up (not reported): the first seconds of a fresh process measure the JIT compiler, not the server.
    await load(url, bodies, 16, WARMUP);
    for (const connections of CONNECTIONS) {
      const cpuBefore = cpuSecondsOf(server.pid!);
      const run = await load(url, bodies, connections, DURATION);
      const cpuMsPerRequest = ((cpuSecondsOf(server.pid!) - cpuBefore) * 1000) / Math.max(1, run.total);
      const q = (p: number) => (run.latencies.length ? run.latencies[Math.min(run.latencies.length - 1, Math.floor(p * run.latencies.length))] : NaN).toFixed(1);
      rows.push(
        `${String(connections).padStart(5)}  ${(run.total / DURATION).toFixed(0).padStart(7)}  ${q(0.5).padStart(7)}  ${q(0.95).padStart(7)}  ${q(0.99).padStart(7)}  ${String(run.errors).padStart(6)}  ${String(run.total).padStart(7)}  ${cpuMsPerRequest.toFixed(2).padStart(9)}`,
      );
    }
    clearInterval(sampler);
    const hwm = rssOf(server.pid!).hwm;
    console.log(
      [
        `DVC Assistant benchmark — ${new Date().toISOString()}`,
        `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
        `index: ${JSON.stringify(ready)}`,
        `index build (ingest command, from scratch incl. start-up): ${buildMs.toFixed(0)} ms; ${ingestOut.trim()}`,
        `index size on disk: ${(indexBytes / 2 ** 20).toFixed(2)} MiB`,
        `question mix: ${bodies.length} questions (dev set + eval/sets), ${DURATION} s per run; server processes: WORKERS=${WORKERS}, SEARCH_THREAD=${process.env.SEARCH_THREAD ?? 'auto'}${process.env.BENCH_NODE_OPTIONS ? `, NODE_OPTIONS=${process.env.BENCH_NODE_OPTIONS}` : ''}`,
        '',
        'conns    req/s   p50 ms   p95 ms   p99 ms  errors    total  cpu ms/req',
        ...rows,
        '',
        `server RSS (all server processes together): idle ${(idle.rss / 2 ** 20).toFixed(0)} MiB, peak sampled ${(peak / 2 ** 20).toFixed(0)} MiB, sum of high-water marks ${(hwm / 2 ** 20).toFixed(0)} MiB`,
      ].join('\n'),
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.on('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../server/config.js';
import { readEvalSet } from '../eval/eval-set.js';
import { listOwnSets } from '../eval/set-files.js';
import { runMain } from './run-main.js';

/**
 * Starts the real server as `npm start` does (compiled, default embedder, throw-away data folder) and drives
 * POST /api/chat with autocannon at several connection counts, for the sample catalogue and, with
 * --catalogue FILE, for a second one side by side. Prints figures; asserts nothing.
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

/** Peak RSS (VmHWM) of a child process, read until it exits. */
function watchPeak(pid: number): { stop(): number } {
  let peak = 0;
  const read = () => (peak = Math.max(peak, rssOf(pid).hwm));
  const timer = setInterval(read, 50);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

async function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; out: string; peakRss: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const peak = watchPeak(child.pid!);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
  const peakRss = peak.stop();
  if (code !== 0) throw new Error(`${args.join(' ')} failed (${code}): ${out}`);
  return { ms: performance.now() - started, out: out.trim(), peakRss };
}

function startServer(env: NodeJS.ProcessEnv) {
  return spawn(process.execPath, ['dist/server/main.js'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function stopServer(server: ReturnType<typeof startServer>): Promise<void> {
  if (server.exitCode !== null) return;
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
}

async function firstAnswerMs(url: string, question: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test': '1' }, body: JSON.stringify({ message: question, channel: 'api' }) });
  await res.json();
  if (!res.ok) throw new Error(`first answer failed: HTTP ${res.status}`);
  return performance.now() - started;
}

interface CatalogueFigures {
  label: string;
  records: string;
  importMs: number;
  buildMs: number;
  buildOut: string;
  buildPeakRss: number;
  indexBytes: number;
  readyMs: number;
  firstAnswerMs: number;
  readyBuildingMs: number;
  firstAnswerAfterBuildMs: number;
  ready: unknown;
  rows: string[];
  p95At16: number | null;
  idleRss: number;
  peakRss: number;
  hwm: number;
}

/** One catalogue, measured the way an operator meets it: import, build, start, first answer, load; then a start that must build. */
async function measure(label: string, catalogue: string, bodies: string[]): Promise<CatalogueFigures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-bench-'));
  const coldDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-bench-cold-'));
  const port = await freePort();
  const base = { ...process.env, ...(process.env.BENCH_NODE_OPTIONS !== undefined ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}), PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '100000', RATE_LIMIT_WINDOW_MS: '1000', WORKERS };
  const env = { ...base, DATA_DIR: dataDir, SEED_PROCEDURES_FILE: 'none' };
  const url = `http://127.0.0.1:${port}`;
  try {
    const imported = await runScript(['scripts/import-procedures.ts', catalogue, '--date', '2021'], env);
    const built = await runScript(['scripts/ingest.ts'], env);
    const indexBytes = dirSize(path.join(dataDir, 'index'));

    const startedAt = performance.now();
    const server = startServer(env);
    const rows: string[] = [];
    let peak = 0;
    let p95At16: number | null = null;
    let ready: unknown;
    let readyMs = 0;
    let first = 0;
    let idle = { rss: 0, hwm: 0 };
    let hwm = 0;
    try {
      ready = await waitReady(url, 120_000);
      readyMs = performance.now() - startedAt;
      first = await firstAnswerMs(url, bodies.length ? JSON.parse(bodies[0]).message : 'đăng ký thường trú');
      idle = rssOf(server.pid!);
      const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid!).rss)), 100);
      // Warm-up (not reported): the first seconds of a fresh process measure the JIT compiler, not the server.
      await load(url, bodies, 16, WARMUP);
      for (const connections of CONNECTIONS) {
        const cpuBefore = cpuSecondsOf(server.pid!);
        const run = await load(url, bodies, connections, DURATION);
        const cpuMsPerRequest = ((cpuSecondsOf(server.pid!) - cpuBefore) * 1000) / Math.max(1, run.total);
        const at = (p: number) => (run.latencies.length ? run.latencies[Math.min(run.latencies.length - 1, Math.floor(p * run.latencies.length))] : NaN);
        const q = (p: number) => at(p).toFixed(1);
        if (connections === 16) p95At16 = at(0.95);
        rows.push(
          `${String(connections).padStart(5)}  ${(run.total / DURATION).toFixed(0).padStart(7)}  ${q(0.5).padStart(7)}  ${q(0.95).padStart(7)}  ${q(0.99).padStart(7)}  ${String(run.errors).padStart(6)}  ${String(run.total).padStart(7)}  ${cpuMsPerRequest.toFixed(2).padStart(9)}`,
        );
      }
      clearInterval(sampler);
      hwm = rssOf(server.pid!).hwm;
    } finally {
      await stopServer(server);
    }

    // A first start with no index: the server imports the catalogue and builds before it is ready.
    const coldStart = performance.now();
    const cold = startServer({ ...base, DATA_DIR: coldDir, SEED_PROCEDURES_FILE: catalogue });
    let readyBuildingMs = 0;
    let firstAfterBuild = 0;
    try {
      await waitReady(url, 300_000);
      readyBuildingMs = performance.now() - coldStart;
      firstAfterBuild = await firstAnswerMs(url, bodies.length ? JSON.parse(bodies[1 % bodies.length]).message : 'khai sinh');
    } finally {
      await stopServer(cold);
    }
    return {
      label,
      records: imported.out.split('\n')[0] ?? '',
      importMs: imported.ms,
      buildMs: built.ms,
      buildOut: built.out,
      buildPeakRss: built.peakRss,
      indexBytes,
      readyMs,
      firstAnswerMs: first,
      readyBuildingMs,
      firstAnswerAfterBuildMs: firstAfterBuild,
      ready,
      rows,
      p95At16,
      idleRss: idle.rss,
      peakRss: peak,
      hwm,
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(coldDir, { recursive: true, force: true });
  }
}

const USAGE = `Usage: npm run bench [-- --catalogue FILE]
  Measures the sample catalogue, and with --catalogue also FILE (for example one made by
  "npm run make:national-catalogue"), side by side: import time, index build time and peak RSS,
  index size on disk, time to ready (with an index, and when the server must build it), time to
  the first answer after ready, and load figures at several connection counts.
  Environment: BENCH_CONNECTIONS (1,4,16,32), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (5), BENCH_WORKERS (1), BENCH_NODE_OPTIONS.`;

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const at = args.indexOf('--catalogue');
  const large = at >= 0 ? args[at + 1] : undefined;
  const unknown = args.filter((a, i) => a !== '--catalogue' && !(at >= 0 && i === at + 1));
  if (unknown.length || (at >= 0 && !large)) {
    console.error(`${unknown.length ? `Unknown argument(s): ${unknown.join(' ')}\n` : ''}${USAGE}`);
    return 2;
  }
  if (large && !fs.existsSync(large)) {
    console.error(`No such catalogue: ${large}`);
    return 2;
  }
  const sample = path.join(PROJECT_ROOT, 'knowledge', 'procedures', 'dvc-procedures-2021.json');
  if (!fs.existsSync(sample)) {
    console.error(`The sample catalogue is not there: ${sample}`);
    return 2;
  }
  // The server runs as `npm start` runs it: compiled first, then plain node.
  const compiled = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (compiled.status !== 0) throw new Error('npm run build failed');
  const bodies = questions().map((q) => JSON.stringify({ message: q, channel: 'api' }));
  const results: CatalogueFigures[] = [await measure(path.basename(sample), sample, bodies)];
  if (large) results.push(await measure(path.basename(large), path.resolve(large), bodies));

  const lines = [
    `DVC Assistant benchmark — ${new Date().toISOString()}`,
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    `question mix: ${bodies.length} questions (dev set + eval/sets), ${DURATION} s per run; server processes: WORKERS=${WORKERS}, SEARCH_THREAD=${process.env.SEARCH_THREAD ?? 'auto'}${process.env.BENCH_NODE_OPTIONS ? `, NODE_OPTIONS=${process.env.BENCH_NODE_OPTIONS}` : ''}`,
  ];
  for (const r of results) {
    lines.push(
      '',
      `== ${r.label}: ${r.records}`,
      `index: ${JSON.stringify(r.ready)}`,
      `build: ${r.buildOut.split('\n').pop()}`,
      '',
      'conns    req/s   p50 ms   p95 ms   p99 ms  errors    total  cpu ms/req',
      ...r.rows,
      '',
      `server RSS (all server processes together): idle ${mib(r.idleRss)}, peak sampled ${mib(r.peakRss)}, sum of high-water marks ${mib(r.hwm)}`,
    );
  }
  const col = (f: (r: CatalogueFigures) => string) => results.map((r) => f(r).padStart(22)).join('');
  lines.push(
    '',
    `Side by side${' '.repeat(30)}${col((r) => r.label.slice(0, 21))}`,
    `import (command, wall)                    ${col((r) => sec(r.importMs))}`,
    `index build (ingest command, wall)        ${col((r) => sec(r.buildMs))}`,
    `index build peak RSS                      ${col((r) => mib(r.buildPeakRss))}`,
    `index on disk                             ${col((r) => mib(r.indexBytes))}`,
    `time to ready, index present              ${col((r) => sec(r.readyMs))}`,
    `first answer after ready                  ${col((r) => `${r.firstAnswerMs.toFixed(0)} ms`)}`,
    `time to ready, server builds the index    ${col((r) => sec(r.readyBuildingMs))}`,
    `first answer after that                   ${col((r) => `${r.firstAnswerAfterBuildMs.toFixed(0)} ms`)}`,
    `/api/chat p95 at 16 connections           ${col((r) => (r.p95At16 === null ? 'n/a' : `${r.p95At16.toFixed(1)} ms`))}`,
    `server RSS peak (sampled)                 ${col((r) => mib(r.peakRss))}`,
  );
  console.log(lines.join('\n'));
  return 0;
}

runMain(main);

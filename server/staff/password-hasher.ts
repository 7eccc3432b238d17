import { Worker } from 'node:worker_threads';

/**
 * scrypt on one dedicated thread that runs at the lowest CPU priority (nice 19).
 *
 * Why: on libuv's pool a flood of bad sign-ins kept one of the two cores busy with scrypt at the
 * same priority as the event loop and the search thread, and citizens' chat p95 rose from ~130 ms
 * to 377 ms (docs/benchmarks.md). Linux keeps a nice value per thread, so lowering this thread's
 * leaves the serving threads theirs: when the machine is busy the scheduler gives the hashing
 * thread the CPU the citizens do not need (about 1.5 % against one busy thread), and when it is
 * idle a hash still takes its ~50 ms. One thread also means one hash at a time.
 * A sign-in during a flood is what waits — the attacker's cost, not the citizens'.
 */
export interface ScryptJob {
  password: string;
  salt: Buffer;
  keyLength: number;
  N: number;
  r: number;
  p: number;
  maxmem: number;
}

export interface PasswordHasher {
  scrypt(job: ScryptJob): Promise<Buffer>;
  /** How many scrypt computations were started: a refused sign-in must not add to it. */
  readonly stats: { computations: number };
  /** The hashing thread's nice value as the kernel reports it (null where /proc is not available). */
  threadNice(): Promise<number | null>;
  close(): Promise<void>;
}

export const HASHING_THREAD_NICE = 19;

// Plain CommonJS evaluated in the worker, so it runs the same from TypeScript sources and dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const fs = require('node:fs');
// Only this thread: on Linux setpriority(PRIO_PROCESS, 0) applies to the calling thread.
try { require('node:os').setPriority(0, workerData.nice); } catch { /* not permitted: keeps the default */ }
const niceNow = () => {
  try { return Number(fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16]); } catch { return null; }
};
parentPort.on('message', (m) => {
  if (m.type === 'nice') return parentPort.postMessage({ id: m.id, nice: niceNow() });
  try {
    const key = crypto.scryptSync(m.password, Buffer.from(m.salt), m.keyLength, { N: m.N, r: m.r, p: m.p, maxmem: m.maxmem });
    parentPort.postMessage({ id: m.id, key });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String((err && err.message) || err) });
  }
});
`;

type Reply = { id: number; key?: Uint8Array; error?: string; nice?: number | null };

/** The thread starts on first use and does not keep the process alive while idle. */
export function createPasswordHasher(): PasswordHasher {
  let worker: Worker | null = null;
  let nextId = 0;
  const pending = new Map<number, { resolve(r: Reply): void; reject(e: Error): void }>();
  const stats = { computations: 0 };

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = null;
  };
  const thread = (): Worker => {
    if (worker) return worker;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { nice: HASHING_THREAD_NICE }, resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 } });
    w.unref();
    w.on('message', (m: Reply) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      // Keeps the process alive only while a hash is awaited (a CLI's `create` must not exit early).
      if (pending.size === 0) w.unref();
      p?.resolve(m);
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => failAll(new Error(`password hashing thread exited (${code})`)));
    worker = w;
    return w;
  };
  const ask = (message: Record<string, unknown>): Promise<Reply> => {
    const w = thread();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ ...message, id });
    });
  };

  return {
    stats,
    async scrypt(job) {
      stats.computations++;
      const r = await ask({ type: 'scrypt', ...job, salt: new Uint8Array(job.salt) });
      if (r.error || !r.key) throw new Error(r.error ?? 'no key');
      return Buffer.from(r.key);
    },
    async threadNice() {
      return (await ask({ type: 'nice' })).nice ?? null;
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Db } from './database.js';

/**
 * Copies the write-ahead log back into the database file from a worker thread.
 *
 * Why: with SQLite's automatic checkpoints, every ~1,000 pages of WAL the request that happens to
 * commit pays for copying them and for an fsync — measured at more than half of the cost of
 * recording an answer, and a latency spike for every request queued behind it. A PASSIVE
 * checkpoint on a second connection never blocks readers or writers, so the serving thread only
 * appends to the WAL. If the worker fails, the connection's automatic checkpoints come back, so
 * the WAL can never grow without bound; while the worker runs they stay on at a high threshold
 * as a safety net in case it falls behind.
 */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** Resolves when the worker has opened the database (rejects if it could not). */
  ready: Promise<void>;
  /** Runs one PASSIVE checkpoint now (tests, shutdown). */
  checkpointNow(): Promise<CheckpointResult>;
  stop(): Promise<void>;
}

export const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;
/** Pages (4 KiB) of WAL after which the serving connection checkpoints itself anyway. */
export const SAFETY_NET_AUTOCHECKPOINT = 16384;

// Plain CommonJS evaluated in the worker, so it runs the same from TypeScript sources and dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let db;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, { fileMustExist: true });
} catch (err) {
  parentPort.postMessage({ type: 'error', message: String(err && err.message || err) });
  process.exit(1);
}
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)')[0];
const timer = setInterval(() => {
  try { checkpoint(); } catch (err) { parentPort.postMessage({ type: 'error', message: String(err && err.message || err) }); }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m.type === 'checkpoint') {
    try { parentPort.postMessage({ type: 'result', id: m.id, result: checkpoint() }); }
    catch (err) { parentPort.postMessage({ type: 'result', id: m.id, error: String(err && err.message || err) }); }
  } else if (m.type === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
parentPort.postMessage({ type: 'ready' });
`;

export function startCheckpointer(db: Db, opts: { intervalMs: number; log: Logger }): Checkpointer {
  if (db.memory) {
    const ready = Promise.reject(new Error('an in-memory database has no write-ahead log to checkpoint'));
    ready.catch(() => undefined);
    return { ready, checkpointNow: () => Promise.reject(new Error('checkpointer is not running')), stop: async () => undefined };
  }
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  // It only runs one pragma: a tiny heap is plenty.
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: db.name, intervalMs: opts.intervalMs }, resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 } });
  worker.unref();
  const pending = new Map<number, { resolve(r: CheckpointResult): void; reject(e: Error): void }>();
  let nextId = 0;
  let alive = true;
  let stopping = false;
  const fallBack = (reason: string) => {
    if (!alive) return;
    alive = false;
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    for (const p of pending.values()) p.reject(new Error(`checkpointer stopped: ${reason}`));
    pending.clear();
    if (!stopping) opts.log.warn({ reason }, 'background checkpoints stopped; SQLite checkpoints on commit again');
  };
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: { type: string; id?: number; result?: CheckpointResult; error?: string; message?: string }) => {
      if (m.type === 'ready') {
        if (db.open) db.pragma(`wal_autocheckpoint = ${SAFETY_NET_AUTOCHECKPOINT}`);
        resolve();
      } else if (m.type === 'result' && m.id !== undefined) {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error) p?.reject(new Error(m.error));
        else if (m.result) p?.resolve(m.result);
      } else if (m.type === 'error') {
        reject(new Error(m.message));
        opts.log.warn({ problem: m.message }, 'background checkpoint failed');
      }
    });
    worker.on('error', (err) => {
      reject(err);
      fallBack(err.message);
    });
    worker.on('exit', (code) => {
      reject(new Error(`checkpoint worker exited (${code})`));
      fallBack(`worker exited (${code})`);
    });
  });
  // A failed start is reported through `ready` and the log; it must not crash the server.
  ready.catch(() => undefined);
  return {
    ready,
    checkpointNow() {
      if (!alive) return Promise.reject(new Error('checkpointer is not running'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'checkpoint', id });
      });
    },
    async stop() {
      if (!alive) return;
      stopping = true;
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage({ type: 'stop' });
      await exited;
    },
  };
}

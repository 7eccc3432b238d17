import { createRequire } from 'node:module';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Logger } from 'pino';
import { LEXICAL_SEARCH_SQL, VECTOR_SEARCH_EF, type ChunkHit, type KnowledgeIndex } from '../knowledge/knowledge-index.js';

export interface ChunkSearchRequest {
  /** FTS5 query expression ('' = no lexical search). */
  match: string;
  lexicalLimit: number;
  vector: Float32Array;
  vectorLimit: number;
}

export interface ChunkSearchResult {
  lexical: ChunkHit[];
  vector: ChunkHit[];
  /** Where the searches ran ('thread', or 'inline' on the event loop). */
  ran: 'thread' | 'inline';
}

/** The two searches of hybrid retrieval (BM25 over FTS5, hnswlib), wherever they run. */
export interface ChunkSearch {
  search(index: KnowledgeIndex, req: ChunkSearchRequest): Promise<ChunkSearchResult>;
  close(): Promise<void>;
}

export function searchInline(index: KnowledgeIndex, req: ChunkSearchRequest): ChunkSearchResult {
  return { lexical: req.match ? index.lexicalSearch(req.match, req.lexicalLimit) : [], vector: index.vectorSearch(req.vector, req.vectorLimit), ran: 'inline' };
}

export const inlineChunkSearch: ChunkSearch = {
  search: async (index, req) => searchInline(index, req),
  close: async () => undefined,
};

// Plain CommonJS evaluated in the worker, so it runs the same from TypeScript sources and dist/.
// It opens each snapshot it is asked about (read-only) and keeps the two newest open, so an
// index swap during traffic serves both versions until the old one is no longer asked for.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqliteDriver);
const hnswlib = require(workerData.hnswlib);
const open = new Map();
function snapshot(m) {
  let s = open.get(m.version);
  if (s) return s;
  const db = new Database(m.files.database, { readonly: true, fileMustExist: true });
  try {
    const hnsw = new hnswlib.HierarchicalNSW('cosine', m.dimension);
    hnsw.readIndexSync(m.files.vectors);
    hnsw.setEf(workerData.ef);
    s = { db, hnsw, stmt: db.prepare(workerData.sql).raw(true) };
  } catch (err) {
    db.close();
    throw err;
  }
  open.set(m.version, s);
  if (open.size > 2) {
    const [oldest, old] = open.entries().next().value;
    old.db.close();
    open.delete(oldest);
  }
  return s;
}
parentPort.on('message', (m) => {
  try {
    const s = snapshot(m);
    const lexical = m.match ? s.stmt.all(m.match, m.lexicalLimit) : [];
    const n = Math.min(m.vectorLimit, s.hnsw.getCurrentCount());
    const res = n > 0 ? s.hnsw.searchKnn(Array.from(m.vector), n) : { neighbors: [], distances: [] };
    parentPort.postMessage({ id: m.id, lexical, neighbors: res.neighbors, distances: res.distances });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String((err && err.message) || err) });
  }
});
`;

/**
 * The thread holds two open snapshots and the results in flight: a few MB. Small heap limits
 * keep its share of the server's memory small (measured in docs/benchmarks.md); if it ever ran
 * out, it would stop and the searches would run inline.
 */
export const SEARCH_THREAD_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 48 };

interface Pending {
  index: KnowledgeIndex;
  req: ChunkSearchRequest;
  resolve(r: ChunkSearchResult): void;
  reject(e: unknown): void;
}

/**
 * Runs the searches on a worker thread, so the event loop composes other answers meanwhile: the
 * searches are a third of an answer's CPU time and a 2-core machine otherwise leaves one core
 * mostly idle (docs/benchmarks.md). The documents, coverage measures and composition stay on the
 * event loop. If the thread fails, searches run inline (and the thread is started again after
 * `restartAfterMs`), so a question is never lost to it.
 */
export function createThreadChunkSearch(opts: { log: Logger; restartAfterMs?: number; resourceLimits?: ResourceLimits }): ChunkSearch {
  const require = createRequire(import.meta.url);
  const workerData = { sqliteDriver: require.resolve('better-sqlite3'), hnswlib: require.resolve('hnswlib-node'), sql: LEXICAL_SEARCH_SQL, ef: VECTOR_SEARCH_EF };
  const restartAfterMs = opts.restartAfterMs ?? 5000;
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let worker: Worker | null = null;
  let failedAt = -Infinity;
  let closed = false;

  const settleInline = (p: Pending) => {
    try {
      p.resolve(searchInline(p.index, p.req));
    } catch (err) {
      p.reject(err);
    }
  };

  const start = (): Worker | null => {
    if (worker) return worker;
    if (closed || performance.now() - failedAt < restartAfterMs) return null;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData, resourceLimits: opts.resourceLimits ?? SEARCH_THREAD_LIMITS });
    w.unref();
    w.on('message', (m: { id: number; lexical?: Array<[number, number]>; neighbors?: number[]; distances?: number[]; error?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error !== undefined) {
        opts.log.warn({ problem: m.error, index: p.index.version }, 'search thread could not search; searching inline');
        settleInline(p);
        return;
      }
      try {
        p.resolve({ lexical: p.index.lexicalHits(m.lexical ?? []), vector: p.index.vectorHits(m.neighbors ?? [], m.distances ?? []), ran: 'thread' });
      } catch (err) {
        p.reject(err);
      }
    });
    const fail = (reason: string) => {
      if (worker !== w) return;
      worker = null;
      if (closed) return;
      failedAt = performance.now();
      opts.log.error({ reason, pending: pending.size }, 'search thread stopped; searching inline until it restarts');
      const stranded = [...pending.values()];
      pending.clear();
      for (const p of stranded) settleInline(p);
    };
    w.on('error', (err) => fail(err.message));
    w.on('exit', (code) => fail(`exited (${code})`));
    worker = w;
    return w;
  };

  return {
    async search(index, req) {
      index.checkDimension(req.vector);
      const w = start();
      if (!w) return searchInline(index, req);
      const id = nextId++;
      return new Promise<ChunkSearchResult>((resolve, reject) => {
        pending.set(id, { index, req, resolve, reject });
        w.postMessage({ id, version: index.version, files: index.files, dimension: index.manifest.dimension, match: req.match, lexicalLimit: req.lexicalLimit, vector: req.vector, vectorLimit: req.vectorLimit });
      });
    },
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      const stranded = [...pending.values()];
      pending.clear();
      for (const p of stranded) settleInline(p);
      if (w) await w.terminate();
    },
  };
}

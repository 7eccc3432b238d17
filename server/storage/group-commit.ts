import type { Db } from '../db/database.js';

/**
 * Group commit: the writes of requests answered in the same turn of the event loop share one
 * SQLite transaction, and each request's promise settles only once its writes are committed.
 *
 * Why: committing was the largest single cost of an answer under load (every commit appends the
 * touched pages to the WAL again — the answers table, its indexes, the review search index);
 * one commit for the 10–16 answers composed together writes most of those pages once. An idle
 * server still commits each answer right away (the batch is flushed with `setImmediate`).
 *
 * A write that fails must not take the others down with it: when a batch fails, each write is
 * retried in a transaction of its own and only the failing one is rejected.
 */
export interface GroupCommit {
  run(write: () => void): Promise<void>;
  /** Transactions committed so far (for tests and the benchmark's explanation). */
  readonly stats: { commits: number; writes: number };
}

interface Pending {
  write: () => void;
  resolve(): void;
  reject(err: unknown): void;
}

export function createGroupCommit(db: Db, opts: { maxBatch?: number } = {}): GroupCommit {
  const maxBatch = opts.maxBatch ?? 64;
  const queue: Pending[] = [];
  let scheduled = false;
  const stats = { commits: 0, writes: 0 };

  const flush = () => {
    scheduled = false;
    const batch = queue.splice(0, maxBatch);
    if (queue.length) schedule();
    try {
      db.transaction(() => {
        for (const p of batch) p.write();
      })();
      stats.commits++;
      stats.writes += batch.length;
      for (const p of batch) p.resolve();
    } catch {
      for (const p of batch) {
        try {
          db.transaction(p.write)();
          stats.commits++;
          stats.writes++;
          p.resolve();
        } catch (err) {
          p.reject(err);
        }
      }
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  return {
    stats,
    run(write) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ write, resolve, reject });
        schedule();
      });
    },
  };
}

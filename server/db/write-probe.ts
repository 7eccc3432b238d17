import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './database.js';

/**
 * Below this much free space in the database's folder the server is not ready: SQLite needs room
 * for the write-ahead log (capped at 4 MiB after checkpoints, see database.ts) plus the pages of a
 * batch of answers, and a commit that finds the disk full fails every chat of that batch.
 */
export const MIN_FREE_BYTES = 16 * 1024 * 1024;

export type WriteProbeResult = { ok: true } | { ok: false; reason: string };

/**
 * Whether the database can take a write right now: one committed row (a read-only file, a
 * read-only folder for the WAL, a full disk all fail here the way an answer's commit would)
 * and the free space left where it lives.
 */
export function createWriteProbe(db: Db, databasePath: string, opts: { minFreeBytes?: number } = {}) {
  const minFree = opts.minFreeBytes ?? MIN_FREE_BYTES;
  const write = db.prepare('INSERT INTO health_probe (id, at) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET at = excluded.at');
  return {
    check(): WriteProbeResult {
      try {
        write.run(new Date().toISOString());
      } catch (err) {
        const e = err as { code?: string; message: string };
        return { ok: false, reason: `database not writable (${e.code ?? 'error'}: ${e.message})` };
      }
      if (databasePath !== ':memory:') {
        try {
          const s = fs.statfsSync(path.dirname(databasePath));
          const free = s.bavail * s.bsize;
          if (free < minFree) return { ok: false, reason: `only ${Math.floor(free / 1024)} KiB free beside the database (need ${Math.floor(minFree / 1024)} KiB)` };
        } catch (err) {
          return { ok: false, reason: `cannot read free space beside the database: ${(err as Error).message}` };
        }
      }
      return { ok: true };
    },
  };
}

export type WriteProbe = ReturnType<typeof createWriteProbe>;

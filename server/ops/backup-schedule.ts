import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { backupDatabase, pruneBackups, scheduledBackupName } from './backup.js';

export interface BackupSchedule {
  /** Runs one backup now (also what the timer calls); resolves with the file written or null on failure. */
  runOnce(): Promise<string | null>;
  stop(): void;
}

/**
 * Scheduled backups of a serving database: every `everyHours`, a verified copy into `dir`, then the
 * oldest beyond `keep` are deleted. A failure is logged and retried at the next period, never fatal.
 */
export function startBackupSchedule(opts: {
  databasePath: string;
  dir: string;
  everyHours: number;
  keep: number;
  log: Logger;
  now?: () => Date;
}): BackupSchedule {
  const now = opts.now ?? (() => new Date());
  let running: Promise<string | null> | null = null;
  const runOnce = () => {
    // One at a time: a slow disk must not pile up overlapping backups.
    running ??= (async () => {
      try {
        fs.mkdirSync(opts.dir, { recursive: true });
        const result = await backupDatabase(opts.databasePath, path.join(opts.dir, scheduledBackupName(now())));
        const removed = pruneBackups(opts.dir, opts.keep);
        opts.log.info({ file: result.file, bytes: result.bytes, ms: Math.round(result.ms), removed: removed.length }, 'scheduled backup written');
        return result.file;
      } catch (err) {
        opts.log.error({ err: { message: (err as Error).message } }, 'scheduled backup failed');
        return null;
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void runOnce(), opts.everyHours * 3_600_000);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runMigrations } from './migrate.js';

export type Db = Database.Database;

export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Copies the WAL into the database and empties it, then closes: after a clean shutdown no old
 * page image is left in a `-wal` file (other connections may still hold it open, so SQLite
 * would not delete it itself).
 */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  try {
    if (!db.memory) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // Busy (another process is writing): its own close will truncate.
  }
  db.close();
}

/** Opens (creating if needed) the application database and brings its schema up to date. */
export function openDatabase(file: string, opts: { migrationsDir?: string } = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // WAL + NORMAL is durable across process crashes (only an OS crash can lose the last commit).
  db.pragma('synchronous = NORMAL');
  // Deleted and overwritten content is zeroed rather than left in free pages, and the WAL is cut
  // back after checkpoints instead of keeping up to tens of MB of old page images.
  db.pragma('secure_delete = ON');
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  runMigrations(db, opts.migrationsDir);
  return db;
}

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { readMigrations } from '../db/migrate.js';

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
  schemaVersion: number;
}

export class BackupError extends Error {}

/**
 * Pages per step of SQLite's online backup: all of them in one step. In WAL mode that step is a
 * read transaction, so the server keeps writing meanwhile; with small steps, every write from
 * another connection restarts the backup, which then never finishes under steady load (measured:
 * scripts/bench-backup.ts did not finish in 8 minutes with a write every 2 ms).
 */
const PAGES_PER_STEP = 0x7fffffff;

function schemaVersionOf(db: Database.Database): number {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) throw new BackupError('not a DVC Assistant database (no schema_migrations table)');
  return (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
}

/**
 * A consistent copy of the live database through SQLite's online backup API (not a file copy, which
 * could catch a half-written page or miss the write-ahead log). Written to a temporary name, checked,
 * then renamed, so a file with the final name is always a complete, verified backup.
 */
export async function backupDatabase(databasePath: string, destination: string): Promise<BackupResult> {
  if (!fs.existsSync(databasePath)) throw new BackupError(`no database at ${databasePath}`);
  const dest = path.resolve(destination);
  if (fs.existsSync(dest)) throw new BackupError(`${dest} already exists; choose a new file name`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.partial-${process.pid}`;
  const started = performance.now();
  const source = new Database(databasePath, { fileMustExist: true });
  try {
    schemaVersionOf(source);
  } finally {
    source.close();
  }
  try {
    const integrity = await copyOnThread(databasePath, tmp);
    if (integrity !== 'ok') throw new BackupError(`the copy failed SQLite's integrity check: ${integrity}`);
    const schemaVersion = checkSchema(tmp);
    fs.renameSync(tmp, dest);
    return { file: dest, bytes: fs.statSync(dest).size, ms: performance.now() - started, schemaVersion };
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err instanceof BackupError ? err : new BackupError(`backup failed: ${(err as Error).message}`);
  }
}

const SQLITE_DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

// The one-step copy and the integrity check each take seconds on a large database and are
// synchronous inside SQLite: on a worker thread, so a scheduled backup never stalls the server.
// The copy inherits WAL mode; a backup is one self-contained file, so it gets a rollback journal.
const COPY_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
(async () => {
  const src = new Database(workerData.source, { fileMustExist: true });
  src.pragma('busy_timeout = 5000');
  try { await src.backup(workerData.dest, { progress: () => workerData.pages }); } finally { src.close(); }
  const copy = new Database(workerData.dest, { fileMustExist: true });
  copy.pragma('journal_mode = DELETE');
  const integrity = copy.pragma('integrity_check', { simple: true });
  copy.close();
  parentPort.postMessage({ integrity: String(integrity) });
})().catch((err) => parentPort.postMessage({ error: String((err && err.message) || err) }));
`;

function copyOnThread(source: string, dest: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const w = new Worker(COPY_SOURCE, { eval: true, workerData: { driver: SQLITE_DRIVER, source, dest, pages: PAGES_PER_STEP } });
    w.once('message', (m: { integrity?: string; error?: string }) => {
      void w.terminate();
      if (m.error) reject(new BackupError(`backup failed: ${m.error}`));
      else resolve(m.integrity!);
    });
    w.once('error', (err) => reject(new BackupError(`backup failed: ${err.message}`)));
  });
}

function checkSchema(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const version = schemaVersionOf(db);
    const newest = readMigrations().at(-1)?.version ?? 0;
    if (version > newest) {
      throw new BackupError(`${file} is from a newer version of the software (schema ${version}, this one knows up to ${newest}); install that version to restore it`);
    }
    return version;
  } finally {
    db.close();
  }
}

/** Opens a backup read-only and checks it is whole and from a schema this version can read. */
export function verifyBackupFile(file: string): number {
  if (!fs.existsSync(file)) throw new BackupError(`no backup file at ${file}`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BackupError(`${file} is not a SQLite database: ${(err as Error).message}`);
  }
  try {
    let check: string;
    try {
      check = (db.pragma('integrity_check', { simple: true }) as string) ?? '';
    } catch (err) {
      throw new BackupError(`${file} is not a SQLite database: ${(err as Error).message}`);
    }
    if (check !== 'ok') throw new BackupError(`${file} failed SQLite's integrity check: ${check}`);
  } finally {
    db.close();
  }
  return checkSchema(file);
}

/**
 * Restores a backup as the database file of an empty data folder. Refuses to overwrite: restoring
 * over live data is a decision for the operator (move the old folder away first). Migrations run
 * when the server starts, so an older backup is upgraded then; the index is rebuilt from the
 * shipped articles and the restored procedure records.
 */
export async function restoreDatabase(backupFile: string, databasePath: string, indexDir: string): Promise<BackupResult> {
  const started = performance.now();
  const schemaVersion = verifyBackupFile(backupFile);
  const dataDir = path.dirname(databasePath);
  for (const existing of [databasePath, `${databasePath}-wal`, indexDir]) {
    if (fs.existsSync(existing)) throw new BackupError(`${existing} already exists: restore needs an empty data folder (move the old one away first)`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const tmp = `${databasePath}.restoring-${process.pid}`;
  const source = new Database(backupFile, { readonly: true, fileMustExist: true });
  try {
    await source.backup(tmp, { progress: () => PAGES_PER_STEP });
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new BackupError(`restore failed: ${(err as Error).message}`);
  } finally {
    source.close();
  }
  fs.renameSync(tmp, databasePath);
  return { file: databasePath, bytes: fs.statSync(databasePath).size, ms: performance.now() - started, schemaVersion };
}

/** File name of a scheduled backup: sortable UTC time, so the oldest are the first in name order. */
export function scheduledBackupName(now: Date): string {
  return `dvc-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.sqlite`;
}

const SCHEDULED = /^dvc-\d{8}T\d{6}Z\.sqlite$/;

/** Deletes the oldest scheduled backups beyond `keep`; other files in the folder are left alone. */
export function pruneBackups(dir: string, keep: number): string[] {
  const files = fs.readdirSync(dir).filter((f) => SCHEDULED.test(f)).sort();
  const removed = files.slice(0, Math.max(0, files.length - keep));
  for (const f of removed) fs.rmSync(path.join(dir, f), { force: true });
  return removed;
}

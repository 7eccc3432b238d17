import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { projectPath } from '../project-root.js';

export const DEFAULT_MIGRATIONS_DIR = projectPath('server', 'db', 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_-]+)\.sql$/;

export function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  const migrations = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const m = FILE_PATTERN.exec(file);
      if (!m) throw new Error(`Migration file "${file}" must be named NNNN_name.sql`);
      return { version: Number(m[1]), name: m[2], sql: fs.readFileSync(path.join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version === migrations[i - 1].version) {
      throw new Error(`Two migrations share version ${migrations[i].version}`);
    }
  }
  return migrations;
}

/**
 * Applies every migration newer than the database, each in its own transaction,
 * so an older database upgrades in place and a failed step leaves it at the last good version.
 */
export function runMigrations(db: Database.Database, dir?: string): { applied: number[]; version: number } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const current = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const applied: number[] = [];
  for (const m of readMigrations(dir)) {
    if (m.version <= current) continue;
    const apply = db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    });
    try {
      apply();
    } catch (err) {
      throw new Error(`Migration ${String(m.version).padStart(4, '0')}_${m.name} failed: ${(err as Error).message}`);
    }
    applied.push(m.version);
  }
  const version = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  return { applied, version };
}

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
 * Applies every migration the database has not recorded, in version order, each in its own
 * transaction, so an older database upgrades in place and a failed step leaves it at the last
 * good version. Not only those above the highest recorded one: migrations written on parallel
 * branches can land with a lower number than one already applied (0009–0011 after 0012 in
 * session 4), and skipping them leaves tables missing that the code needs.
 */
export function runMigrations(db: Database.Database, dir?: string): { applied: number[]; version: number } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const recorded = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version));
  const applied: number[] = [];
  for (const m of readMigrations(dir)) {
    if (recorded.has(m.version)) continue;
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

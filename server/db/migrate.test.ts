import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { readMigrations, runMigrations, DEFAULT_MIGRATIONS_DIR } from './migrate.js';
import { openDatabase } from './database.js';
import { tempDir } from '../test-support/temp-dir.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('migrations', () => {
  it('applies every migration once and records versions', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'app.sqlite');
    const db = openDatabase(file);
    const versions = (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((r) => r.version);
    expect(versions).toEqual(readMigrations().map((m) => m.version));
    db.close();
    // Re-opening applies nothing new.
    const again = new Database(file);
    expect(runMigrations(again).applied).toEqual([]);
    again.close();
  });

  it('upgrades a database from the first schema version without losing rows', () => {
    const dir = tempDir();
    dirs.push(dir);
    const onlyFirst = path.join(dir, 'm1');
    fs.mkdirSync(onlyFirst);
    const first = readMigrations()[0];
    fs.copyFileSync(path.join(DEFAULT_MIGRATIONS_DIR, `${String(first.version).padStart(4, '0')}_${first.name}.sql`), path.join(onlyFirst, `0001_${first.name}.sql`));
    const file = path.join(dir, 'old.sqlite');
    const old = new Database(file);
    runMigrations(old, onlyFirst);
    old.prepare(`INSERT INTO procedure_records (id, source, title, agency, record_json, content_hash, record_date, imported_at) VALUES ('p1','s','t','a','{}','h',NULL,'now')`).run();
    old.close();
    const upgraded = openDatabase(file);
    expect((upgraded.prepare('SELECT COUNT(*) n FROM procedure_records').get() as { n: number }).n).toBe(1);
    expect((upgraded.prepare('SELECT MAX(version) v FROM schema_migrations').get() as { v: number }).v).toBe(readMigrations().at(-1)!.version);
    upgraded.close();
  });

  it('rolls back a failing migration and names it', () => {
    const dir = tempDir();
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, '0001_ok.sql'), 'CREATE TABLE a (x INTEGER);');
    fs.writeFileSync(path.join(dir, '0002_broken.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);');
    const db = new Database(':memory:');
    expect(() => runMigrations(db, dir)).toThrow(/0002_broken/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
    expect((db.prepare('SELECT MAX(version) v FROM schema_migrations').get() as { v: number }).v).toBe(1);
  });

  it('rejects badly named migration files', () => {
    const dir = tempDir();
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'init.sql'), '');
    expect(() => readMigrations(dir)).toThrow(/NNNN_name\.sql/);
  });
});

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

  it('applies a migration that landed with a lower number than one already applied', () => {
    const dir = tempDir();
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, '0001_a.sql'), 'CREATE TABLE a (x INTEGER);');
    fs.writeFileSync(path.join(dir, '0003_c.sql'), 'CREATE TABLE c (x INTEGER);');
    const db = new Database(':memory:');
    expect(runMigrations(db, dir).applied).toEqual([1, 3]);
    // A branch merged later brings 0002: it is applied, not skipped because 3 is already there.
    fs.writeFileSync(path.join(dir, '0002_b.sql'), 'CREATE TABLE b (x INTEGER);');
    expect(runMigrations(db, dir)).toEqual({ applied: [2], version: 3 });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toEqual({ name: 'b' });
    expect(runMigrations(db, dir).applied).toEqual([]);
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

describe('upgrade to the review schema (0004)', () => {
  it('keeps existing answers, back-fills the question search and defaults the new columns', () => {
    const dir = tempDir();
    dirs.push(dir);
    const partial = path.join(dir, 'm');
    fs.mkdirSync(partial);
    for (const m of readMigrations().filter((m) => m.version < 4)) {
      fs.writeFileSync(path.join(partial, `${String(m.version).padStart(4, '0')}_${m.name}.sql`), m.sql);
    }
    const file = path.join(dir, 'v3.sqlite');
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    runMigrations(old, partial);
    old.prepare(`INSERT INTO conversations (id, channel, province, lang, created_at, updated_at) VALUES ('c1', 'web', 'kon-tum', 'vi', 'now', 'now')`).run();
    old.prepare(`INSERT INTO answers (id, conversation_id, created_at, channel, province, lang, question_redacted, question_normalised, kind, reply_text, topics, citations, confidence, candidates, stages, latency_ms)
      VALUES ('a1', 'c1', '2026-01-01T00:00:00Z', 'web', 'kon-tum', 'vi', 'đăng ký khai sinh', 'dang ky khai sinh', 'answer', 'x', '[]', '[]', 0.9, '[]', '[]', 12)`).run();
    old.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT sampled, reply_shown FROM answers WHERE id = ?').get('a1')).toEqual({ sampled: 0, reply_shown: null });
    expect(db.prepare("SELECT rowid FROM answers_fts WHERE answers_fts MATCH 'khai'").all()).toHaveLength(1);
    db.close();
  });
});

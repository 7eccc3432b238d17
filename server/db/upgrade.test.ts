import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, readMigrations, runMigrations } from './migrate.js';
import { openDatabase } from './database.js';
import { tempDir } from '../test-support/temp-dir.js';
import { createReviewStore } from '../review/review-store.js';
import { createUserStore } from '../staff/users.js';
import { createServiceControls } from '../storage/service-controls.js';

/**
 * An upgrade from every earlier schema version, with data in it: the database is made with the
 * migrations up to that version only, filled with what that version could hold, then opened by the
 * current software (which runs the remaining migrations, as `npm start` does).
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const has = (db: Database.Database, table: string) => Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table));

function fill(db: Database.Database): void {
  const now = '2025-06-01T08:00:00.000Z';
  db.prepare(`INSERT INTO procedure_records (id, source, title, agency, record_json, content_hash, record_date, imported_at) VALUES ('1.000001', 'csdl', 'Đăng ký khai sinh', 'UBND xã', '{}', 'h1', '2021', ?)`).run(now);
  db.prepare(`INSERT INTO conversations (id, channel, user_ref, province, lang, created_at, updated_at) VALUES ('c1', 'web', NULL, 'kon-tum', 'vi', ?, ?)`).run(now, now);
  db.prepare(`INSERT INTO answers (id, conversation_id, created_at, channel, province, lang, question_redacted, question_normalised, kind, reply_text, topics, citations, confidence, candidates, stages, latency_ms)
    VALUES ('a1', 'c1', ?, 'web', 'kon-tum', 'vi', 'dang ky khai sinh', 'dang ky khai sinh', 'answer', 'Trả lời', '["service.birth-registration"]', '[]', 0.9, '[]', '[]', 12)`).run(now);
  if (has(db, 'users')) {
    db.prepare(`INSERT INTO users (username, password_hash, role, created_at, updated_at) VALUES ('old-admin', 'scrypt$x', 'admin', ?, ?)`).run(now, now);
    db.prepare(`INSERT INTO feedback (answer_id, rating, created_at) VALUES ('a1', 'down', ?)`).run(now);
  }
  if (has(db, 'reviews')) db.prepare(`INSERT INTO reviews (answer_id, reviewer_id, reviewer, verdict, note, created_at) VALUES ('a1', 1, 'old-admin', 'partly', 'thiếu phí', ?)`).run(now);
  if (has(db, 'channel_inbox')) {
    db.prepare(`INSERT INTO channel_inbox (channel, external_id, user_id, kind, text, received_at, next_attempt_at) VALUES ('zalo', 'm1', 'u1', 'text', 'khai sinh', 1, 1)`).run();
  }
}

describe('upgrading a database made by each earlier version', () => {
  const migrations = readMigrations();
  const latest = migrations.at(-1)!.version;
  it.each(migrations.slice(0, -1).map((m) => m.version))('from schema version %i to the current one, keeping its data', (version) => {
    const dir = tempDir();
    dirs.push(dir);
    const older = path.join(dir, 'migrations');
    fs.mkdirSync(older);
    for (const m of migrations.filter((x) => x.version <= version)) {
      const file = `${String(m.version).padStart(4, '0')}_${m.name}.sql`;
      fs.copyFileSync(path.join(DEFAULT_MIGRATIONS_DIR, file), path.join(older, file));
    }
    const file = path.join(dir, 'dvc.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    expect(runMigrations(old, older).version).toBe(version);
    fill(old);
    const hadUsers = has(old, 'users');
    const hadReviews = has(old, 'reviews');
    const hadInbox = has(old, 'channel_inbox');
    old.close();

    const db = openDatabase(file);
    try {
      expect((db.prepare('SELECT MAX(version) v FROM schema_migrations').get() as { v: number }).v).toBe(latest);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT title FROM procedure_records').get()).toEqual({ title: 'Đăng ký khai sinh' });
      // The current stores read the old rows.
      const conv = createReviewStore(db, { lowConfidence: 0.5 }).conversation('c1')!;
      expect(conv.answers.map((a) => a.id)).toEqual(['a1']);
      if (hadUsers) {
        expect(createUserStore(db).list().map((u) => u.username)).toEqual(['old-admin']);
        expect(conv.answers[0].feedback.length).toBe(1);
      }
      if (hadReviews) expect(conv.answers[0].reviews.map((r) => r.verdict)).toEqual(['partly']);
      if (hadInbox) expect(db.prepare("SELECT state FROM channel_inbox WHERE external_id = 'm1'").get()).toEqual({ state: 'received' });
      // 0009: an upgraded database starts with every channel on and no notice, and takes changes.
      const controls = createServiceControls(db);
      expect(controls.switches()).toEqual({ web: true, zalo: true, sms: true });
      expect(controls.notice()).toBeNull();
      controls.setSwitch('sms', false, 'old-admin');
      expect(controls.isOpen('sms')).toBe(false);
    } finally {
      db.close();
    }
  });
});

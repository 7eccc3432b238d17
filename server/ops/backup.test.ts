import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { readMigrations } from '../db/migrate.js';
import { createUserStore } from '../staff/users.js';
import { createServiceControls } from '../storage/service-controls.js';
import { createReviewStore } from '../review/review-store.js';
import { createChannelStore } from '../../channels/core/store.js';
import { tempDir } from '../test-support/temp-dir.js';
import { runScript, startServerProcess } from '../test-support/server-process.js';
import { backupDatabase, pruneBackups, restoreDatabase, scheduledBackupName, verifyBackupFile } from './backup.js';
import { startBackupSchedule } from './backup-schedule.js';
import { createInboxCipher, loadOrCreateInboxKey } from '../../channels/core/inbox-cipher.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};

const chat = (url: string, message: string) =>
  fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) });

describe('npm run backup / npm run restore', () => {
  it('backs up a serving database under load and restores it into a fresh folder with answers, reviews, users and queued channel messages', async () => {
    const dataDir = fresh();
    const server = await startServerProcess({ DATA_DIR: dataDir, RATE_LIMIT_MAX: '100000' });
    const backupFile = path.join(fresh(), 'backup.sqlite');
    let answerIds: string[] = [];
    try {
      for (const q of ['dang ky khai sinh truc tuyen', 'Quên mật khẩu VNeID thì làm sao?', 'thủ tục đăng ký thường trú']) {
        const res = await chat(server.url, q);
        expect(res.status).toBe(200);
        answerIds.push(((await res.json()) as { answerId: string }).answerId);
      }
      // Staff, a review and two channel messages still waiting in the inbox, written as the server does.
      const db = openDatabase(path.join(dataDir, 'dvc.sqlite'));
      const admin = await createUserStore(db).create('backup-admin', 'a long test passphrase 42', 'admin');
      expect(createReviewStore(db, { lowConfidence: 0.5 }).addReview(answerIds[0], admin, { verdict: 'correct', note: 'checked' })).toBe(true);
      const inbox = createChannelStore(db, { cipher: createInboxCipher(loadOrCreateInboxKey(path.join(dataDir, 'inbox.key'))) });
      inbox.insertInbox({ channel: 'zalo', externalId: 'msg-1', userId: 'zalo-user-1', kind: 'text', text: 'khai sinh', receivedAt: Date.now() });
      inbox.insertInbox({ channel: 'sms', externalId: 'sms-1', userId: '84900000001', kind: 'text', text: 'thuong tru', receivedAt: Date.now() });
      // A switched-off channel and a notice are part of the database, so of the backup.
      const controls = createServiceControls(db);
      controls.setSwitch('sms', false, 'backup-admin');
      controls.publishNotice({ text: { vi: 'Bảo trì hệ thống đến 17:00' }, endsAt: new Date(Date.now() + 86_400_000).toISOString() }, 'backup-admin');
      db.close();

      // Load while the backup runs: answers keep being written and none fails.
      let stop = false;
      let served = 0;
      const load = (async () => {
        while (!stop) {
          const res = await chat(server.url, 'lam can cuoc cong dan o dau');
          expect(res.status).toBe(200);
          served++;
        }
      })();
      const backup = await runScript('scripts/backup.ts', [backupFile], { DATA_DIR: dataDir });
      stop = true;
      await load;
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toMatch(/Backup written to .*schema version \d+/);
      expect(served).toBeGreaterThan(0);
    } finally {
      expect(await server.stop()).toBe(0);
    }

    const restoredDir = fresh();
    const restore = await runScript('scripts/restore.ts', [backupFile], { DATA_DIR: restoredDir });
    expect(restore.code, restore.stderr).toBe(0);
    const restored = await startServerProcess({ DATA_DIR: restoredDir });
    try {
      expect((await fetch(`${restored.url}/readyz`)).status).toBe(200);
      const db = new Database(path.join(restoredDir, 'dvc.sqlite'), { readonly: true });
      const ids = (db.prepare('SELECT id FROM answers').all() as Array<{ id: string }>).map((r) => r.id);
      for (const id of answerIds) expect(ids).toContain(id);
      expect(db.prepare("SELECT verdict, note FROM reviews WHERE answer_id = ?").get(answerIds[0])).toEqual({ verdict: 'correct', note: 'checked' });
      expect((db.prepare('SELECT channel, external_id, state FROM channel_inbox ORDER BY id').all())).toEqual([
        { channel: 'zalo', external_id: 'msg-1', state: 'received' },
        { channel: 'sms', external_id: 'sms-1', state: 'received' },
      ]);
      expect(db.prepare('SELECT channel, enabled FROM channel_switches').all()).toEqual([{ channel: 'sms', enabled: 0 }]);
      db.close();
      expect(((await (await fetch(`${restored.url}/api/notice`)).json()) as { notice: { text: string } }).notice.text).toBe('Bảo trì hệ thống đến 17:00');
      // The restored staff account signs in; the restored server answers.
      const login = await fetch(`${restored.url}/staff/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'backup-admin', password: 'a long test passphrase 42' }) });
      expect(login.status).toBe(200);
      const res = await chat(restored.url, 'dang ky khai sinh truc tuyen');
      expect(((await res.json()) as { kind: string }).kind).toBe('answer');
    } finally {
      await restored.stop();
    }
    answerIds = [];
  });

  it('refuses to restore over existing data, a file that is not a backup, or a backup from a newer schema', async () => {
    const source = fresh();
    openDatabase(path.join(source, 'dvc.sqlite')).close();
    const good = path.join(fresh(), 'good.sqlite');
    await backupDatabase(path.join(source, 'dvc.sqlite'), good);

    const occupied = await runScript('scripts/restore.ts', [good], { DATA_DIR: source });
    expect(occupied.code).toBe(1);
    expect(occupied.stderr).toMatch(/already exists: restore needs an empty data folder/);

    const junk = path.join(fresh(), 'junk.sqlite');
    fs.writeFileSync(junk, 'not a database at all, just text');
    await expect(restoreDatabase(junk, path.join(fresh(), 'dvc.sqlite'), path.join(fresh(), 'index-none'))).rejects.toThrow(/not a SQLite database/);

    const other = path.join(fresh(), 'other.sqlite');
    new Database(other).exec('CREATE TABLE t (x)');
    expect(() => verifyBackupFile(other)).toThrow(/not a DVC Assistant database/);

    const newer = path.join(fresh(), 'newer.sqlite');
    fs.copyFileSync(good, newer);
    const n = new Database(newer);
    n.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')").run();
    n.close();
    expect(() => verifyBackupFile(newer)).toThrow(/newer version of the software/);

    const usage = await runScript('scripts/restore.ts', [], { DATA_DIR: fresh() });
    expect(usage.code).toBe(2);
  });

  it('refuses to overwrite an existing backup file or back up a missing database', async () => {
    const source = fresh();
    openDatabase(path.join(source, 'dvc.sqlite')).close();
    const file = path.join(fresh(), 'b.sqlite');
    await backupDatabase(path.join(source, 'dvc.sqlite'), file);
    await expect(backupDatabase(path.join(source, 'dvc.sqlite'), file)).rejects.toThrow(/already exists/);
    await expect(backupDatabase(path.join(fresh(), 'missing.sqlite'), path.join(fresh(), 'x.sqlite'))).rejects.toThrow(/no database/);
    expect(verifyBackupFile(file)).toBe(readMigrations().at(-1)!.version);
  });

  it('scheduled backups write verified files and keep only BACKUP_KEEP of them', async () => {
    const source = fresh();
    openDatabase(path.join(source, 'dvc.sqlite')).close();
    const dir = fresh();
    fs.writeFileSync(path.join(dir, 'operator-notes.txt'), 'kept');
    let t = Date.parse('2026-01-01T00:00:00Z');
    const lines: string[] = [];
    const schedule = startBackupSchedule({ databasePath: path.join(source, 'dvc.sqlite'), dir, everyHours: 24, keep: 2, log: pino({}, { write: (l: string) => void lines.push(l) }), now: () => new Date((t += 3_600_000)) });
    try {
      for (let i = 0; i < 4; i++) expect(await schedule.runOnce()).not.toBeNull();
    } finally {
      schedule.stop();
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['dvc-20260101T030000Z.sqlite', 'dvc-20260101T040000Z.sqlite', 'operator-notes.txt']);
    expect(scheduledBackupName(new Date('2026-03-04T05:06:07.891Z'))).toBe('dvc-20260304T050607Z.sqlite');
    expect(pruneBackups(dir, 5)).toEqual([]);
    // A failing backup (database gone) is logged, not thrown.
    const broken = startBackupSchedule({ databasePath: path.join(fresh(), 'gone.sqlite'), dir, everyHours: 24, keep: 2, log: pino({}, { write: (l: string) => void lines.push(l) }) });
    expect(await broken.runOnce()).toBeNull();
    broken.stop();
    expect(lines.some((l) => l.includes('scheduled backup failed'))).toBe(true);
  });
});

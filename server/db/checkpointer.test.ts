import fs from 'node:fs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { SAFETY_NET_AUTOCHECKPOINT, SQLITE_DEFAULT_AUTOCHECKPOINT, startCheckpointer } from './checkpointer.js';
import { tempDatabases } from '../test-support/temp-database.js';

const freshDb = tempDatabases('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');

function captureLog() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'warn' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}

const autocheckpoint = (db: ReturnType<typeof freshDb>) => db.pragma('wal_autocheckpoint', { simple: true });

describe('background WAL checkpoints', () => {
  it('takes checkpoints off the serving connection and copies the whole WAL back', async () => {
    const db = freshDb();
    const cp = startCheckpointer(db, { intervalMs: 60_000, log: captureLog().log });
    await cp.ready;
    expect(autocheckpoint(db)).toBe(SAFETY_NET_AUTOCHECKPOINT);
    const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
    const body = 'x'.repeat(3000);
    // ~1,500 pages: with SQLite's default the committing connection would have checkpointed at 1,000.
    for (let i = 0; i < 1500; i++) insert.run(body);
    const result = await cp.checkpointNow();
    expect(result.log).toBeGreaterThan(SQLITE_DEFAULT_AUTOCHECKPOINT);
    expect(result.checkpointed).toBe(result.log);
    expect(result.busy).toBe(0);
    // Nothing was lost in the copy.
    await cp.stop();
    db.close();
    const reopened = openDatabase(db.name);
    expect(reopened.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 1500 });
    reopened.close();
  });

  it('checkpoints on its own timer', async () => {
    const db = freshDb();
    const cp = startCheckpointer(db, { intervalMs: 20, log: captureLog().log });
    await cp.ready;
    const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
    for (let i = 0; i < 200; i++) insert.run('y'.repeat(3000));
    await new Promise((r) => setTimeout(r, 300));
    // The timer copied all ~200 pages, so the next commit starts the WAL over from the beginning.
    insert.run('z');
    const result = await cp.checkpointNow();
    expect(result.log).toBeLessThan(10);
    await cp.stop();
    db.close();
  });

  it('does not start for an in-memory database', async () => {
    const db = openDatabase(':memory:');
    const cp = startCheckpointer(db, { intervalMs: 1000, log: captureLog().log });
    await expect(cp.ready).rejects.toThrow(/in-memory/);
    await expect(cp.checkpointNow()).rejects.toThrow(/not running/);
    await cp.stop();
    db.close();
  });

  it('falls back to SQLite checkpoints on commit when the worker cannot open the database', async () => {
    const db = freshDb();
    // The file is gone (moved by an operator, disk unmounted): the worker cannot open it.
    fs.renameSync(db.name, `${db.name}.moved`);
    const { log, lines } = captureLog();
    const cp = startCheckpointer(db, { intervalMs: 1000, log });
    await expect(cp.ready).rejects.toThrow(/does not exist|unable to open/);
    await new Promise((r) => setTimeout(r, 50));
    expect(autocheckpoint(db)).toBe(SQLITE_DEFAULT_AUTOCHECKPOINT);
    await expect(cp.checkpointNow()).rejects.toThrow(/not running/);
    expect(lines.some((l) => String(l.msg).includes('background checkpoints stopped'))).toBe(true);
    db.close();
  });

  it('stops cleanly and hands checkpoints back to the connection', async () => {
    const db = freshDb();
    const cp = startCheckpointer(db, { intervalMs: 1000, log: captureLog().log });
    await cp.ready;
    await cp.stop();
    expect(autocheckpoint(db)).toBe(SQLITE_DEFAULT_AUTOCHECKPOINT);
    await expect(cp.checkpointNow()).rejects.toThrow(/not running/);
    await cp.stop(); // twice is harmless
    db.close();
  });
});

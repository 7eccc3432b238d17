import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDatabases } from '../test-support/temp-database.js';
import { createGroupCommit } from './group-commit.js';

const freshDb = tempDatabases('CREATE TABLE turns (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)');

describe('group commit', () => {
  it('commits the writes of concurrent requests in one transaction, visible to other connections once settled', async () => {
    const db = freshDb();
    const gc = createGroupCommit(db);
    const insert = db.prepare('INSERT INTO turns (body) VALUES (?)');
    await Promise.all(Array.from({ length: 16 }, (_, i) => gc.run(() => void insert.run(`turn ${i}`))));
    expect(gc.stats).toEqual({ commits: 1, writes: 16 });
    const other = new Database(db.name, { readonly: true });
    expect(other.prepare('SELECT count(*) AS n FROM turns').get()).toEqual({ n: 16 });
    other.close();
    db.close();
  });

  it('commits each write of an idle server on its own', async () => {
    const db = freshDb();
    const gc = createGroupCommit(db);
    const insert = db.prepare('INSERT INTO turns (body) VALUES (?)');
    for (let i = 0; i < 3; i++) await gc.run(() => void insert.run(`turn ${i}`));
    expect(gc.stats).toEqual({ commits: 3, writes: 3 });
    db.close();
  });

  it('rejects only the write that fails; the others of its batch are kept', async () => {
    const db = freshDb();
    const gc = createGroupCommit(db);
    const insert = db.prepare('INSERT INTO turns (body) VALUES (?)');
    const results = await Promise.allSettled(['a', 'b', 'a', 'c'].map((body) => gc.run(() => void insert.run(body))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason.message).toMatch(/UNIQUE/);
    expect(db.prepare('SELECT body FROM turns ORDER BY body').all()).toEqual([{ body: 'a' }, { body: 'b' }, { body: 'c' }]);
    db.close();
  });

  it('splits a very large burst into batches and loses none of it', async () => {
    const db = freshDb();
    const gc = createGroupCommit(db, { maxBatch: 10 });
    const insert = db.prepare('INSERT INTO turns (body) VALUES (?)');
    await Promise.all(Array.from({ length: 35 }, (_, i) => gc.run(() => void insert.run(`turn ${i}`))));
    expect(gc.stats).toEqual({ commits: 4, writes: 35 });
    expect(db.prepare('SELECT count(*) AS n FROM turns').get()).toEqual({ n: 35 });
    db.close();
  });

  it('rejects every write when the database is closed, without crashing', async () => {
    const db = freshDb();
    const gc = createGroupCommit(db);
    const insert = db.prepare('INSERT INTO turns (body) VALUES (?)');
    const pending = gc.run(() => void insert.run('late'));
    db.close();
    await expect(pending).rejects.toThrow(/not open/);
  });
});

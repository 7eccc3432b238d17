import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../server/test-support/temp-dir.js';
import { maskSecret, mergeLeaks, scanForSecrets, secretForms, occursAsValue } from './secret-scan.js';

const dir = tempDir('dvc-secretscan-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('looking for secrets in stored bytes', () => {
  it('finds a secret in a SQLite WAL before checkpointing and in the database after, in each stored form', () => {
    const dbFile = path.join(dir, 'data', 'x.sqlite');
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    const db = new Database(dbFile);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT)');
    db.prepare('INSERT INTO t VALUES (?), (?)').run('card 4111111111111111', 'mật khẩu hoa@1987');
    const probes = [
      { item: 'set.jsonl:1', secret: '4111 1111 1111 1111' },
      { item: 'set.jsonl:2', secret: 'Hoa@1987' },
      { item: 'set.jsonl:3', secret: '0987 654 321' },
    ];
    const open = scanForSecrets(path.join(dir, 'data'), probes);
    expect(open.leaks.map((l) => [l.item, l.form, l.file])).toEqual([
      ['set.jsonl:1', 'digits only', 'x.sqlite-wal'],
      ['set.jsonl:2', 'lower case', 'x.sqlite-wal'],
    ]);
    db.close();
    const closed = scanForSecrets(path.join(dir, 'data'), probes);
    expect(closed.leaks.map((l) => l.file)).toEqual(['x.sqlite', 'x.sqlite']);
    expect(mergeLeaks(open.leaks, closed.leaks, closed.leaks)).toHaveLength(4);
    expect(closed.leaks[0].masked).toBe(maskSecret('4111 1111 1111 1111'));
  });

  it('finds a secret in a log file and finds nothing in a folder that holds none', () => {
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(path.join(logs, 'nested'), { recursive: true });
    fs.writeFileSync(path.join(logs, 'nested', 'a.log'), '{"msg":"question","q":"email tranthi.kt84@gmail.com"}\n');
    expect(scanForSecrets(logs, [{ item: 'i:1', secret: 'tranthi.kt84@gmail.com' }]).leaks).toHaveLength(1);
    expect(scanForSecrets(logs, [{ item: 'i:1', secret: 'someone.else@gmail.com' }]).leaks).toEqual([]);
  });

  it('counts a number only as a value of its own, not inside a longer run of digits such as a stored score', () => {
    expect(occursAsValue(Buffer.from('{"coverage":0.47305184185}'), Buffer.from('730518'))).toBe(false);
    expect(occursAsValue(Buffer.from('id 17305189'), Buffer.from('730518'))).toBe(false);
    expect(occursAsValue(Buffer.from('ma la 730518, nhap'), Buffer.from('730518'))).toBe(true);
    expect(occursAsValue(Buffer.from('0.1730518 and then 730518'), Buffer.from('730518'))).toBe(true);
    expect(occursAsValue(Buffer.from('pass Abc12345x'), Buffer.from('Abc12345'))).toBe(true);
  });

  it('does not look for digit forms that would match by chance, and masks the middle of a secret', () => {
    expect(secretForms('lan12345').map((f) => f.form)).toEqual(['as written']);
    expect(secretForms('+84 912 468 135').map((f) => [f.form, f.bytes.toString()])).toEqual([
      ['as written', '+84 912 468 135'],
      ['digits only', '84912468135'],
    ]);
    expect(maskSecret('079187004521')).toBe('07********21');
    expect(maskSecret('482913')).toBe('4****3');
    expect(maskSecret('abcd')).toBe('****');
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const SCRIPT = path.join(ROOT, 'scripts', 'blocklist-update.ts');
let dir: string;

function run(...args: string[]) {
  const r = spawnSync(TSX, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATA_DIR: dir } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), `dvc-blocklist-cli-${crypto.randomUUID()}-`));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('scripts/blocklist-update.ts', () => {
  it('loads a host file and prints the counts; a second run adds nothing', () => {
    const file = path.join(dir, 'hosts.txt');
    const db = path.join(dir, 'app.sqlite');
    fs.writeFileSync(file, '# test list\nscam-one.com\nscam-two.net\nscam-one.com\nnot a host\n');
    const first = run(file, '--source', 'test', '--licence', 'CC0', '--db', db);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('added: 2  skipped: 1  invalid: 1');
    const second = run(file, '--source', 'test', '--licence', 'CC0', '--db', db);
    expect(second.out).toContain('added: 0  skipped: 3  invalid: 1');
    const conn = new Database(db, { readonly: true });
    expect(conn.prepare('SELECT source, entries, licence FROM blocklist_sources').get()).toEqual({ source: 'test', entries: 2, licence: 'CC0' });
    conn.close();
  });

  it('fails clearly for a missing, empty or binary file and for bad arguments', () => {
    const db = path.join(dir, 'other.sqlite');
    const missing = run(path.join(dir, 'nope.txt'), '--db', db);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/not found/);
    const empty = path.join(dir, 'empty.txt');
    fs.writeFileSync(empty, '');
    expect(run(empty, '--db', db).err).toMatch(/empty/);
    const binary = path.join(dir, 'bin.dat');
    fs.writeFileSync(binary, Buffer.from([0, 1, 2, 255, 254]));
    const bin = run(binary, '--db', db);
    expect(bin.code).toBe(1);
    expect(bin.err).toMatch(/binary/);
    const usage = run('--source');
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/Usage/);
  });
});

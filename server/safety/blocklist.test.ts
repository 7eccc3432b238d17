import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/database.js';
import {
  BlocklistFileError,
  DEFAULT_BLOCKLIST_PATH,
  createBlocklist,
  normaliseBlocklistEntry,
  readBlocklistFile,
  splitHoldout,
} from './blocklist.js';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), `dvc-blocklist-${crypto.randomUUID()}-`));
  db = openDatabase(path.join(dir, 'test.sqlite'));
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('createBlocklist', () => {
  it('loads hosts in one go, lower-cased and IDN-to-ASCII, and counts invalid lines', () => {
    const blocklist = createBlocklist(db);
    const result = blocklist.load(
      ['Evil-Scam.COM', 'www.evil-scam.com', 'evil-scam.com', 'cốccốc.vn', 'not a host', 'localhost', 'www.facebook.com/some-page', 'sn99.cc:100', '0.0.0.0 hosts-style.net'],
      'test-source',
      'CC0',
    );
    expect(result).toEqual({ added: 5, skipped: 1, invalid: 3 });
    expect(blocklist.size()).toBe(5);
    expect(blocklist.has('xn--cccc-0x5ac.vn')).toBe(true);
    expect(blocklist.has('cốccốc.vn')).toBe(true);
    expect(blocklist.has('sn99.cc')).toBe(true);
    expect(blocklist.has('hosts-style.net')).toBe(true);
    expect(blocklist.has('facebook.com')).toBe(false);
  });

  it('checks the host and every parent domain', () => {
    const blocklist = createBlocklist(db);
    blocklist.load(['evil-scam.com'], 's', 'l');
    expect(blocklist.has('evil-scam.com')).toBe(true);
    expect(blocklist.has('a.b.EVIL-SCAM.com.')).toBe(true);
    expect(blocklist.has('notevil-scam.com')).toBe(false);
    expect(blocklist.has('com')).toBe(false);
    expect(blocklist.has('')).toBe(false);
  });

  it('is idempotent and records the source with its licence', () => {
    const blocklist = createBlocklist(db);
    expect(blocklist.load(['a-scam.com', 'b-scam.net'], 'src', 'BSD-3-Clause')).toEqual({ added: 2, skipped: 0, invalid: 0 });
    expect(blocklist.load(['a-scam.com', 'b-scam.net'], 'src', 'BSD-3-Clause')).toEqual({ added: 0, skipped: 2, invalid: 0 });
    const row = db.prepare('SELECT source, entries, licence, loaded_at FROM blocklist_sources').get() as Record<string, unknown>;
    expect(row).toMatchObject({ source: 'src', entries: 2, licence: 'BSD-3-Clause' });
    expect(typeof row.loaded_at).toBe('string');
  });

  it('rolls back the whole load when it fails part-way', () => {
    const blocklist = createBlocklist(db);
    function* failing(): Generator<string> {
      yield 'first-scam.com';
      throw new Error('read error');
    }
    expect(() => blocklist.load(failing(), 'src', 'l')).toThrow('read error');
    expect(blocklist.size()).toBe(0);
  });

  it('has a safety_events table for refusal labels', () => {
    db.prepare('INSERT INTO safety_events (created_at, answer_id, kind, label) VALUES (?, ?, ?, ?)').run(new Date().toISOString(), 'a1', 'abuse', 'hacking');
    expect(db.prepare('SELECT label FROM safety_events').pluck().get()).toBe('hacking');
  });
});

describe('normaliseBlocklistEntry', () => {
  it.each([
    ['https://Example.com/', 'example.com'],
    ['||ads.example.com^', 'ads.example.com'],
    ['*.wild.example.com', 'wild.example.com'],
    ['127.0.0.1 tracker.example.org', 'tracker.example.org'],
    ['203.0.113.7', '203.0.113.7'],
    ['sites.google.com/view/x', null],
    ['two words', null],
    ['-bad-.com', null],
    ['no_tld', null],
  ])('%s → %s', (line, expected) => {
    expect(normaliseBlocklistEntry(line)).toBe(expected);
  });
});

describe('readBlocklistFile', () => {
  it('skips comments and blank lines', () => {
    const file = path.join(dir, 'list.txt');
    fs.writeFileSync(file, '\uFEFF# header\n\nevil.com\n! adblock comment\nbad.net # trailing\r\n   \n');
    expect(readBlocklistFile(file)).toEqual(['evil.com', 'bad.net']);
  });

  it('rejects missing, empty, comment-only and binary files with clear messages', () => {
    expect(() => readBlocklistFile(path.join(dir, 'missing.txt'))).toThrow(/not found/);
    const empty = path.join(dir, 'empty.txt');
    fs.writeFileSync(empty, '');
    expect(() => readBlocklistFile(empty)).toThrow(/empty/);
    const comments = path.join(dir, 'comments.txt');
    fs.writeFileSync(comments, '# nothing\n\n');
    expect(() => readBlocklistFile(comments)).toThrow(/no entries/);
    const binary = path.join(dir, 'binary.bin');
    fs.writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]));
    expect(() => readBlocklistFile(binary)).toThrow(BlocklistFileError);
    expect(() => readBlocklistFile(binary)).toThrow(/binary/);
  });

  it('reads the shipped list', () => {
    const hosts = readBlocklistFile(DEFAULT_BLOCKLIST_PATH);
    expect(hosts.length).toBe(34419);
    expect(fs.existsSync(path.join(path.dirname(DEFAULT_BLOCKLIST_PATH), 'LICENSE-chongluadao-blocklist.txt'))).toBe(true);
    expect(fs.existsSync(path.join(path.dirname(DEFAULT_BLOCKLIST_PATH), 'PROVENANCE.md'))).toBe(true);
  });
});

describe('splitHoldout', () => {
  it('holds out every 10th entry by a fixed rule', () => {
    const hosts = Array.from({ length: 25 }, (_, i) => `h${i + 1}.com`);
    const { loaded, heldOut } = splitHoldout(hosts);
    expect(heldOut).toEqual(['h10.com', 'h20.com']);
    expect(loaded).toHaveLength(23);
    expect(loaded).not.toContain('h10.com');
    expect(splitHoldout(hosts, 5).heldOut).toEqual(['h5.com', 'h10.com', 'h15.com', 'h20.com', 'h25.com']);
    expect(splitHoldout(hosts)).toEqual(splitHoldout(hosts));
  });

  it('rejects a meaningless rule', () => {
    expect(() => splitHoldout(['a.com'], 1)).toThrow();
  });
});

/**
 * Phishing/scam host blocklist stored in SQLite (tables from migration
 * 0002_safety.sql), with the file reader and the fixed hold-out rule used to
 * measure the link heuristics on entries the list does not contain.
 */
import fs from 'node:fs';
import path from 'node:path';
import { shippedDictionaryPath } from './shipped-data.js';
import type Database from 'better-sqlite3';
import { hostAndParents, normaliseHost } from './host-name.js';

const BLOCKLIST_DIR = shippedDictionaryPath('blocklist');

/** The blocklist shipped with the product (see knowledge/dictionaries/blocklist/PROVENANCE.md). */
export const DEFAULT_BLOCKLIST_PATH = path.join(BLOCKLIST_DIR, 'chongluadao-hosts-2025-11.txt');
export const DEFAULT_BLOCKLIST_SOURCE = 'chongluadao-2025-11-28';
export const DEFAULT_BLOCKLIST_LICENCE =
  'BSD-3-Clause, Copyright (c) 2023 Wu Tingfeng; list compiled by the Chống Lừa Đảo project (chongluadao.vn); see LICENSE-chongluadao-blocklist.txt';

export interface LoadResult {
  /** New hosts stored. */
  added: number;
  /** Valid lines already present (earlier load, another source, or a duplicate line). */
  skipped: number;
  /** Lines that are not a host name or IP address. */
  invalid: number;
}

export interface Blocklist {
  /** True when the host or any parent domain is listed. */
  has(host: string): boolean;
  size(): number;
  load(hosts: Iterable<string>, source: string, licence: string): LoadResult;
}

export class BlocklistFileError extends Error {}

/**
 * One list line to a host: accepts plain hosts, hosts-file lines
 * ("0.0.0.0 example.com"), "||example.com^" and a scheme with no path.
 * A port is dropped ("sn99.cc:100"). A line with a path is rejected (counted
 * invalid): blocking the whole host for one bad page on a shared host
 * (www.facebook.com/..., sites.google.com/...) would block the good pages too.
 */
export function normaliseBlocklistEntry(line: string): string | null {
  let entry = line.trim();
  const tokens = entry.split(/\s+/);
  if (tokens.length === 2 && /^(?:0\.0\.0\.0|127\.0\.0\.1|::1?)$/.test(tokens[0])) entry = tokens[1];
  else if (tokens.length > 1) return null;
  entry = entry.replace(/^\|\|/, '').replace(/\^$/, '').replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/$/, '').replace(/^\*\./, '').replace(/:\d{1,5}$/, '');
  if (/[/?#@\s]/.test(entry)) return null;
  return normaliseHost(entry);
}

export function createBlocklist(db: Database.Database): Blocklist {
  const lookup = db.prepare('SELECT 1 FROM blocklist_hosts WHERE host = ?').pluck();
  const count = db.prepare('SELECT COUNT(*) FROM blocklist_hosts').pluck();
  const insert = db.prepare('INSERT OR IGNORE INTO blocklist_hosts (host, source, added_at) VALUES (?, ?, ?)');
  const upsertSource = db.prepare(`
    INSERT INTO blocklist_sources (source, loaded_at, entries, licence)
    VALUES (@source, @loadedAt, (SELECT COUNT(*) FROM blocklist_hosts WHERE source = @source), @licence)
    ON CONFLICT(source) DO UPDATE SET loaded_at = excluded.loaded_at, entries = excluded.entries, licence = excluded.licence`);

  const loadAll = db.transaction((hosts: Iterable<string>, source: string, licence: string): LoadResult => {
    const now = new Date().toISOString();
    const result: LoadResult = { added: 0, skipped: 0, invalid: 0 };
    for (const line of hosts) {
      const host = normaliseBlocklistEntry(line);
      if (!host) {
        result.invalid++;
        continue;
      }
      if (insert.run(host, source, now).changes > 0) result.added++;
      else result.skipped++;
    }
    upsertSource.run({ source, loadedAt: now, licence });
    return result;
  });

  return {
    has(host: string): boolean {
      const normalised = normaliseHost(host);
      if (!normalised) return false;
      return hostAndParents(normalised).some((h) => lookup.get(h) !== undefined);
    },
    size(): number {
      return count.get() as number;
    },
    load(hosts: Iterable<string>, source: string, licence: string): LoadResult {
      if (!source.trim()) throw new Error('A blocklist load needs a source name');
      return loadAll(hosts, source.trim(), licence);
    },
  };
}

/**
 * Reads a host list: one entry per line, blank lines and comments (# or !)
 * skipped, trailing "# comment" removed. Throws BlocklistFileError with a
 * message for people when the file is missing, empty or not text.
 */
export function readBlocklistFile(file: string): string[] {
  let buf: Buffer;
  try {
    if (!fs.statSync(file).isFile()) throw new BlocklistFileError(`Blocklist path is not a file: ${file}`);
    buf = fs.readFileSync(file);
  } catch (err) {
    if (err instanceof BlocklistFileError) throw err;
    throw new BlocklistFileError(`Blocklist file not found or unreadable: ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (buf.length === 0) throw new BlocklistFileError(`Blocklist file is empty: ${file}`);
  let text: string;
  try {
    if (buf.includes(0)) throw new Error('NUL byte');
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new BlocklistFileError(`Blocklist file is not a UTF-8 text file (binary?): ${file}`);
  }
  const entries = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!'));
  if (entries.length === 0) throw new BlocklistFileError(`Blocklist file has no entries (only blank lines or comments): ${file}`);
  return entries;
}

/**
 * Fixed hold-out rule for evaluation: every `every`-th entry (1-based
 * positions every, 2·every, ...) is held out, the rest are loaded. Being a
 * rule rather than a random draw, the figures are reproducible.
 */
export function splitHoldout<T>(hosts: readonly T[], every = 10): { loaded: T[]; heldOut: T[] } {
  if (!Number.isInteger(every) || every < 2) throw new Error('splitHoldout: "every" must be an integer ≥ 2');
  const loaded: T[] = [];
  const heldOut: T[] = [];
  hosts.forEach((h, i) => ((i + 1) % every === 0 ? heldOut : loaded).push(h));
  return { loaded, heldOut };
}

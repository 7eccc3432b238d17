/**
 * Test helpers for the translation tests: temporary copies of the knowledge and locales
 * folders, an in-memory database with the migrations applied, and a fake "translation" that
 * keeps a segment's structure. The fake text is NOT any real language: it is the Vietnamese
 * text upper-cased between «» — the project ships no invented ethnic-language text, and tests
 * do not pretend to.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runMigrations } from '../db/migrate.js';
import { tempDir } from '../test-support/temp-dir.js';
import { inlineToMarkdown, markdownToInline, type Inline } from './exchange.js';
import { DEFAULT_KNOWLEDGE_DIR, DEFAULT_LOCALES_DIR, type PackPaths } from './packs.js';

export function tempPaths(opts: { articles?: string[] } = {}): PackPaths & { root: string; cleanup: () => void } {
  const root = tempDir('dvc-translation-');
  const knowledgeDir = path.join(root, 'knowledge');
  const localesDir = path.join(root, 'locales');
  fs.cpSync(DEFAULT_LOCALES_DIR, localesDir, { recursive: true });
  for (const sub of ['provinces', 'dictionaries', 'translation']) fs.cpSync(path.join(DEFAULT_KNOWLEDGE_DIR, sub), path.join(knowledgeDir, sub), { recursive: true });
  for (const lang of ['vi', 'en']) {
    const from = path.join(DEFAULT_KNOWLEDGE_DIR, 'articles', lang);
    const to = path.join(knowledgeDir, 'articles', lang);
    fs.mkdirSync(to, { recursive: true });
    for (const f of fs.readdirSync(from)) if (!opts.articles || opts.articles.includes(f.slice(0, -3))) fs.copyFileSync(path.join(from, f), path.join(to, f));
  }
  return { root, knowledgeDir, localesDir, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export function memoryDb(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  runMigrations(db);
  return db;
}

const fakeNodes = (nodes: readonly Inline[]): Inline[] =>
  nodes.map((n) => (n.t === 'text' ? { t: 'text', v: n.v.trim() ? `«${n.v.toUpperCase()}»` : n.v } : n.t === 'pc' ? { ...n, kids: fakeNodes(n.kids) } : n));

/** A stand-in "translation" that keeps placeholders, markers, bold and links. */
export function fakeTranslate(md: string): string {
  return inlineToMarkdown(fakeNodes(markdownToInline(md)));
}

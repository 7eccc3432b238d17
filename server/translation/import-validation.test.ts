import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unsafeUnitId, writeExchangeCsv, writeXliff } from './exchange.js';
import { collectForTranslation } from './export.js';
import { importTranslations, ImportError } from './import.js';
import { createTranslationStore, type TranslationStore } from './store.js';
import { fakeTranslate, memoryDb, tempPaths } from './test-fixtures.js';

/** Issue 14: unit ids end up in file paths and the language names a folder; a tampered file must write nothing. */
let paths: ReturnType<typeof tempPaths>;
let db: ReturnType<typeof memoryDb>;
let store: TranslationStore;

beforeEach(() => {
  paths = tempPaths({ articles: ['meta.language'] });
  db = memoryDb();
  store = createTranslationStore(db);
});
afterEach(() => {
  db.close();
  paths.cleanup();
});

function translated() {
  const r = collectForTranslation({ lang: 'bdq', paths, store, suggestions: false });
  return { ...r.doc, translator: 'Y Translator', units: r.doc.units.map((u) => ({ ...u, target: fakeTranslate(u.source) })) };
}

/** Everything an import could have left behind: database rows and files under the temporary tree. */
function footprint() {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else files.push(path.join(d, e.name));
    }
  };
  walk(paths.root);
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { files: files.sort(), imports: count('translation_imports'), revisions: count('translation_revisions') };
}

describe('unit ids', () => {
  it.each([
    ['a:../../../etc/passwd:0123456789ab:title', /characters outside/],
    ['a:..:0123456789ab:title', /path step/],
    ['s:/etc/passwd:key:0123456789ab', /characters outside/],
    ['a:meta.language/../../x:0123456789ab:title', /characters outside/],
    ['a:C:\\Windows:0123456789ab:title', /characters outside/],
    ['s:widget:key with space:0123456789ab', /characters outside/],
    ['a:meta.language:0123456789ab:title\u0000', /characters outside/],
    ['a::0123456789ab:title', /empty part/],
  ])('%j is not an id we export', (id, why) => {
    expect(unsafeUnitId(id)).toMatch(why);
  });
  it('accepts the ids we export', () => {
    for (const u of translated().units) expect(unsafeUnitId(u.id)).toBeNull();
  });
});

describe('a tampered file is rejected whole, naming the line, and writes nothing', () => {
  it.each(['xliff', 'csv'] as const)('%s with a "../" article id', (format) => {
    const doc = translated();
    const victim = doc.units.findIndex((u) => u.id.startsWith('a:meta.language:'));
    doc.units[victim] = { ...doc.units[victim], id: doc.units[victim].id.replace('a:meta.language:', 'a:../../../outside:') };
    const text = format === 'xliff' ? writeXliff(doc) : writeExchangeCsv(doc);
    const line = text.split(/\r?\n/).findIndex((l) => l.includes('../../../outside')) + 1;
    const before = footprint();
    let err: unknown;
    try {
      importTranslations(text, { lang: 'bdq', paths, store, format });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(new RegExp(`^line ${line}: unit id "a:\\.\\./\\.\\./\\.\\./outside:.*nothing was imported$`));
    expect(footprint()).toEqual(before);
    expect(fs.existsSync(path.join(paths.root, 'outside.md'))).toBe(false);
  });

  it('the untampered file imports (the test above fails for the id, not for the file)', () => {
    const report = importTranslations(writeXliff(translated()), { lang: 'bdq', paths, store, format: 'xliff' });
    expect(report.errors).toEqual([]);
    expect(report.accepted.length).toBeGreaterThan(0);
  });
});

describe('language codes', () => {
  it.each(['xx', '../en', 'bdq/../../x', 'BDQ', ''])('refuses %j with a clear error and writes nothing', (lang) => {
    const text = writeXliff({ ...translated(), trgLang: lang });
    const before = footprint();
    expect(() => importTranslations(text, { lang, paths, store, format: 'xliff' })).toThrow(/unknown language code/);
    expect(footprint()).toEqual(before);
  });
});

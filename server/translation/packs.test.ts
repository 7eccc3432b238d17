import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createI18n, hasOwnTranslation, translator } from '../i18n/i18n.js';
import { readFrontMatter } from './markdown-segments.js';
import {
  allPacks,
  articleStatuses,
  computeArticleStatus,
  DEFAULT_KNOWLEDGE_DIR,
  DEFAULT_LOCALES_DIR,
  listLanguages,
  MANIFEST_FILE,
  packCompleteness,
  PACK_NAMESPACES,
  profileEthnicLanguages,
  readManifest,
  sha256Hex,
  sourceStrings,
} from './packs.js';
import { tempPaths } from './test-fixtures.js';

const ROOT = path.resolve(DEFAULT_KNOWLEDGE_DIR, '..');
const ETHNIC = profileEthnicLanguages(DEFAULT_KNOWLEDGE_DIR);

describe('shipped language packs', () => {
  it('exist for every ethnic language a province offers', () => {
    expect(ETHNIC).toEqual(expect.arrayContaining(['bdq', 'sed', 'jra', 'hnj', 'blt', 'km']));
    for (const code of ETHNIC) {
      const m = readManifest(DEFAULT_LOCALES_DIR, code);
      expect(m, code).not.toBeNull();
      expect(m!.code).toBe(code);
      expect(Object.keys(m!.namespaces).sort()).toEqual([...PACK_NAMESPACES].sort());
    }
    expect(readManifest(DEFAULT_LOCALES_DIR, 'km')!.script).toBe('Khmr');
    expect(readManifest(DEFAULT_LOCALES_DIR, 'blt')!.script).toBe('Tavt');
  });

  it('ship no text in any ethnic language: manifest only, every namespace missing, no articles', () => {
    for (const code of ETHNIC) {
      expect(fs.readdirSync(path.join(DEFAULT_LOCALES_DIR, code)), code).toEqual([MANIFEST_FILE]);
      const m = readManifest(DEFAULT_LOCALES_DIR, code)!;
      expect(Object.values(m.namespaces).every((s) => s === 'missing')).toBe(true);
      expect(m.strings).toEqual({});
      expect(fs.existsSync(path.join(DEFAULT_KNOWLEDGE_DIR, 'articles', code))).toBe(false);
    }
  });

  it('list languages from the locales and articles folders, the catalogue and the province profiles', () => {
    const langs = listLanguages();
    expect(langs[0].code).toBe('vi');
    const bdq = langs.find((l) => l.code === 'bdq')!;
    expect(bdq.foundIn).toEqual(expect.arrayContaining(['catalogue', 'locales', 'profile:kon-tum']));
    expect(bdq.provinces).toEqual(['kon-tum']);
    expect(langs.find((l) => l.code === 'en')!.foundIn).toEqual(expect.arrayContaining(['articles', 'locales']));
    expect(langs.find((l) => l.code === 'km')!.provinces).toEqual(['dong-nai']);
  });

  it('report completeness: English complete, ethnic packs empty', () => {
    const packs = allPacks();
    const en = packs.find((p) => p.lang === 'en')!;
    expect(en.articles).toMatchObject({ approved: en.articles.total, stale: 0, missing: 0 });
    expect(en.strings.missing).toBe(0);
    const bdq = packs.find((p) => p.lang === 'bdq')!;
    const total = [...sourceStrings(DEFAULT_LOCALES_DIR).values()].reduce((n, m) => n + m.size, 0);
    expect(bdq.strings).toMatchObject({ total, translated: 0, missing: total });
    expect(bdq.articles).toMatchObject({ approved: 0, draft: 0, stale: 0, missing: bdq.articles.total });
  });

  it('fall back to Vietnamese for every key, and hasOwnTranslation is false', () => {
    const i18n = createI18n();
    for (const code of ETHNIC) {
      for (const ns of ['reply', 'safety', 'translation']) {
        for (const key of sourceStrings(DEFAULT_LOCALES_DIR).get(ns)!.keys()) {
          expect(hasOwnTranslation(i18n, code, key, ns)).toBe(false);
        }
      }
      expect(translator(i18n, code)('empty')).toBe(translator(i18n, 'vi')('empty'));
      expect(translator(i18n, code, 'translation')('draft_label')).toBe('Bản dịch chưa được kiểm duyệt');
    }
  });

  it('the status command prints counts per language', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/translation-status.ts', '--no-db'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^lang\s+name/);
    expect(r.stdout).toMatch(/\nbdq\s+tiếng Ba Na\s+Latn\s+0\/\d+\s+0\/45/);
    expect(r.stdout).toMatch(/\nen\s+tiếng Anh/);
  });
});

describe('article staleness', () => {
  let paths: ReturnType<typeof tempPaths>;
  afterEach(() => paths?.cleanup());

  it('computeArticleStatus: approved while the Vietnamese bytes match, stale after any edit, draft stays draft', () => {
    const vi = Buffer.from('---\nid: x.y\n---\nnội dung\n');
    const hash = sha256Hex(vi);
    expect(computeArticleStatus(vi, { status: 'approved', translation_of_hash: hash })).toBe('approved');
    expect(computeArticleStatus(vi, { translation_of_hash: hash.toUpperCase() })).toBe('approved');
    expect(computeArticleStatus(Buffer.from('---\nid: x.y\n---\nnội dung \n'), { status: 'approved', translation_of_hash: hash })).toBe('stale');
    expect(computeArticleStatus(vi, { status: 'approved' })).toBe('stale');
    expect(computeArticleStatus(null, { status: 'approved', translation_of_hash: hash })).toBe('stale');
    expect(computeArticleStatus(vi, { status: 'draft', translation_of_hash: 'nope' })).toBe('draft');
    expect(computeArticleStatus(vi.toString('utf8'), { status: 'approved', translation_of_hash: hash })).toBe('approved');
  });

  it('an English translation goes stale when its Vietnamese source is edited (temporary copy)', () => {
    paths = tempPaths({ articles: ['meta.language', 'dvc.support-points'] });
    const viFile = path.join(paths.knowledgeDir, 'articles', 'vi', 'meta.language.md');
    const enFile = path.join(paths.knowledgeDir, 'articles', 'en', 'meta.language.md');
    const fm = readFrontMatter(fs.readFileSync(enFile, 'utf8'))!;
    expect(computeArticleStatus(fs.readFileSync(viFile), fm)).toBe('approved');
    expect(articleStatuses(paths.knowledgeDir, 'en').map((a) => a.state)).toEqual(['approved', 'approved']);

    fs.appendFileSync(viFile, '- Dòng mới.\n');
    expect(computeArticleStatus(fs.readFileSync(viFile), fm)).toBe('stale');
    const pack = packCompleteness(paths, 'en');
    expect(pack.articles).toMatchObject({ total: 2, approved: 1, stale: 1 });
    expect(pack.staleArticles).toEqual(['meta.language']);
    expect(packCompleteness(paths, 'bdq').missingArticles).toEqual(['dvc.support-points', 'meta.language']);
  });
});

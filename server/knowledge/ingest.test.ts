import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config.js';
import { openDatabase } from '../db/database.js';
import { createHashedEmbedder } from '../embeddings/hashed-embedder.js';
import { ingest, IngestError } from './ingest.js';
import { KnowledgeIndex } from './knowledge-index.js';
import { readCurrentVersion } from './snapshot-paths.js';
import { tempDir } from '../test-support/temp-dir.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A small knowledge folder: the real dictionaries and profiles, and a few real articles. */
function knowledgeFixture(articles: string[]): string {
  const dir = tempDir();
  dirs.push(dir);
  for (const sub of ['dictionaries', 'provinces']) fs.cpSync(path.join(PROJECT_ROOT, 'knowledge', sub), path.join(dir, sub), { recursive: true });
  fs.mkdirSync(path.join(dir, 'articles', 'vi'), { recursive: true });
  for (const a of articles) fs.copyFileSync(path.join(PROJECT_ROOT, 'knowledge', 'articles', 'vi', `${a}.md`), path.join(dir, 'articles', 'vi', `${a}.md`));
  return dir;
}

/** Unicode → VNI (as typed in a VNI font and saved as Windows-1252), from the shipped charset table. */
function toVni(text: string): string {
  const rows = fs.readFileSync(path.join(PROJECT_ROOT, 'knowledge', 'dictionaries', 'legacy-charsets.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const map = new Map(rows.map(([uni, vni]) => [uni, vni]));
  return [...text.normalize('NFC')].map((ch) => map.get(ch) ?? ch).join('');
}

async function run(knowledgeDir: string, opts: { allowErrors?: boolean } = {}) {
  const dataDir = tempDir();
  dirs.push(dataDir);
  const db = openDatabase(path.join(dataDir, 'dvc.sqlite'));
  try {
    const report = await ingest({
      knowledgeDir, indexDir: path.join(dataDir, 'index'), db, embedder: createHashedEmbedder(256),
      officialUrl: null, seedProceduresFile: null, ...opts,
    });
    return { report, indexDir: path.join(dataDir, 'index') };
  } finally {
    db.close();
  }
}

describe('ingest', () => {
  it('repairs an article saved in the legacy VNI encoding', async () => {
    const dir = knowledgeFixture(['service.passport']);
    const original = fs.readFileSync(path.join(dir, 'articles', 'vi', 'service.passport.md'), 'utf8');
    const legacy = toVni(original);
    expect(legacy).not.toBe(original);
    fs.writeFileSync(path.join(dir, 'articles', 'vi', 'service.passport.md'), legacy);
    const { report, indexDir } = await run(dir);
    expect(report.problems).toEqual([]);
    const index = KnowledgeIndex.open(indexDir);
    expect(index.byId.get('service.passport')?.get('vi')?.title).toBe('Cấp hộ chiếu phổ thông');
    index.close();
  });

  it('rejects a broken file with a message naming it, and leaves the current index in place', async () => {
    const dir = knowledgeFixture(['service.passport', 'security.otp']);
    const first = await run(dir);
    const before = readCurrentVersion(first.indexDir);
    fs.writeFileSync(path.join(dir, 'articles', 'vi', 'service.land.md'), '---\nid: service.land\ntitle: [broken\n---\nbody');
    fs.writeFileSync(path.join(dir, 'articles', 'vi', 'dvc.payment.md'), 'Thanh to\uFFFDn l\uFFFD ph\uFFFD');
    const err = await run(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).message).toMatch(/service\.land\.md/);
    expect((err as IngestError).problems.map((p) => p.file).sort()).toEqual(['articles/vi/dvc.payment.md', 'articles/vi/service.land.md']);
    expect(readCurrentVersion(first.indexDir)).toBe(before);
  });

  it('builds from the good files with --allow-errors and reports the bad ones', async () => {
    const dir = knowledgeFixture(['service.passport']);
    fs.writeFileSync(path.join(dir, 'articles', 'vi', 'service.land.md'), 'no front matter here');
    const { report } = await run(dir, { allowErrors: true });
    expect(report.problems).toHaveLength(1);
    expect(report.build.manifest.docs).toBe(1);
  });

  it('is safe to re-run: the second run changes nothing', async () => {
    const dir = knowledgeFixture(['service.passport']);
    const dataDir = tempDir();
    dirs.push(dataDir);
    const db = openDatabase(path.join(dataDir, 'dvc.sqlite'));
    const opts = { knowledgeDir: dir, indexDir: path.join(dataDir, 'index'), db, embedder: createHashedEmbedder(256), officialUrl: null, seedProceduresFile: null };
    expect((await ingest(opts)).build.upToDate).toBe(false);
    expect((await ingest(opts)).build.upToDate).toBe(true);
    db.close();
  });
});

describe('translation staleness', () => {
  it('marks an English article stale once its Vietnamese source is edited, and stops serving it as current', async () => {
    const dir = knowledgeFixture(['service.passport']);
    fs.mkdirSync(path.join(dir, 'articles', 'en'));
    fs.copyFileSync(path.join(PROJECT_ROOT, 'knowledge', 'articles', 'en', 'service.passport.md'), path.join(dir, 'articles', 'en', 'service.passport.md'));
    const fresh = await run(dir);
    let index = KnowledgeIndex.open(fresh.indexDir);
    expect(index.byId.get('service.passport')?.get('en')?.status).toBe('approved');
    index.close();
    const viFile = path.join(dir, 'articles', 'vi', 'service.passport.md');
    fs.writeFileSync(viFile, fs.readFileSync(viFile, 'utf8').replace('## Lưu ý', '## Lưu ý\n- Mang theo ảnh chân dung.'));
    const edited = await run(dir);
    index = KnowledgeIndex.open(edited.indexDir);
    expect(index.byId.get('service.passport')?.get('en')?.status).toBe('stale');
    index.close();
  });
});

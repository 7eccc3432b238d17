import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildIndex } from './index-builder.js';
import { KnowledgeIndex } from './knowledge-index.js';
import { readCurrentVersion } from './snapshot-paths.js';
import { createHashedEmbedder } from '../embeddings/hashed-embedder.js';
import type { Embedder } from '../embeddings/embedder.js';
import type { KnowledgeDoc } from './types.js';
import { tempDir } from '../test-support/temp-dir.js';
import { createIndexHolder } from './index-holder.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function doc(id: string, title: string, body: string): KnowledgeDoc {
  return {
    id, kind: 'article', lang: 'vi', title, topics: [id], summary: `${title}. Tóm tắt ngắn gọn.`, keywords: [], aliases: [],
    sections: [{ heading: 'Các bước', text: body }], sources: [{ title: 'test' }], updated: '2026-01-01', verify: false,
    url: null, status: 'source', file: null, contentHash: `${id}:${title}:${body}`,
  };
}

const docs = [
  doc('service.birth-registration', 'Đăng ký khai sinh', '1. Đăng nhập.\n2. Chọn thủ tục khai sinh.'),
  doc('service.passport', 'Cấp hộ chiếu phổ thông', '1. Chụp ảnh.\n2. Nộp tờ khai hộ chiếu.'),
  doc('security.otp', 'Không chia sẻ mã OTP', '1. Không đọc mã OTP cho ai.'),
];

/** Counts how many passages an embedder was asked to embed. */
function counting(e: Embedder) {
  const counter = { passages: 0 };
  const wrapped: Embedder = { ...e, id: e.id, dimension: e.dimension, embedQueries: (t) => e.embedQueries(t), embedPassages: (t) => ((counter.passages += t.length), e.embedPassages(t)) };
  return { wrapped, counter };
}

describe('buildIndex', () => {
  it('builds a snapshot that lexical and vector search can read', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const embedder = createHashedEmbedder(256);
    const r = await buildIndex({ indexDir: dir, docs, embedder });
    expect(r.upToDate).toBe(false);
    const index = KnowledgeIndex.open(dir);
    expect(index.docs.size).toBe(3);
    const lex = index.lexicalSearch('{title folded} : ("ho" OR "chieu")', 5);
    expect(index.docs.get(lex[0].docRowid)!.id).toBe('service.passport');
    const [v] = await embedder.withIdf(index.idf).embedQueries(['ma otp']);
    expect(index.docs.get(index.vectorSearch(v, 3)[0].docRowid)!.id).toBe('security.otp');
    index.close();
  });

  it('is incremental: unchanged chunks keep their vectors, an unchanged corpus is not rebuilt', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const { wrapped, counter } = counting(createHashedEmbedder(256));
    await buildIndex({ indexDir: dir, docs, embedder: wrapped });
    const first = counter.passages;
    expect(first).toBeGreaterThan(0);
    expect((await buildIndex({ indexDir: dir, docs, embedder: wrapped })).upToDate).toBe(true);
    expect(counter.passages).toBe(first);
    const changed = [...docs.slice(0, 2), doc('security.otp', 'Không chia sẻ mã OTP', '1. Không đọc mã OTP cho bất kỳ ai.')];
    const r = await buildIndex({ indexDir: dir, docs: changed, embedder: wrapped });
    expect(r.upToDate).toBe(false);
    // Only the edited section is embedded again (the overview chunk and the other docs are reused).
    expect(counter.passages - first).toBe(1);
    expect(r.manifest.reusedEmbeddings).toBe(r.manifest.chunks - 1);
  });

  it('never moves CURRENT to a half-built index: a failing build leaves the old one in place', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const embedder = createHashedEmbedder(256);
    await buildIndex({ indexDir: dir, docs, embedder });
    const before = readCurrentVersion(dir);
    const failing: Embedder = { ...embedder, id: embedder.id, dimension: 256, embedQueries: embedder.embedQueries, embedPassages: async () => { throw new Error('boom'); } };
    await expect(buildIndex({ indexDir: dir, docs: [doc('x.y', 'Mới', 'nội dung mới')], embedder: failing })).rejects.toThrow('boom');
    expect(readCurrentVersion(dir)).toBe(before);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    expect(KnowledgeIndex.open(dir).docs.size).toBe(3);
  });

  it('refuses to serve an index built by another embedder', async () => {
    const dir = tempDir();
    dirs.push(dir);
    await buildIndex({ indexDir: dir, docs, embedder: createHashedEmbedder(256) });
    const log = { info: () => {}, error: () => {} };
    expect(() => createIndexHolder(dir, createHashedEmbedder(512), log)).toThrow(/built with embedder/);
  });

  it('a running holder swaps to a new snapshot when CURRENT moves', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const embedder = createHashedEmbedder(256);
    await buildIndex({ indexDir: dir, docs, embedder });
    const holder = createIndexHolder(dir, embedder, { info: () => {}, error: () => {} });
    const v1 = holder.get().index.version;
    await buildIndex({ indexDir: dir, docs: [...docs, doc('service.land', 'Đất đai', '1. Nộp hồ sơ đất.')], embedder });
    holder.reloadNow();
    expect(holder.get().index.version).not.toBe(v1);
    expect(holder.get().index.docs.size).toBe(4);
    holder.close();
  });

  it('refuses to build from nothing', async () => {
    const dir = tempDir();
    dirs.push(dir);
    await expect(buildIndex({ indexDir: dir, docs: [], embedder: createHashedEmbedder(64) })).rejects.toThrow(/nothing to index/);
  });
});

import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config.js';
import { readEvalSet } from '../../eval/eval-set.js';
import { listOwnSets } from '../../eval/set-files.js';
import { createEmbedder } from '../embeddings/create-embedder.js';
import { ingest } from '../knowledge/ingest.js';
import { KnowledgeIndex } from '../knowledge/knowledge-index.js';
import { snapshotDir } from '../knowledge/snapshot-paths.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { createThreadChunkSearch, searchInline, type ChunkSearchRequest } from './chunk-search.js';
import { ftsQuery, analyseQuery } from './query-analysis.js';
import { loadLexicon } from './lexicon.js';
import { DEFAULT_RETRIEVER_SETTINGS } from './hybrid-retriever.js';

let t: TempAssistant;
beforeAll(async () => {
  t = await createTempAssistant({ SEARCH_THREAD: 'off' });
});
afterAll(() => t.cleanup());

function captureLog() {
  const lines: Array<Record<string, unknown>> = [];
  return { log: pino({ level: 'warn' }, { write: (s: string) => void lines.push(JSON.parse(s)) }), lines };
}

async function requestsFor(questions: string[]): Promise<ChunkSearchRequest[]> {
  const { index, embedder, correct } = t.assistant.indexHolder.get();
  const lexicon = loadLexicon(t.config.knowledgeDir);
  const out: ChunkSearchRequest[] = [];
  for (const text of questions) {
    const q = analyseQuery(text, lexicon, { lang: 'vi', vocab: index.vocab, correct });
    const [vector] = await embedder.embedQueries([q.embedText]);
    out.push({ match: ftsQuery(q, (w) => (index.vocab.get(w) ?? 0) / index.manifest.chunks), lexicalLimit: DEFAULT_RETRIEVER_SETTINGS.lexicalLimit, vector, vectorLimit: DEFAULT_RETRIEVER_SETTINGS.vectorLimit });
  }
  return out;
}

const strip = (r: { lexical: unknown; vector: unknown }) => ({ lexical: r.lexical, vector: r.vector });

describe('searching on a worker thread', () => {
  it('finds exactly what the inline search finds, for every question of the evaluation sets, many at a time', async () => {
    const questions = listOwnSets(path.join(PROJECT_ROOT, 'eval', 'sets')).flatMap((s) => readEvalSet(s.file).map((i) => i.q));
    const requests = await requestsFor(questions);
    const { index } = t.assistant.indexHolder.get();
    const search = createThreadChunkSearch({ log: captureLog().log });
    try {
      const threaded = await Promise.all(requests.map((r) => search.search(index, r)));
      expect(threaded.every((r) => r.ran === 'thread')).toBe(true);
      threaded.forEach((r, i) => expect(strip(r), questions[i]).toEqual(strip(searchInline(index, requests[i]))));
      expect(threaded.filter((r) => r.lexical.length > 0).length).toBeGreaterThan(questions.length * 0.9);
    } finally {
      await search.close();
    }
  });

  it('serves the old and the new snapshot side by side while an index swap is under way', async () => {
    const { index: before } = t.assistant.indexHolder.get();
    const embedder = await createEmbedder(t.config.embedder);
    const report = await ingest({ knowledgeDir: t.config.knowledgeDir, indexDir: t.config.indexDir, db: t.assistant.db, embedder, officialUrl: null, seedProceduresFile: null, force: true });
    expect(report.build.manifest.version).not.toBe(before.version);
    const after = KnowledgeIndex.open(t.config.indexDir, report.build.manifest.version);
    const [req] = await requestsFor(['đăng ký khai sinh cho con']);
    const search = createThreadChunkSearch({ log: captureLog().log });
    try {
      const [a, b] = await Promise.all([search.search(before, req), search.search(after, req)]);
      expect(a.ran).toBe('thread');
      expect(b.ran).toBe('thread');
      expect(strip(a)).toEqual(strip(searchInline(before, req)));
      expect(strip(b)).toEqual(strip(searchInline(after, req)));
    } finally {
      await search.close();
      after.close();
    }
  });

  it('searches inline, with a warning, when the thread cannot open a snapshot', async () => {
    const { index } = t.assistant.indexHolder.get();
    const [req] = await requestsFor(['đổi giấy phép lái xe qua mạng']);
    // A snapshot whose files vanished from disk (the loaded index still has them in memory).
    const moved = Object.create(index, { version: { value: 'gone-0001' }, files: { value: { database: path.join(snapshotDir(t.config.indexDir, 'gone-0001'), 'knowledge.sqlite'), vectors: '/nonexistent/vectors.hnsw' } } }) as KnowledgeIndex;
    const { log, lines } = captureLog();
    const search = createThreadChunkSearch({ log });
    try {
      const r = await search.search(moved, req);
      expect(r.ran).toBe('inline');
      expect(strip(r)).toEqual(strip(searchInline(index, req)));
      expect(lines.some((l) => String(l.msg).includes('searching inline'))).toBe(true);
      // The thread itself is still up for good snapshots.
      expect((await search.search(index, req)).ran).toBe('thread');
    } finally {
      await search.close();
    }
  });

  it('answers every pending search inline when the thread dies, and starts it again later', async () => {
    const { index } = t.assistant.indexHolder.get();
    const requests = await requestsFor(['quên mật khẩu vneid', 'nộp hồ sơ trực tuyến ở đâu']);
    const { log, lines } = captureLog();
    // A thread with almost no heap dies while loading the index: the searches already sent must still be answered.
    const search = createThreadChunkSearch({ log, restartAfterMs: 200, resourceLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 } });
    try {
      const results = await Promise.all(requests.map((r) => search.search(index, r)));
      expect(results.map((r) => r.ran)).toEqual(['inline', 'inline']);
      results.forEach((r, i) => expect(strip(r)).toEqual(strip(searchInline(index, requests[i]))));
      expect(lines.some((l) => String(l.msg).includes('search thread stopped'))).toBe(true);
      // Within the back-off the thread is not restarted...
      expect((await search.search(index, requests[0])).ran).toBe('inline');
      expect(lines.filter((l) => String(l.msg).includes('search thread stopped'))).toHaveLength(1);
      // ...after it, it is (and this one, with the same tiny heap, dies again; the answer still comes).
      await new Promise((r) => setTimeout(r, 250));
      expect((await search.search(index, requests[1])).ran).toBe('inline');
      expect(lines.filter((l) => String(l.msg).includes('search thread stopped'))).toHaveLength(2);
    } finally {
      await search.close();
    }
  });

  it('refuses a query vector of the wrong size before sending it', async () => {
    const { index } = t.assistant.indexHolder.get();
    const search = createThreadChunkSearch({ log: captureLog().log });
    try {
      await expect(search.search(index, { match: '', lexicalLimit: 10, vector: new Float32Array(7), vectorLimit: 5 })).rejects.toThrow(/7 dimensions/);
    } finally {
      await search.close();
    }
  });

  it('runs inline once closed', async () => {
    const { index } = t.assistant.indexHolder.get();
    const [req] = await requestsFor(['lệ phí cấp căn cước']);
    const search = createThreadChunkSearch({ log: captureLog().log });
    await search.close();
    expect((await search.search(index, req)).ran).toBe('inline');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import hnswlib from 'hnswlib-node';
import type { Embedder } from '../embeddings/embedder.js';
import type { KnowledgeDoc } from './types.js';
import { chunkDoc, type Chunk } from './chunking.js';
import { sha256 } from './hash.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_SCHEMA, type SnapshotManifest } from './snapshot-schema.js';
import { readCurrentManifest, snapshotDir, CURRENT_FILE } from './snapshot-paths.js';
import { fileChecksum, SNAPSHOT_FILES, verifySnapshot } from './snapshot-verify.js';
import { foldDiacritics, tokenize } from '../text/normalise.js';
import { idfFromCounts, type HashedEmbedder } from '../embeddings/hashed-embedder.js';

/** Adjacent word pairs as single tokens ("khai_sinh dang_ky …") for the FTS `pairs` column. */
export function wordPairs(folded: string): string {
  const words = tokenize(folded);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) pairs.push(`${words[i]}_${words[i + 1]}`);
  return pairs.join(' ');
}

export interface BuildProgress {
  phase: 'embed' | 'write';
  done: number;
  total: number;
}

export interface BuildOptions {
  indexDir: string;
  docs: KnowledgeDoc[];
  embedder: Embedder;
  onProgress?: (p: BuildProgress) => void;
  /** Rebuild even when the content hash matches the current snapshot. */
  force?: boolean;
  batchSize?: number;
}

export type BuildResult =
  | { upToDate: true; manifest: SnapshotManifest }
  /** `damaged`: the current snapshot's files were not as built, so it was rebuilt (why). */
  | { upToDate: false; manifest: SnapshotManifest; dir: string; damaged?: string };

function contentHashOf(docs: KnowledgeDoc[], embedderId: string): string {
  const parts = docs.map((d) => `${d.id}|${d.lang}|${d.contentHash}|${d.topics.join(',')}|${d.status}|${(d.variants ?? []).map((v) => `${v.recordId}:${v.province ?? ''}:${v.level}`).join(',')}`).sort();
  return sha256([`format=${SNAPSHOT_FORMAT}`, `embedder=${embedderId}`, ...parts].join('\n'));
}

function isHashed(e: Embedder): e is HashedEmbedder {
  return typeof (e as HashedEmbedder).bucketsOf === 'function';
}

/** Vectors of the current snapshot by chunk hash, reused when the embedder is the same. */
function previousEmbeddings(indexDir: string, embedderId: string): Map<string, Buffer> {
  const current = readCurrentManifest(indexDir);
  const reuse = new Map<string, Buffer>();
  if (!current || current.embedderId !== embedderId || current.format !== SNAPSHOT_FORMAT) return reuse;
  const file = path.join(snapshotDir(indexDir, current.version), 'knowledge.sqlite');
  if (!fs.existsSync(file)) return reuse;
  const db = new Database(file, { readonly: true });
  try {
    for (const row of db.prepare('SELECT hash, embedding FROM chunks').iterate() as Iterable<{ hash: string; embedding: Buffer }>) {
      reuse.set(row.hash, row.embedding);
    }
  } finally {
    db.close();
  }
  return reuse;
}

function validateDocs(docs: KnowledgeDoc[]): void {
  if (docs.length === 0) throw new Error('There is nothing to index: no articles and no procedure records were found');
}

/**
 * Builds a new snapshot in a temporary folder and switches the CURRENT pointer to it with an
 * atomic rename, so a running server only ever sees a complete index.
 */
export async function buildIndex(opts: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  validateDocs(opts.docs);
  const { embedder } = opts;
  const contentHash = contentHashOf(opts.docs, embedder.id);
  const current = readCurrentManifest(opts.indexDir);
  // Same sources is not enough: the files must still be the ones that were built.
  const damaged = current ? verifySnapshot(opts.indexDir, current) : null;
  if (!opts.force && current && current.format === SNAPSHOT_FORMAT && current.contentHash === contentHash && !damaged) {
    return { upToDate: true, manifest: current };
  }

  // Vectors are reused only from a snapshot whose files are intact.
  const reuse = damaged ? new Map<string, Buffer>() : previousEmbeddings(opts.indexDir, embedder.id);
  const version = `${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${contentHash.slice(0, 8)}`;
  fs.mkdirSync(opts.indexDir, { recursive: true });
  const tmpDir = path.join(opts.indexDir, `.tmp-${version}-${process.pid}`);
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir);

  try {
    const chunked: Array<{ docIndex: number; chunk: Chunk }> = [];
    opts.docs.forEach((doc, docIndex) => chunkDoc(doc).forEach((chunk) => chunked.push({ docIndex, chunk })));

    const vectors: Float32Array[] = new Array(chunked.length);
    const missing: number[] = [];
    chunked.forEach(({ chunk }, i) => {
      const old = reuse.get(chunk.hash);
      if (old && old.byteLength === embedder.dimension * 4) {
        vectors[i] = new Float32Array(old.buffer.slice(old.byteOffset, old.byteOffset + old.byteLength));
      } else missing.push(i);
    });
    const batch = opts.batchSize ?? 32;
    for (let start = 0; start < missing.length; start += batch) {
      const ids = missing.slice(start, start + batch);
      const out = await embedder.embedPassages(ids.map((i) => chunked[i].chunk.text));
      ids.forEach((idx, j) => {
        if (out[j].length !== embedder.dimension) throw new Error(`Embedder returned ${out[j].length} dimensions, expected ${embedder.dimension}`);
        vectors[idx] = out[j];
      });
      opts.onProgress?.({ phase: 'embed', done: Math.min(start + batch, missing.length), total: missing.length });
    }

    const db = new Database(path.join(tmpDir, 'knowledge.sqlite'));
    db.exec(SNAPSHOT_SCHEMA);
    const insertDoc = db.prepare(`INSERT INTO docs (rowid, id, lang, kind, title, topics, summary, keywords, aliases, sections, sources, updated, verify, url, status, file, content_hash)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insertChunk = db.prepare('INSERT INTO chunks (rowid, doc_rowid, section_index, heading, text, folded, hash, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const insertFts = db.prepare('INSERT INTO chunks_fts (rowid, title, exact, folded, pairs) VALUES (?, ?, ?, ?, ?)');
    const vocab = new Map<string, number>();
    const bucketCounts = new Uint32Array(embedder.dimension);

    db.transaction(() => {
      opts.docs.forEach((d, i) => {
        insertDoc.run(i + 1, d.id, d.lang, d.kind, d.title, JSON.stringify(d.topics), d.summary, JSON.stringify(d.keywords), JSON.stringify(d.aliases),
          JSON.stringify(d.sections), JSON.stringify(d.sources), d.updated, d.verify ? 1 : 0, d.url, d.status, d.file, d.contentHash);
      });
      chunked.forEach(({ docIndex, chunk }, i) => {
        const doc = opts.docs[docIndex];
        const v = vectors[i];
        insertChunk.run(i + 1, docIndex + 1, chunk.sectionIndex, chunk.heading, chunk.text, chunk.folded, chunk.hash, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
        const lowerTitle = doc.title.toLowerCase();
        insertFts.run(i + 1, `${lowerTitle} ${foldDiacritics(lowerTitle)}`, chunk.text.toLowerCase(), chunk.folded, wordPairs(chunk.folded));
        for (const t of tokenize(chunk.folded)) vocab.set(t, (vocab.get(t) ?? 0) + 1);
        if (isHashed(embedder)) for (const b of embedder.bucketsOf(chunk.text)) bucketCounts[b]++;
        if (i % 200 === 0) opts.onProgress?.({ phase: 'write', done: i, total: chunked.length });
      });
      writeVariants(db, opts.docs);
      const insertVocab = db.prepare('INSERT INTO vocab (token, freq) VALUES (?, ?)');
      for (const [t, f] of vocab) insertVocab.run(t, f);
      const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      meta.run('embedder_id', embedder.id);
      meta.run('version', version);
      if (isHashed(embedder)) {
        const idf = idfFromCounts(bucketCounts, chunked.length);
        meta.run('idf', Buffer.from(idf.buffer).toString('base64'));
      }
    })();
    db.exec("INSERT INTO chunks_fts(chunks_fts) VALUES('optimize')");
    db.close();

    const hnsw = new hnswlib.HierarchicalNSW('cosine', embedder.dimension);
    hnsw.initIndex(Math.max(chunked.length, 1), 16, 200, 42);
    vectors.forEach((v, i) => hnsw.addPoint(Array.from(v), i + 1));
    await hnsw.writeIndex(path.join(tmpDir, 'vectors.hnsw'));
    opts.onProgress?.({ phase: 'write', done: chunked.length, total: chunked.length });

    const manifest: SnapshotManifest = {
      format: SNAPSHOT_FORMAT,
      version,
      embedderId: embedder.id,
      dimension: embedder.dimension,
      contentHash,
      builtAt: new Date().toISOString(),
      docs: opts.docs.length,
      chunks: chunked.length,
      variants: opts.docs.reduce((n, d) => n + (d.variants?.length ?? 0), 0),
      reusedEmbeddings: chunked.length - missing.length,
      buildMs: Math.round(performance.now() - started),
      files: Object.fromEntries(SNAPSHOT_FILES.map((name) => [name, fileChecksum(path.join(tmpDir, name))])),
    };
    fs.writeFileSync(path.join(tmpDir, 'manifest.json'), JSON.stringify(manifest, null, 2));

    const finalDir = snapshotDir(opts.indexDir, version);
    fs.renameSync(tmpDir, finalDir);
    const pointerTmp = path.join(opts.indexDir, `${CURRENT_FILE}.${process.pid}.tmp`);
    fs.writeFileSync(pointerTmp, version);
    fs.renameSync(pointerTmp, path.join(opts.indexDir, CURRENT_FILE));
    pruneSnapshots(opts.indexDir, [version, current?.version].filter((v): v is string => Boolean(v)));
    return { upToDate: false, manifest, dir: finalDir, ...(damaged && current?.files ? { damaged } : {}) };
  } catch (err) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw err;
  }
}

/** Variant rows, with each distinct section text stored once. */
function writeVariants(db: Database.Database, docs: KnowledgeDoc[]): void {
  const insertText = db.prepare('INSERT OR IGNORE INTO texts (hash, text) VALUES (?, ?)');
  const insertVariant = db.prepare(`INSERT INTO variants (rowid, id, doc_rowid, province, level, title, summary, sections, sources, updated, url, content_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertFts = db.prepare('INSERT INTO variants_fts (rowid, title) VALUES (?, ?)');
  const written = new Set<string>();
  let rowid = 0;
  docs.forEach((d, i) => {
    for (const v of d.variants ?? []) {
      const sections = v.doc.sections.map((s) => {
        const hash = sha256(s.text).slice(0, 32);
        if (!written.has(hash)) {
          insertText.run(hash, s.text);
          written.add(hash);
        }
        return [s.heading, hash];
      });
      rowid++;
      insertVariant.run(rowid, v.recordId, i + 1, v.province, v.level, v.doc.title, v.doc.summary, JSON.stringify(sections), JSON.stringify(v.doc.sources), v.doc.updated, v.doc.url, v.doc.contentHash);
      const lower = v.doc.title.toLowerCase();
      insertFts.run(rowid, `${lower} ${foldDiacritics(lower)}`);
    }
  });
}

/** Keeps the new and the previous snapshot (a server may still be reading the previous one). */
function pruneSnapshots(indexDir: string, keep: string[]): void {
  for (const name of fs.readdirSync(indexDir)) {
    const full = path.join(indexDir, name);
    if (name === CURRENT_FILE || keep.includes(name) || !fs.statSync(full).isDirectory() || name.startsWith('.tmp-')) continue;
    fs.rmSync(full, { recursive: true, force: true });
  }
}

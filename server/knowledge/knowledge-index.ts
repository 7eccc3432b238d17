import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import hnswlib from 'hnswlib-node';
import type { KnowledgeDoc } from './types.js';
import type { ProcedureScope } from './procedure-scope.js';
import { SNAPSHOT_FORMAT, type SnapshotManifest } from './snapshot-schema.js';
import { readCurrentVersion, snapshotDir } from './snapshot-paths.js';

export interface ChunkHit {
  chunkId: number;
  docRowid: number;
  sectionIndex: number;
  score: number;
}

export interface IndexedDoc extends KnowledgeDoc {
  rowid: number;
}

/** Where a procedure record applies; its document is read from the snapshot when it is shown. */
export interface VariantMeta {
  rowid: number;
  id: string;
  docRowid: number;
  province: string | null;
  level: string;
}

/** Variant documents kept in memory: enough for the procedures asked about at once, bounded. */
const VARIANT_CACHE_SIZE = 512;

/** BM25 over FTS5; column weights: title, exact text (diacritics kept), folded text, word pairs. */
export const LEXICAL_SEARCH_SQL = 'SELECT rowid, bm25(chunks_fts, 2.0, 1.5, 1.0, 1.0) AS rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?';
/** hnswlib search breadth: recall 0.99 of exact search on this corpus; lower values lose recall (docs/decisions/0008). */
export const VECTOR_SEARCH_EF = 64;

/** The files of a snapshot that searching reads (also opened by the search thread). */
export interface SnapshotFiles {
  database: string;
  vectors: string;
}

export function snapshotFiles(dir: string): SnapshotFiles {
  return { database: path.join(dir, 'knowledge.sqlite'), vectors: path.join(dir, 'vectors.hnsw') };
}

/** A loaded, read-only knowledge snapshot: documents in memory, FTS5 and hnswlib for search. */
export class KnowledgeIndex {
  readonly docs = new Map<number, IndexedDoc>();
  /** id → lang → doc */
  readonly byId = new Map<string, Map<string, IndexedDoc>>();
  readonly vocab = new Map<string, number>();
  readonly idf: Float32Array | null;
  private readonly ftsStmt: Database.Statement;
  /** Where each chunk belongs, by chunk id: kept in memory so searches need no join. */
  private readonly chunkDoc = new Map<number, { docRowid: number; sectionIndex: number }>();
  /** Procedure records by their procedure document, and by record id. */
  readonly variantsOf = new Map<number, VariantMeta[]>();
  readonly variantById = new Map<string, VariantMeta>();
  private readonly variantByRowid = new Map<number, VariantMeta>();
  private readonly variantCache = new Map<number, IndexedDoc>();
  private variantStmt?: Database.Statement;
  private textStmt?: Database.Statement;

  private constructor(
    readonly manifest: SnapshotManifest,
    readonly files: SnapshotFiles,
    private readonly db: Database.Database,
    private readonly hnsw: hnswlib.HierarchicalNSW,
  ) {
    for (const r of db.prepare('SELECT * FROM docs').all() as Array<Record<string, unknown>>) {
      const doc: IndexedDoc = {
        rowid: r.rowid as number,
        id: r.id as string,
        kind: r.kind as KnowledgeDoc['kind'],
        lang: r.lang as string,
        title: r.title as string,
        topics: JSON.parse(r.topics as string),
        summary: r.summary as string,
        keywords: JSON.parse(r.keywords as string),
        aliases: JSON.parse(r.aliases as string),
        sections: JSON.parse(r.sections as string),
        sources: JSON.parse(r.sources as string),
        updated: (r.updated as string | null) ?? null,
        verify: r.verify === 1,
        url: (r.url as string | null) ?? null,
        status: r.status as KnowledgeDoc['status'],
        file: (r.file as string | null) ?? null,
        contentHash: r.content_hash as string,
      };
      this.docs.set(doc.rowid, doc);
      let langs = this.byId.get(doc.id);
      if (!langs) this.byId.set(doc.id, (langs = new Map()));
      langs.set(doc.lang, doc);
    }
    for (const r of db.prepare('SELECT token, freq FROM vocab').all() as Array<{ token: string; freq: number }>) this.vocab.set(r.token, r.freq);
    const idfRow = db.prepare("SELECT value FROM meta WHERE key = 'idf'").get() as { value: string } | undefined;
    if (idfRow) {
      const buf = Buffer.from(idfRow.value, 'base64');
      this.idf = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    } else this.idf = null;
    for (const r of db.prepare('SELECT rowid, doc_rowid AS docRowid, section_index AS sectionIndex FROM chunks').all() as Array<{ rowid: number; docRowid: number; sectionIndex: number }>) {
      this.chunkDoc.set(r.rowid, { docRowid: r.docRowid, sectionIndex: r.sectionIndex });
    }
    for (const r of db.prepare('SELECT rowid, id, doc_rowid AS docRowid, province, level FROM variants ORDER BY rowid').all() as VariantMeta[]) {
      const list = this.variantsOf.get(r.docRowid);
      if (list) list.push(r);
      else this.variantsOf.set(r.docRowid, [r]);
      this.variantById.set(r.id, r);
      this.variantByRowid.set(r.rowid, r);
    }
    this.ftsStmt = db.prepare(LEXICAL_SEARCH_SQL).raw(true);
  }

  /** Whether a question asked in `scope` may be answered from this document: an article, or a procedure with a record there or a national one. */
  eligible(docRowid: number, scope: ProcedureScope): boolean {
    const variants = this.variantsOf.get(docRowid);
    if (!variants) return true;
    return variants.some((v) => v.province === null || scope.provinces.includes(v.province));
  }

  /**
   * The record of a procedure to show in `scope`: the province's own (by level preference), else a
   * national one. Keeps the procedure's id, so follow-ups and citations name the procedure. Null
   * when the procedure has no record for this province and no national one.
   */
  variantFor(doc: IndexedDoc, scope: ProcedureScope): IndexedDoc | null {
    const variants = this.variantsOf.get(doc.rowid);
    if (!variants) return doc;
    const rank = (v: VariantMeta) => {
      const place = v.province === null ? scope.provinces.length : scope.provinces.indexOf(v.province);
      if (place === -1) return Infinity;
      const level = scope.levelOrder.indexOf(v.level);
      return place * 100 + (level === -1 ? scope.levelOrder.length : level);
    };
    let best: VariantMeta | null = null;
    for (const v of variants) if (rank(v) < (best ? rank(best) : Infinity)) best = v;
    if (!best) return null;
    if (best.id === doc.id) return doc;
    return this.variantDoc(best, doc);
  }

  /** A record's document as shown (title with its province, its own agency and sections). */
  variantDoc(meta: VariantMeta, procedure: IndexedDoc = this.docs.get(meta.docRowid)!): IndexedDoc {
    const cached = this.variantCache.get(meta.rowid);
    if (cached) {
      // Least recently used goes first.
      this.variantCache.delete(meta.rowid);
      this.variantCache.set(meta.rowid, cached);
      return cached;
    }
    this.variantStmt ??= this.db.prepare('SELECT title, summary, sections, sources, updated, url, content_hash FROM variants WHERE rowid = ?');
    this.textStmt ??= this.db.prepare('SELECT text FROM texts WHERE hash = ?');
    const row = this.variantStmt.get(meta.rowid) as { title: string; summary: string; sections: string; sources: string; updated: string | null; url: string | null; content_hash: string };
    const sections = (JSON.parse(row.sections) as Array<[string, string]>).map(([heading, hash]) => ({ heading, text: (this.textStmt!.get(hash) as { text: string } | undefined)?.text ?? '' }));
    const doc: IndexedDoc = {
      ...procedure,
      title: row.title,
      summary: row.summary,
      sections,
      sources: JSON.parse(row.sources),
      updated: row.updated,
      url: row.url,
      contentHash: row.content_hash,
      variantOf: { recordId: meta.id, province: meta.province, level: meta.level },
    };
    this.variantCache.set(meta.rowid, doc);
    if (this.variantCache.size > VARIANT_CACHE_SIZE) this.variantCache.delete(this.variantCache.keys().next().value!);
    return doc;
  }

  /** Records whose title matches an FTS5 expression over folded titles (the staff lookup). */
  searchVariantTitles(match: string, limit: number): VariantMeta[] {
    const rows = this.db.prepare('SELECT rowid FROM variants_fts WHERE variants_fts MATCH ? ORDER BY rank LIMIT ?').all(match, limit) as Array<{ rowid: number }>;
    return rows.map((r) => this.variantByRowid.get(r.rowid)).filter((v): v is VariantMeta => v !== undefined);
  }

  /**
   * Computes now what the first question would otherwise compute: the corpus-wide word and word
   * pair sets. Called before the index is reported ready.
   */
  warm(tokenize: (s: string) => string[]): void {
    this.knownExactToken('', tokenize);
    this.knownBigram('');
    for (const rowid of this.docs.keys()) this.docTokens(rowid, tokenize);
  }

  static open(indexDir: string, version = readCurrentVersion(indexDir)): KnowledgeIndex {
    if (!version) throw new Error(`No knowledge index in ${indexDir}: run "npm run ingest"`);
    const dir = snapshotDir(indexDir, version);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as SnapshotManifest;
    if (manifest.format !== SNAPSHOT_FORMAT) throw new Error(`Index ${version} has format ${manifest.format}, expected ${SNAPSHOT_FORMAT}: run "npm run ingest"`);
    const files = snapshotFiles(dir);
    const db = new Database(files.database, { readonly: true, fileMustExist: true });
    const hnsw = new hnswlib.HierarchicalNSW('cosine', manifest.dimension);
    hnsw.readIndexSync(files.vectors);
    hnsw.setEf(VECTOR_SEARCH_EF);
    return new KnowledgeIndex(manifest, files, db, hnsw);
  }

  get version(): string {
    return this.manifest.version;
  }

  /** BM25 over FTS5. `match` is an FTS5 query expression built by the caller. Higher score = better. */
  lexicalSearch(match: string, limit: number): ChunkHit[] {
    if (!match) return [];
    return this.lexicalHits(this.ftsStmt.all(match, limit) as Array<[number, number]>);
  }

  /** FTS rows `[chunk id, bm25 rank]` (from here or the search thread) as hits. */
  lexicalHits(rows: Array<[number, number]>): ChunkHit[] {
    return rows.map(([chunkId, rank]) => ({ chunkId, ...this.chunkPlace(chunkId), score: -rank }));
  }

  vectorSearch(vector: Float32Array, k: number): ChunkHit[] {
    this.checkDimension(vector);
    const n = Math.min(k, this.hnsw.getCurrentCount());
    if (n === 0) return [];
    const res = this.hnsw.searchKnn(Array.from(vector), n);
    return this.vectorHits(res.neighbors, res.distances);
  }

  /** hnswlib neighbours and cosine distances (from here or the search thread) as hits. */
  vectorHits(neighbors: number[], distances: number[]): ChunkHit[] {
    return neighbors.map((label, i) => ({ chunkId: label, ...this.chunkPlace(label), score: 1 - distances[i] }));
  }

  checkDimension(vector: Float32Array): void {
    if (vector.length !== this.manifest.dimension) {
      throw new Error(`Query vector has ${vector.length} dimensions but index ${this.version} was built with ${this.manifest.embedderId} (${this.manifest.dimension})`);
    }
  }

  private chunkPlace(chunkId: number): { docRowid: number; sectionIndex: number } {
    const place = this.chunkDoc.get(chunkId);
    if (!place) throw new Error(`Index ${this.version} is inconsistent: chunk ${chunkId} is searchable but not stored`);
    return place;
  }

  private docTokenCache = new Map<number, Set<string>>();
  private docTextStmt?: Database.Statement;

  /** Folded tokens of all a doc's chunks, for measuring how much of a question the doc covers. */
  docFoldedText(docRowid: number): string {
    this.docTextStmt ??= this.db.prepare("SELECT group_concat(folded, ' ') AS t FROM chunks WHERE doc_rowid = ?");
    return ((this.docTextStmt.get(docRowid) as { t: string | null }).t ?? '');
  }

  private docWordsCache = new Map<number, string>();

  /** The doc's folded text as space-separated words (punctuation dropped), for phrase checks. */
  docFoldedWords(docRowid: number): string {
    let words = this.docWordsCache.get(docRowid);
    if (words === undefined) {
      words = (this.docFoldedText(docRowid).match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
      this.docWordsCache.set(docRowid, words);
    }
    return words;
  }

  private docExactCache = new Map<number, Set<string>>();
  private corpusExact?: Set<string>;
  private docExactStmt?: Database.Statement;

  /** The doc's words as written (lower-case, diacritics kept). */
  docExactTokens(docRowid: number, tokenize: (s: string) => string[]): Set<string> {
    let set = this.docExactCache.get(docRowid);
    if (!set) {
      this.docExactStmt ??= this.db.prepare("SELECT group_concat(text, ' ') AS t FROM chunks WHERE doc_rowid = ?");
      set = new Set(tokenize(((this.docExactStmt.get(docRowid) as { t: string | null }).t ?? '').normalize('NFC').toLowerCase()));
      this.docExactCache.set(docRowid, set);
    }
    return set;
  }

  /** Whether the knowledge base uses this word, spelled exactly so. */
  knownExactToken(word: string, tokenize: (s: string) => string[]): boolean {
    if (!this.corpusExact) {
      this.corpusExact = new Set();
      for (const rowid of this.docs.keys()) for (const w of this.docExactTokens(rowid, tokenize)) this.corpusExact.add(w);
    }
    return this.corpusExact.has(word);
  }

  private docBigramCache = new Map<number, Set<string>>();
  private corpusBigrams?: Set<string>;

  /** Every adjacent word pair used anywhere in the knowledge base: a stand-in for word segmentation. */
  knownBigram(pair: string): boolean {
    if (!this.corpusBigrams) {
      this.corpusBigrams = new Set();
      for (const rowid of this.docs.keys()) for (const b of this.docBigrams(rowid)) this.corpusBigrams.add(b);
    }
    return this.corpusBigrams.has(pair);
  }

  /** Adjacent word pairs of the doc's folded text, for phrase coverage in O(1) per pair. */
  docBigrams(docRowid: number): Set<string> {
    let set = this.docBigramCache.get(docRowid);
    if (!set) {
      const words = this.docFoldedWords(docRowid).split(' ');
      set = new Set<string>();
      for (let i = 0; i + 1 < words.length; i++) set.add(`${words[i]} ${words[i + 1]}`);
      this.docBigramCache.set(docRowid, set);
    }
    return set;
  }

  docTokens(docRowid: number, tokenize: (s: string) => string[]): Set<string> {
    let set = this.docTokenCache.get(docRowid);
    if (!set) {
      set = new Set(tokenize(this.docFoldedText(docRowid)));
      this.docTokenCache.set(docRowid, set);
    }
    return set;
  }

  close(): void {
    this.db.close();
  }
}

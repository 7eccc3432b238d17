/** Layout of one knowledge index snapshot (knowledge.sqlite); bump FORMAT when it changes. */
export const SNAPSHOT_FORMAT = 5;

export const SNAPSHOT_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL, lang TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
  topics TEXT NOT NULL, summary TEXT NOT NULL, keywords TEXT NOT NULL, aliases TEXT NOT NULL,
  sections TEXT NOT NULL, sources TEXT NOT NULL, updated TEXT, verify INTEGER NOT NULL,
  url TEXT, status TEXT NOT NULL, file TEXT, content_hash TEXT NOT NULL,
  UNIQUE (id, lang)
);
CREATE TABLE chunks (
  rowid INTEGER PRIMARY KEY,
  doc_rowid INTEGER NOT NULL REFERENCES docs(rowid),
  section_index INTEGER NOT NULL, heading TEXT NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL,
  hash TEXT NOT NULL, embedding BLOB NOT NULL
);
CREATE INDEX chunks_hash ON chunks(hash);
-- Views of the same chunk: the text as written (diacritics kept), the folded form (so a question
-- typed without diacritics still matches), and adjacent folded word pairs as single tokens
-- ("khai_sinh"): Vietnamese words are mostly two syllables, and matching pairs as tokens costs
-- what a single word costs, where FTS5 phrase queries walk position lists.
CREATE VIRTUAL TABLE chunks_fts USING fts5(title, exact, folded, pairs, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'");
CREATE TABLE vocab (token TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID;
-- The records a procedure stands for (docs/decisions/0013): searched through their procedure's
-- chunks, shown to citizens of their province. Section texts are stored once by hash, since a
-- national catalogue repeats the same documents and steps in every province.
CREATE TABLE texts (hash TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE variants (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE, doc_rowid INTEGER NOT NULL REFERENCES docs(rowid),
  province TEXT, level TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL,
  sections TEXT NOT NULL, sources TEXT NOT NULL, updated TEXT, url TEXT, content_hash TEXT NOT NULL
);
CREATE INDEX variants_doc ON variants(doc_rowid);
-- Staff look records up by title, province names included (folded).
CREATE VIRTUAL TABLE variants_fts USING fts5(title, tokenize = "unicode61 remove_diacritics 0");
`;

export interface SnapshotManifest {
  format: number;
  version: string;
  embedderId: string;
  dimension: number;
  contentHash: string;
  builtAt: string;
  docs: number;
  chunks: number;
  /** Procedure records behind the procedure documents (one document may stand for many). */
  variants?: number;
  reusedEmbeddings: number;
  buildMs: number;
  /** Size and SHA-256 of each file as built, checked before a snapshot is trusted (snapshot-verify.ts). */
  files?: Record<string, { bytes: number; sha256: string }>;
}

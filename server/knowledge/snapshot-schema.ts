/** Layout of one knowledge index snapshot (knowledge.sqlite); bump FORMAT when it changes. */
export const SNAPSHOT_FORMAT = 4;

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
  reusedEmbeddings: number;
  buildMs: number;
}

/** Layout of one knowledge index snapshot (knowledge.sqlite); bump FORMAT when it changes. */
export const SNAPSHOT_FORMAT = 3;

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
-- Two views of the same chunk: the text as written (diacritics kept) and the folded form, so a
-- question typed without diacritics still matches, while one typed with them matches more precisely.
CREATE VIRTUAL TABLE chunks_fts USING fts5(title, exact, folded, tokenize = 'unicode61 remove_diacritics 0');
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

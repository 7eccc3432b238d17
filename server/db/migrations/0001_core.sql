-- Procedure catalogue imported from CSDL-TTHC-shaped exports (npm run import:procedures).
CREATE TABLE procedure_records (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  title TEXT NOT NULL,
  agency TEXT,
  record_json TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  record_date TEXT,
  imported_at TEXT NOT NULL
);

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  user_ref TEXT,
  province TEXT NOT NULL,
  lang TEXT NOT NULL,
  last_topics TEXT NOT NULL DEFAULT '[]',
  last_doc_id TEXT,
  is_test INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- One row per answer; the question is stored only in redacted form.
CREATE TABLE answers (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  created_at TEXT NOT NULL,
  channel TEXT NOT NULL,
  province TEXT NOT NULL,
  lang TEXT NOT NULL,
  question_redacted TEXT NOT NULL,
  question_normalised TEXT NOT NULL,
  kind TEXT NOT NULL,
  reply_text TEXT NOT NULL,
  topics TEXT NOT NULL,
  citations TEXT NOT NULL,
  confidence REAL NOT NULL,
  candidates TEXT NOT NULL,
  stages TEXT NOT NULL,
  safety TEXT,
  index_version TEXT,
  embedder_id TEXT,
  latency_ms REAL NOT NULL,
  is_test INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX answers_conversation ON answers(conversation_id, created_at);
CREATE INDEX answers_created ON answers(created_at);

-- Translator workflow (server/translation/). What citizens are served stays in files:
-- approved article translations in knowledge/articles/<lang>/, approved UI strings in
-- server/i18n/locales/<lang>/<ns>.json (see docs/decisions/0007-languages.md). These tables
-- hold the work in progress: every imported translation as a revision awaiting review, with
-- the exact Vietnamese text it was made from.

-- Vietnamese source snapshots, content-addressed: an article file's exact bytes (as UTF-8
-- text) or a UI string's text. Kept so a reviewer can see what a translation was made from
-- and how the Vietnamese changed since.
CREATE TABLE translation_sources (
  hash TEXT PRIMARY KEY,                 -- sha256 hex of the text
  kind TEXT NOT NULL CHECK (kind IN ('article', 'string')),
  item_id TEXT NOT NULL,                 -- article id, or "<namespace>:<key>"
  text TEXT NOT NULL,
  captured_at TEXT NOT NULL
);
CREATE INDEX translation_sources_item ON translation_sources(kind, item_id);

-- One import of an XLIFF or CSV file.
CREATE TABLE translation_imports (
  id INTEGER PRIMARY KEY,
  lang TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('xliff', 'csv')),
  file_name TEXT,
  translator TEXT NOT NULL,
  imported_by TEXT,
  units_total INTEGER NOT NULL,
  units_accepted INTEGER NOT NULL,
  units_rejected INTEGER NOT NULL,
  units_skipped INTEGER NOT NULL,
  errors TEXT NOT NULL DEFAULT '[]',     -- JSON [{id, problems[]}]
  imported_at TEXT NOT NULL
);

-- A translation of one string or one whole article, as imported. `pending` until a reviewer
-- approves (its text is then written to the served files) or rejects it; a newer import of
-- the same item supersedes a pending one.
CREATE TABLE translation_revisions (
  id INTEGER PRIMARY KEY,
  lang TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('article', 'string')),
  item_id TEXT NOT NULL,
  source_hash TEXT NOT NULL REFERENCES translation_sources(hash),
  content TEXT NOT NULL,                 -- string: the translated text; article: the whole Markdown file
  units TEXT,                            -- article: JSON {unit: translated Markdown}
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
  translator TEXT NOT NULL,
  import_id INTEGER REFERENCES translation_imports(id),
  -- Whether an approved translation was already being served when this was imported
  -- (then the served file was left alone and this waits for review).
  over_approved INTEGER NOT NULL DEFAULT 0,
  reviewed_by TEXT,
  review_note TEXT,
  reviewed_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX translation_revisions_status ON translation_revisions(status, lang);
CREATE INDEX translation_revisions_item ON translation_revisions(lang, kind, item_id, id);

-- Review data for the quality console.
ALTER TABLE answers ADD COLUMN sampled INTEGER NOT NULL DEFAULT 0;
-- The reply exactly as the channel showed it (Zalo text, SMS parts); NULL = the Markdown text as is.
ALTER TABLE answers ADD COLUMN reply_shown TEXT;

CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  answer_id TEXT NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
  reviewer_id INTEGER REFERENCES users(id),
  reviewer TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('correct', 'partly', 'wrong', 'should_fallback', 'unsafe')),
  note TEXT,
  expected_article TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX reviews_answer ON reviews(answer_id, id);

-- Full-text search over the redacted questions, kept in step by triggers.
CREATE VIRTUAL TABLE answers_fts USING fts5(question, content = 'answers', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO answers_fts (rowid, question) SELECT rowid, question_redacted FROM answers;
CREATE TRIGGER answers_fts_insert AFTER INSERT ON answers BEGIN
  INSERT INTO answers_fts (rowid, question) VALUES (new.rowid, new.question_redacted);
END;
CREATE TRIGGER answers_fts_delete AFTER DELETE ON answers BEGIN
  INSERT INTO answers_fts (answers_fts, rowid, question) VALUES ('delete', old.rowid, old.question_redacted);
END;

-- What survives retention: per-day counts, so dashboards keep their history after records are purged.
CREATE TABLE daily_aggregates (
  day TEXT NOT NULL,
  channel TEXT NOT NULL,
  province TEXT NOT NULL,
  kind TEXT NOT NULL,
  answers INTEGER NOT NULL DEFAULT 0,
  feedback_up INTEGER NOT NULL DEFAULT 0,
  feedback_down INTEGER NOT NULL DEFAULT 0,
  reviews_total INTEGER NOT NULL DEFAULT 0,
  reviews_correct INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, channel, province, kind)
);

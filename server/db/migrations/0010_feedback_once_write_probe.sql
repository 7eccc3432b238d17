-- One feedback per answer (issue 14, decision 0015): a repeated thumbs on the same answer was
-- stored and counted again, so one visitor could weigh an answer as much as they liked.
-- Earlier duplicates keep the first feedback given (what the citizen said when they read it).
DELETE FROM feedback WHERE id NOT IN (SELECT MIN(id) FROM feedback GROUP BY answer_id);
DROP INDEX IF EXISTS feedback_answer;
CREATE UNIQUE INDEX feedback_one_per_answer ON feedback(answer_id);

-- One row /readyz rewrites on every probe: readiness means the database takes a commit, not only
-- that it can be read (a read-only file used to pass /readyz while every chat returned 500).
CREATE TABLE health_probe (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at TEXT NOT NULL
);

-- When Zalo last refused to renew the token (refresh token rejected, none stored): from then on the
-- channel waits for an operator to authorise again, and replies wait in the outbox instead of
-- failing. Cleared by the next stored token pair (channels/zalo/zalo-tokens.ts).
ALTER TABLE channel_tokens ADD COLUMN auth_failed_at INTEGER;

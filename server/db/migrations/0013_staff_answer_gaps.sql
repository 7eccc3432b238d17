-- A staff reply filed as a content gap from the desk (issue 16): what the citizen asked and what
-- the officer answered, both already redacted, for an editor to turn into an article so the next
-- citizen gets the answer from the assistant. One filing per staff message.
CREATE TABLE staff_answer_gaps (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  message_id INTEGER NOT NULL UNIQUE REFERENCES ticket_messages(id),
  -- JSON array of the citizen's questions (redacted), oldest first.
  questions TEXT NOT NULL,
  answer_redacted TEXT NOT NULL,
  channel TEXT NOT NULL,
  province TEXT NOT NULL,
  lang TEXT NOT NULL,
  filed_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX staff_answer_gaps_created ON staff_answer_gaps(created_at);

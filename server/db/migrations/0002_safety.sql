-- Safety stage: phishing blocklist and abuse/refusal events.

-- One row per blocked host name (lower-case ASCII/punycode). A lookup checks the
-- host and each parent domain, so "example.com" also blocks "a.example.com".
CREATE TABLE blocklist_hosts (
  host TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  added_at TEXT NOT NULL
) WITHOUT ROWID;

-- Where the entries came from, so a deployment can show provenance and licence.
CREATE TABLE blocklist_sources (
  source TEXT PRIMARY KEY,
  loaded_at TEXT,
  entries INTEGER,
  licence TEXT
);

-- Abuse and refusal labels (hacking, prompt_injection, abusive...) for review;
-- never the message itself.
CREATE TABLE safety_events (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  answer_id TEXT,
  kind TEXT NOT NULL,
  label TEXT
);
CREATE INDEX safety_events_created ON safety_events(created_at);
CREATE INDEX safety_events_answer ON safety_events(answer_id);

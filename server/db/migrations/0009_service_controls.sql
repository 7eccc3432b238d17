-- Channel switches and the service notice (docs/decisions/0016-channel-switches-and-notices.md).
-- A channel without a row is on: a new or upgraded database starts with every channel on, as
-- before this version. Who changed what is in audit_log; these rows hold only the current state.
CREATE TABLE channel_switches (
  channel TEXT PRIMARY KEY CHECK (channel IN ('web', 'zalo', 'sms')),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  updated_at TEXT NOT NULL,
  updated_by TEXT
);

-- At most one notice (id 1): publishing replaces it, withdrawing deletes it. Times are ISO 8601
-- UTC; the notice is shown from starts_at (or at once) until ends_at, then disappears by itself.
CREATE TABLE service_notice (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  text_vi TEXT NOT NULL,
  text_en TEXT,
  starts_at TEXT,
  ends_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT
);

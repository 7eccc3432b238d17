-- Continuing a web or API conversation needs the token handed to its client when it started
-- (issue 14): only a SHA-256 of the token is kept. Conversations stored before this version have
-- none and cannot be continued over /api/chat (a new one is started); Zalo and SMS conversations
-- are keyed by the channel user and have none either.
ALTER TABLE conversations ADD COLUMN token_hash TEXT;

-- Conversations handed to staff (issue 16). One open ticket (waiting or held) per conversation.
-- Everything stored here is redacted first: citizens' text by the safety stage, staff text by
-- the ticket module.
CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  -- Short code the citizen is given ("HT-7K4P"): enough to find the ticket when they call.
  code TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  province TEXT NOT NULL,
  lang TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('waiting', 'held', 'released', 'closed', 'cancelled')),
  holder_id INTEGER REFERENCES users(id),
  opened_at TEXT NOT NULL,
  -- When the first staff reply is due (working hours counted), for "past target".
  due_at TEXT NOT NULL,
  first_response_at TEXT,
  closed_at TEXT,
  close_reason TEXT,
  -- After a release the next assistant answer says so once.
  release_noticed INTEGER NOT NULL DEFAULT 0,
  is_test INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX tickets_one_open ON tickets(conversation_id) WHERE status IN ('waiting', 'held');
CREATE INDEX tickets_status ON tickets(status, opened_at);
CREATE INDEX tickets_conversation ON tickets(conversation_id, id);

CREATE TABLE ticket_messages (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  author TEXT NOT NULL CHECK (author IN ('citizen', 'staff')),
  user_id INTEGER REFERENCES users(id),
  text_redacted TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id, id);
-- Staff replies on Zalo and SMS: pending → queued (outbox rows written in the same transaction),
-- or outside_window (Zalo: the citizen last wrote more than 7 days ago) / no_user. NULL for
-- citizens' messages and web replies (the widget fetches them).
ALTER TABLE ticket_messages ADD COLUMN delivery TEXT;
CREATE INDEX ticket_messages_delivery ON ticket_messages(delivery) WHERE delivery = 'pending';

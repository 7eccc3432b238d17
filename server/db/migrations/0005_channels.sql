-- Zalo OA and SMS channels: durable inbox/outbox (see docs/channels.md and
-- docs/decisions/0006-channels-delivery.md). Times are epoch milliseconds.

-- One row per accepted incoming event, written before the webhook answers 200.
-- (channel, external_id) de-duplicates provider retries (Zalo msg_id, SMS smsid, SMPP key).
-- `text` holds the raw message only until it is answered; it is then set to NULL.
CREATE TABLE channel_inbox (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  external_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,                      -- text | unsupported | follow | unfollow
  text TEXT,
  meta TEXT,                               -- small JSON without message text (attachment type...)
  state TEXT NOT NULL DEFAULT 'received',  -- received | processing | answered | failed
  outcome TEXT,                            -- answered | keyword | limited | opted_out | ignored | error...
  received_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  done_at INTEGER,
  answer_id TEXT,
  last_error TEXT,
  UNIQUE (channel, external_id)
);
CREATE INDEX channel_inbox_state ON channel_inbox(state, next_attempt_at, id);
CREATE INDEX channel_inbox_user ON channel_inbox(channel, user_id, received_at);
-- Open rows only: "does this user have an older message still open?" stays cheap for chatty users.
CREATE INDEX channel_inbox_user_open ON channel_inbox(channel, user_id, id) WHERE state IN ('received', 'processing');

-- One row per message to deliver. Written in the same transaction that marks the inbox row done.
CREATE TABLE channel_outbox (
  id INTEGER PRIMARY KEY,
  inbox_id INTEGER REFERENCES channel_inbox(id),
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  part INTEGER NOT NULL DEFAULT 1,
  payload TEXT NOT NULL,                   -- JSON, channel specific, ready to send
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL DEFAULT 'pending',   -- pending | sending | sent | failed
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  needs_reconcile INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  provider_message_id TEXT,
  last_error TEXT,
  delivery_status TEXT,
  delivery_at INTEGER
);
CREATE INDEX channel_outbox_due ON channel_outbox(state, next_attempt_at, id);
CREATE INDEX channel_outbox_user_open ON channel_outbox(channel, user_id, id) WHERE state IN ('pending', 'sending');
CREATE INDEX channel_outbox_provider ON channel_outbox(channel, provider_message_id);

-- Every delivery attempt, including ones cut short by a crash (outcome 'started'/'dispatched' left behind).
CREATE TABLE channel_attempts (
  id INTEGER PRIMARY KEY,
  outbox_id INTEGER NOT NULL REFERENCES channel_outbox(id),
  attempt INTEGER NOT NULL,
  owner TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  dispatched_at INTEGER,
  finished_at INTEGER,
  outcome TEXT NOT NULL,                   -- started | dispatched | sent | retryable | permanent | unknown | reconciled_sent | reconciled_not_sent
  error_code TEXT,
  error_message TEXT,
  http_status INTEGER
);
CREATE INDEX channel_attempts_outbox ON channel_attempts(outbox_id, attempt);

-- Channel user → conversation, language, opt-out, rate-limit notice and "reply 1 for more" remainder.
-- user_id is personal data (a Zalo user id or a phone number): purged after the retention period.
CREATE TABLE channel_users (
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_ref TEXT NOT NULL UNIQUE,           -- opaque id given to the pipeline instead of the user id
  conversation_id TEXT NOT NULL,
  lang TEXT,
  followed INTEGER,
  opted_out INTEGER NOT NULL DEFAULT 0,
  opted_out_at INTEGER,
  limit_notice_until INTEGER,
  pending_more TEXT,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  PRIMARY KEY (channel, user_id)
) WITHOUT ROWID;
CREATE INDEX channel_users_seen ON channel_users(last_seen_at);

-- SMS delivery receipts (SMPP deliver_sm with esm_class 0x04, or an HTTP gateway's report).
CREATE TABLE channel_delivery_receipts (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  provider_message_id TEXT NOT NULL,
  stat TEXT,
  err TEXT,
  outbox_id INTEGER,
  received_at INTEGER NOT NULL
);
CREATE INDEX channel_receipts_provider ON channel_delivery_receipts(channel, provider_message_id);

-- Parts of concatenated incoming SMS (SMPP UDH) until the whole message is there.
CREATE TABLE channel_sms_parts (
  sender TEXT NOT NULL,
  ref INTEGER NOT NULL,
  total INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  text TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (sender, ref, total, seq)
) WITHOUT ROWID;

-- OAuth tokens (Zalo). The refresh token is single-use: the new pair is stored before it is used.
-- The lease columns make sure only one process refreshes at a time.
CREATE TABLE channel_tokens (
  name TEXT PRIMARY KEY,
  access_token TEXT,
  refresh_token TEXT,
  access_expires_at INTEGER,
  refreshed_at INTEGER,
  version INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until INTEGER,
  last_error TEXT
);

-- SMS MO callbacks already accepted, by signature: a replayed callback is acknowledged but not
-- processed again. Rows are kept a little longer than the callback timestamp window.
CREATE TABLE sms_callback_seen (
  signature TEXT PRIMARY KEY,
  seen_at INTEGER NOT NULL
);
CREATE INDEX sms_callback_seen_at ON sms_callback_seen(seen_at);

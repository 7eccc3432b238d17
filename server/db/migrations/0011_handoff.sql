-- Continuing a web or API conversation needs the token handed to its client when it started
-- (issue 14): only a SHA-256 of the token is kept. Conversations stored before this version have
-- none and cannot be continued over /api/chat (a new one is started); Zalo and SMS conversations
-- are keyed by the channel user and have none either.
ALTER TABLE conversations ADD COLUMN token_hash TEXT;

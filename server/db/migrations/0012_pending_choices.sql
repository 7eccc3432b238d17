-- The choices a clarification offered ("Bạn hỏi về 1. … 2. …"), so a reply of "1" or "2" — the
-- only way to choose on SMS — is resolved in the conversation on every channel. A JSON array of
-- the choices' titles, cleared by the next answer. NULL for conversations before this version.
ALTER TABLE conversations ADD COLUMN pending_choices TEXT;

import crypto from 'node:crypto';
import type { Db } from '../db/database.js';

/**
 * Conversation tokens: a web or API client may continue a conversation only with the token it
 * was given when the conversation started. 256 random bits, so a plain SHA-256 is enough to
 * store (there is nothing to brute-force, unlike a password); only the hash is kept.
 */
export function newConversationToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: hashConversationToken(token) };
}

export function hashConversationToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

export function createConversationTokens(db: Db) {
  const get = db.prepare('SELECT token_hash FROM conversations WHERE id = ?');
  return {
    /** Does `token` open conversation `id`? False for an unknown id, a conversation without a token, or a wrong token. */
    verify(id: string, token: string | undefined): boolean {
      if (!token) return false;
      const row = get.get(id) as { token_hash: string | null } | undefined;
      if (!row?.token_hash) return false;
      const a = Buffer.from(row.token_hash, 'hex');
      const b = Buffer.from(hashConversationToken(token), 'hex');
      return a.length === b.length && crypto.timingSafeEqual(a, b);
    },
  };
}

export type ConversationTokens = ReturnType<typeof createConversationTokens>;

import crypto from 'node:crypto';
import type { Db } from '../db/database.js';

export interface SessionSettings {
  /** Idle timeout: a session unused this long expires. */
  idleMs: number;
  /** Absolute lifetime, however active. */
  maxAgeMs: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { idleMs: 30 * 60_000, maxAgeMs: 8 * 3600_000 };

export interface Session {
  id: string;
  userId: number;
  csrfToken: string;
}

export function createSessionStore(db: Db, settings: SessionSettings = DEFAULT_SESSION_SETTINGS, now: () => number = Date.now) {
  const get = db.prepare('SELECT id, user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE id = ?');
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?');
  const del = db.prepare('DELETE FROM sessions WHERE id = ?');
  return {
    create(userId: number): Session {
      const id = crypto.randomBytes(32).toString('base64url');
      const csrfToken = crypto.randomBytes(32).toString('base64url');
      const t = now();
      db.prepare('INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        id,
        userId,
        csrfToken,
        new Date(t).toISOString(),
        new Date(t + settings.idleMs).toISOString(),
        new Date(t).toISOString(),
      );
      return { id, userId, csrfToken };
    },
    /** The live session for this id (refreshing its idle timer), or null if unknown or expired. */
    resume(id: string): Session | null {
      const row = get.get(id) as { id: string; user_id: number; csrf_token: string; created_at: string; last_seen_at: string } | undefined;
      if (!row) return null;
      const t = now();
      if (t - Date.parse(row.last_seen_at) > settings.idleMs || t - Date.parse(row.created_at) > settings.maxAgeMs) {
        del.run(id);
        return null;
      }
      touch.run(new Date(t).toISOString(), new Date(t + settings.idleMs).toISOString(), id);
      return { id: row.id, userId: row.user_id, csrfToken: row.csrf_token };
    },
    end(id: string): void {
      del.run(id);
    },
    purgeExpired(): number {
      return db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(new Date(now()).toISOString()).changes;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;

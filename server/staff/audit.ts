import type { Db } from '../db/database.js';
import type { StaffUser } from './users.js';

export function createAuditLog(db: Db) {
  const insert = db.prepare('INSERT INTO audit_log (at, user_id, username, action, target, details) VALUES (?, ?, ?, ?, ?, ?)');
  return {
    record(user: Pick<StaffUser, 'id' | 'username'> | null, action: string, target: string | null = null, details: Record<string, unknown> = {}): void {
      insert.run(new Date().toISOString(), user?.id ?? null, user?.username ?? null, action, target, JSON.stringify(details));
    },
    recent(limit = 100): Array<Record<string, unknown>> {
      return db.prepare('SELECT at, username, action, target, details FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as Array<Record<string, unknown>>;
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

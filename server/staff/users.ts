import type { Db } from '../db/database.js';
import { AppError } from '../errors.js';
import { checkPasswordPolicy, hashPassword, hashPasswordAsync, verifyPasswordAsync } from './passwords.js';
import { createPasswordHasher, type PasswordHasher } from './password-hasher.js';

import { ROLES, roleAtLeast, type Role, type StaffUser } from '../domain/staff.js';

export { ROLES, roleAtLeast, type Role, type StaffUser };


export class UserError extends AppError {
  constructor(message: string) {
    super('invalid_user', message);
  }
}

/** Too many password checks already waiting: the caller should answer 503 and let the client retry. */
export class PasswordQueueFullError extends Error {}

/**
 * At most `concurrency` scrypt computations at a time (each takes a core for ~50 ms), at most
 * `maxWaiting` more queued: a flood of sign-ins then costs one core, never all of them, so the
 * citizens' chat keeps its CPU. Measured in docs/benchmarks.md (login flood).
 */
function createHashGate(concurrency = 1, maxWaiting = 32) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async function gated<T>(work: () => Promise<T>): Promise<T> {
    if (running >= concurrency) {
      if (waiting.length >= maxWaiting) throw new PasswordQueueFullError('Too many sign-ins are being checked; try again shortly');
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

const USERNAME = /^[a-z0-9._-]{3,40}$/i;

export function createUserStore(db: Db, opts: { hasher?: PasswordHasher } = {}) {
  const toUser = (r: Record<string, unknown>): StaffUser => ({ id: r.id as number, username: r.username as string, role: r.role as Role, disabled: r.disabled === 1 });
  const byName = db.prepare('SELECT * FROM users WHERE username = ?');
  const byId = db.prepare('SELECT * FROM users WHERE id = ?');
  const activeAdmins = db.prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0 AND id != ?");
  // A constant hash to verify against when the user does not exist, so timing does not reveal usernames.
  const dummyHash = hashPassword('dummy-password-for-timing');
  const gated = createHashGate();
  const hasher = opts.hasher ?? createPasswordHasher();
  const ownsHasher = !opts.hasher;
  return {
    async create(username: string, password: string, role: Role): Promise<StaffUser> {
      if (!USERNAME.test(username)) throw new UserError('Usernames are 3–40 letters, digits, dots, dashes or underscores');
      if (!ROLES.includes(role)) throw new UserError(`Role must be one of ${ROLES.join(', ')}`);
      checkPasswordPolicy(password);
      if (byName.get(username)) throw new UserError(`User "${username}" already exists`);
      const hash = await gated(() => hashPasswordAsync(password, hasher));
      if (byName.get(username)) throw new UserError(`User "${username}" already exists`);
      const now = new Date().toISOString();
      const info = db.prepare('INSERT INTO users (username, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(username, hash, role, now, now);
      return { id: Number(info.lastInsertRowid), username, role, disabled: false };
    },
    async authenticate(username: string, password: string): Promise<StaffUser | null> {
      const row = byName.get(username) as Record<string, unknown> | undefined;
      if (!row) {
        await gated(() => verifyPasswordAsync(password, dummyHash, hasher));
        return null;
      }
      if (!(await gated(() => verifyPasswordAsync(password, row.password_hash as string, hasher))) || row.disabled === 1) return null;
      return toUser(row);
    },
    get(id: number): StaffUser | null {
      const row = byId.get(id) as Record<string, unknown> | undefined;
      return row ? toUser(row) : null;
    },
    list(): StaffUser[] {
      return (db.prepare('SELECT * FROM users ORDER BY username').all() as Array<Record<string, unknown>>).map(toUser);
    },
    async update(id: number, changes: { role?: Role; disabled?: boolean; password?: string }): Promise<StaffUser> {
      const user = this.get(id);
      if (!user) throw new UserError(`No user ${id}`);
      if (changes.role && !ROLES.includes(changes.role)) throw new UserError(`Role must be one of ${ROLES.join(', ')}`);
      if (changes.password !== undefined) checkPasswordPolicy(changes.password);
      const hash = changes.password !== undefined ? await gated(() => hashPasswordAsync(changes.password!, hasher)) : null;
      // The console must always keep one administrator who can sign in.
      const losesAdmin = user.role === 'admin' && !user.disabled && ((changes.role !== undefined && changes.role !== 'admin') || changes.disabled === true);
      if (losesAdmin && (activeAdmins.get(id) as { n: number }).n === 0) throw new UserError('This is the last active administrator: make another user administrator first');
      db.prepare('UPDATE users SET role = ?, disabled = ?, password_hash = COALESCE(?, password_hash), updated_at = ? WHERE id = ?').run(
        changes.role ?? user.role,
        (changes.disabled ?? user.disabled) ? 1 : 0,
        hash,
        new Date().toISOString(),
        id,
      );
      if (changes.disabled || changes.password !== undefined) db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
      return this.get(id)!;
    },
    /** Stops the hashing thread it started (one passed in belongs to the caller). */
    async close(): Promise<void> {
      if (ownsHasher) await hasher.close();
    },
    count(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;

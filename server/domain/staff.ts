/** Staff roles, weakest first: each includes the rights of those before it. */
export const ROLES = ['reviewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Does `role` include the rights of `needed`? (reviewer < editor < admin) */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** A staff account as the rest of the server sees it (never its password hash). */
export interface StaffUser {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
}

/** A reviewer's judgement of one answer. */
export const VERDICTS = ['correct', 'partly', 'wrong', 'should_fallback', 'unsafe'] as const;
export type Verdict = (typeof VERDICTS)[number];

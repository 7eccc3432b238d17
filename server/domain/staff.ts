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

/**
 * Who may answer citizens in the staff inbox: every staff account (reviewers and above). One-stop
 * staff already have reviewer accounts for the lookup; a separate role would add nothing a
 * reviewer may not already see (the redacted conversations). Taking over, transferring or
 * closing a colleague's ticket needs a supervisor: editors and above.
 */
export const HANDOFF_ROLE: Role = 'reviewer';
export const HANDOFF_SUPERVISOR_ROLE: Role = 'editor';

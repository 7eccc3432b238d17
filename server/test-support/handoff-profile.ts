import type { Assistant } from '../assistant.js';
import { parseOfficeHours } from '../handoff/office-hours.js';

/**
 * Turns handoff on for a province of a test assistant, with hours read by the real parser. The
 * shipped profiles have it off (no province's hours are in our facts), so tests put in their
 * own: Monday to Friday 07:30–11:30 and 13:30–17:00, a 30-minute target. Test values, not a
 * province's.
 */
export function enableHandoff(assistant: Assistant, province: string, opts: { holidays?: string[]; firstResponseMinutes?: number } = {}): void {
  const profile = assistant.profiles.get(province);
  if (!profile) throw new Error(`no profile ${province}`);
  assistant.profiles.set(province, {
    ...profile,
    handoff: { hours: parseOfficeHours({ 'mon-fri': ['07:30-11:30', '13:30-17:00'] }, opts.holidays ?? []), firstResponseMinutes: opts.firstResponseMinutes ?? 30 },
  });
}

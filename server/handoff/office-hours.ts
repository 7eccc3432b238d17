/**
 * A province's working hours and public holidays (from its profile, `handoff:`), and the times
 * computed from them: is a person there now, when does the next working period start, and when
 * is a ticket due. Vietnam keeps one time zone (UTC+7) with no daylight saving, so local time is
 * UTC shifted by a constant; no time-zone database is needed. Every function takes the time it
 * works on: the clock is the caller's (injected), never read here.
 */
export const VIETNAM_UTC_OFFSET_MINUTES = 7 * 60;

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Day = (typeof DAYS)[number];

/** A working period within one day, in minutes after local midnight. */
export interface Period {
  start: number;
  end: number;
}

export interface OfficeHours {
  /** Periods per weekday, 0 = Sunday; sorted, not overlapping. */
  week: Period[][];
  /** Local dates (YYYY-MM-DD) with no working hours. */
  holidays: Set<string>;
}

export class OfficeHoursError extends Error {}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function minutes(s: string, what: string): number {
  const m = TIME.exec(s);
  if (!m) throw new OfficeHoursError(`${what}: "${s}" is not a time HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function days(key: string): Day[] {
  const [from, to] = key.split('-') as [Day, Day | undefined];
  const a = DAYS.indexOf(from);
  const b = to === undefined ? a : DAYS.indexOf(to);
  if (a < 0 || b < 0 || b < a) throw new OfficeHoursError(`hours: "${key}" is not a day (mon…sun) or a range of days (mon-fri)`);
  return DAYS.slice(a, b + 1) as unknown as Day[];
}

/**
 * Reads `hours: {mon-fri: ["07:30-11:30", "13:30-17:00"], sat: [...]}` and
 * `holidays: ["2026-01-01", …]`. A day not listed has no working hours.
 */
export function parseOfficeHours(hours: unknown, holidays: unknown): OfficeHours {
  if (!hours || typeof hours !== 'object' || Array.isArray(hours)) throw new OfficeHoursError('hours: a mapping of days to periods ("mon-fri": ["07:30-11:30"])');
  const week: Period[][] = DAYS.map(() => []);
  for (const [key, value] of Object.entries(hours as Record<string, unknown>)) {
    if (!Array.isArray(value)) throw new OfficeHoursError(`hours.${key}: a list of periods "HH:MM-HH:MM"`);
    for (const day of days(key)) {
      for (const p of value) {
        const [s, e] = String(p).split('-');
        const period = { start: minutes(s ?? '', `hours.${key}`), end: minutes(e ?? '', `hours.${key}`) };
        if (period.end <= period.start) throw new OfficeHoursError(`hours.${key}: "${p}" ends before it starts`);
        week[DAYS.indexOf(day)].push(period);
      }
    }
  }
  for (const [i, periods] of week.entries()) {
    periods.sort((a, b) => a.start - b.start);
    for (let j = 1; j < periods.length; j++) {
      if (periods[j].start < periods[j - 1].end) throw new OfficeHoursError(`hours: periods overlap on ${DAYS[i]}`);
    }
  }
  if (week.every((p) => p.length === 0)) throw new OfficeHoursError('hours: no working period on any day');
  const list = holidays === undefined || holidays === null ? [] : holidays;
  if (!Array.isArray(list)) throw new OfficeHoursError('holidays: a list of dates YYYY-MM-DD');
  for (const d of list) if (typeof d !== 'string' || !DATE.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) throw new OfficeHoursError(`holidays: "${String(d)}" is not a date YYYY-MM-DD`);
  return { week, holidays: new Set(list as string[]) };
}

const DAY_MS = 86_400_000;
const local = (at: Date) => new Date(at.getTime() + VIETNAM_UTC_OFFSET_MINUTES * 60_000);
/** The UTC instant of `minute` minutes after local midnight of the local day starting at `dayStartLocalMs`. */
const instant = (dayStartLocalMs: number, minute: number) => new Date(dayStartLocalMs + minute * 60_000 - VIETNAM_UTC_OFFSET_MINUTES * 60_000);

function periodsOn(hours: OfficeHours, dayStartLocalMs: number): Period[] {
  const d = new Date(dayStartLocalMs);
  if (hours.holidays.has(d.toISOString().slice(0, 10))) return [];
  return hours.week[d.getUTCDay()];
}

/** Working periods as UTC intervals, from the local day of `from` on (at most a year ahead). */
function* intervals(hours: OfficeHours, from: Date): Generator<{ start: Date; end: Date }> {
  const l = local(from);
  let day = Date.UTC(l.getUTCFullYear(), l.getUTCMonth(), l.getUTCDate());
  for (let i = 0; i < 370; i++, day += DAY_MS) {
    for (const p of periodsOn(hours, day)) {
      const end = instant(day, p.end);
      if (end.getTime() > from.getTime()) yield { start: instant(day, p.start), end };
    }
  }
}

/** Is `at` within working hours? */
export function isOpen(hours: OfficeHours, at: Date): boolean {
  for (const iv of intervals(hours, at)) return iv.start.getTime() <= at.getTime();
  return false;
}

/** `at` itself in working hours, else the start of the next working period. */
export function nextOpening(hours: OfficeHours, at: Date): Date {
  for (const iv of intervals(hours, at)) return iv.start.getTime() <= at.getTime() ? at : iv.start;
  throw new OfficeHoursError('no working period within a year');
}

/** The instant `workingMinutes` of working time after `from` (time outside working hours does not count). */
export function addWorkingMinutes(hours: OfficeHours, from: Date, workingMinutes: number): Date {
  let left = workingMinutes * 60_000;
  for (const iv of intervals(hours, from)) {
    const start = Math.max(iv.start.getTime(), from.getTime());
    const span = iv.end.getTime() - start;
    if (left <= span) return new Date(start + left);
    left -= span;
  }
  throw new OfficeHoursError('no working period within a year');
}

/** Working minutes between two instants (for "past target" and time-to-first-response figures). */
export function workingMinutesBetween(hours: OfficeHours, from: Date, to: Date): number {
  let ms = 0;
  for (const iv of intervals(hours, from)) {
    if (iv.start.getTime() >= to.getTime()) break;
    ms += Math.min(iv.end.getTime(), to.getTime()) - Math.max(iv.start.getTime(), from.getTime());
  }
  return Math.max(0, ms) / 60_000;
}

/**
 * The desk's figures for the staff dashboard and /metrics: open tickets, tickets past their
 * target, and the median time from opening to the first staff reply per channel. Read from the
 * database when asked, so every server process reports the same. Test tickets are left out,
 * as test answers are everywhere else, unless asked for.
 */
import type { Db } from '../db/database.js';

export interface FirstResponseFigure {
  channel: string;
  /** Tickets opened in the period. */
  tickets: number;
  /** Of those, answered by staff. */
  answered: number;
  /** Median clock time from opening to the first staff reply (s), over the answered; null when none. */
  medianSeconds: number | null;
}

export interface HandoffFigures {
  waiting: number;
  held: number;
  /** Open tickets still without a first reply after it was due (the due time counts working hours). */
  pastTarget: number;
  firstResponse: FirstResponseFigure[];
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** `from`/`to`: days (YYYY-MM-DD, inclusive, UTC) of the tickets' opening, for the median. */
export function handoffFigures(db: Db, now: Date, period: { from?: string; to?: string; includeTest?: boolean } = {}): HandoffFigures {
  const test = period.includeTest ? '' : ' AND is_test = 0';
  const open = db.prepare(`SELECT SUM(status = 'waiting') AS waiting, SUM(status = 'held') AS held,
      SUM(first_response_at IS NULL AND due_at < @now) AS late
    FROM tickets WHERE status IN ('waiting', 'held')${test}`).get({ now: now.toISOString() }) as { waiting: number | null; held: number | null; late: number | null };
  const to = period.to ? new Date(Date.parse(`${period.to}T00:00:00Z`) + 86_400_000).toISOString() : null;
  const rows = db
    .prepare(`SELECT channel, opened_at, first_response_at FROM tickets
      WHERE (@from IS NULL OR opened_at >= @from) AND (@to IS NULL OR opened_at < @to)${test}`)
    .all({ from: period.from ? `${period.from}T00:00:00.000Z` : null, to }) as Array<{ channel: string; opened_at: string; first_response_at: string | null }>;
  const byChannel = new Map<string, { tickets: number; waits: number[] }>();
  for (const r of rows) {
    let c = byChannel.get(r.channel);
    if (!c) byChannel.set(r.channel, (c = { tickets: 0, waits: [] }));
    c.tickets++;
    if (r.first_response_at) c.waits.push(Math.max(0, (Date.parse(r.first_response_at) - Date.parse(r.opened_at)) / 1000));
  }
  return {
    waiting: open.waiting ?? 0,
    held: open.held ?? 0,
    pastTarget: open.late ?? 0,
    firstResponse: [...byChannel.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([channel, c]) => ({ channel, tickets: c.tickets, answered: c.waits.length, medianSeconds: median(c.waits) })),
  };
}

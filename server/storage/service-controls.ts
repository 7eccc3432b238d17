import type { Db } from '../db/database.js';
import type { Channel } from '../domain/answer.js';
import { NOTICE_MAX_CHARS, SWITCHABLE_CHANNELS, switchOf, type PublicNotice, type ServiceNotice, type SwitchableChannel } from '../domain/service.js';
import { AppError } from '../errors.js';

/** A notice or switch change that cannot be stored as asked (400 with the reason). */
export class ServiceControlError extends AppError {
  constructor(message: string) {
    super('invalid_notice', message);
  }
}

export interface NoticeInput {
  text: { vi: string; en?: string };
  startsAt?: string | null;
  endsAt: string;
}

export interface ServiceControlsOptions {
  /** The clock (ms since the epoch); tests pass their own to move a notice past its end. */
  now?: () => number;
}

interface NoticeRow {
  text_vi: string;
  text_en: string | null;
  starts_at: string | null;
  ends_at: string;
  updated_at: string;
  updated_by: string | null;
}

/** An ISO 8601 date-time with a time zone (Z or ±hh:mm): a notice's times are never local guesses. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(value: string, field: string): number {
  const ms = DATE_TIME.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new ServiceControlError(`${field} must be a date and time with a time zone, such as 2026-06-01T17:00:00+07:00`);
  return ms;
}

/** One line, trimmed, at most NOTICE_MAX_CHARS characters (counted as the reader sees them). */
function noticeText(value: string | undefined, field: string, required: boolean): string | undefined {
  const text = (value ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!text) {
    if (required) throw new ServiceControlError(`${field} is required`);
    return undefined;
  }
  const length = [...text].length;
  if (length > NOTICE_MAX_CHARS) throw new ServiceControlError(`${field} is ${length} characters long; a notice is at most ${NOTICE_MAX_CHARS} (it is sent at the start of every SMS answer)`);
  return text;
}

/**
 * The one module that reads and writes channel switches and the service notice. State lives in
 * the database only (it survives a restart, is in every backup, and every server process sees the
 * same), so nothing here is cached between calls.
 */
export function createServiceControls(db: Db, opts: ServiceControlsOptions = {}) {
  const now = opts.now ?? Date.now;
  const stmt = {
    switches: db.prepare('SELECT channel, enabled FROM channel_switches'),
    switchOf: db.prepare('SELECT enabled FROM channel_switches WHERE channel = ?').pluck(),
    setSwitch: db.prepare(
      `INSERT INTO channel_switches (channel, enabled, updated_at, updated_by) VALUES (@channel, @enabled, @at, @by)
       ON CONFLICT(channel) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    ),
    notice: db.prepare('SELECT text_vi, text_en, starts_at, ends_at, updated_at, updated_by FROM service_notice WHERE id = 1'),
    setNotice: db.prepare(
      `INSERT INTO service_notice (id, text_vi, text_en, starts_at, ends_at, updated_at, updated_by) VALUES (1, @vi, @en, @startsAt, @endsAt, @at, @by)
       ON CONFLICT(id) DO UPDATE SET text_vi = excluded.text_vi, text_en = excluded.text_en, starts_at = excluded.starts_at,
         ends_at = excluded.ends_at, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    ),
    deleteNotice: db.prepare('DELETE FROM service_notice WHERE id = 1'),
  };

  const iso = (ms: number) => new Date(ms).toISOString();

  function switches(): Record<SwitchableChannel, boolean> {
    const out = Object.fromEntries(SWITCHABLE_CHANNELS.map((c) => [c, true])) as Record<SwitchableChannel, boolean>;
    for (const r of stmt.switches.all() as Array<{ channel: SwitchableChannel; enabled: number }>) out[r.channel] = r.enabled === 1;
    return out;
  }

  function notice(): ServiceNotice | null {
    const r = stmt.notice.get() as NoticeRow | undefined;
    if (!r) return null;
    return {
      text: { vi: r.text_vi, ...(r.text_en ? { en: r.text_en } : {}) },
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      updatedAt: r.updated_at,
      updatedBy: r.updated_by,
    };
  }

  /** The stored notice if it is shown at `at`: from its start (or publication) until its end. */
  function activeNotice(at = now()): ServiceNotice | null {
    const n = notice();
    if (!n) return null;
    if (n.startsAt && Date.parse(n.startsAt) > at) return null;
    return Date.parse(n.endsAt) > at ? n : null;
  }

  return {
    now,
    switches,
    /** Is the channel a message arrived on switched on? Channels without a switch always are. */
    isOpen(channel: Channel): boolean {
      const s = switchOf(channel);
      if (!s) return true;
      const enabled = stmt.switchOf.get(s) as number | undefined;
      return enabled !== 0;
    },
    /** Switches a channel; returns the state before and after (for the audit log). */
    setSwitch(channel: SwitchableChannel, on: boolean, by: string | null): { from: 'on' | 'off'; to: 'on' | 'off' } {
      if (!(SWITCHABLE_CHANNELS as readonly string[]).includes(channel)) throw new ServiceControlError(`Unknown channel "${channel}": one of ${SWITCHABLE_CHANNELS.join(', ')}`);
      return db.transaction(() => {
        const before = switches()[channel];
        stmt.setSwitch.run({ channel, enabled: on ? 1 : 0, at: iso(now()), by });
        return { from: before ? 'on' : 'off', to: on ? 'on' : 'off' } as const;
      })();
    },
    notice,
    activeNotice,
    /**
     * The notice shown now, in the reader's language: English where one was written and asked
     * for, otherwise the Vietnamese text (ethnic-language readers too: we never write theirs).
     */
    publicNotice(lang: string | null | undefined, at = now()): PublicNotice | null {
      const n = activeNotice(at);
      if (!n) return null;
      const useEn = lang === 'en' && n.text.en;
      return { text: useEn ? n.text.en! : n.text.vi, lang: useEn ? 'en' : 'vi', endsAt: n.endsAt };
    },
    /** Milliseconds until what `publicNotice` answers changes (a start or an end), or null. */
    msUntilChange(at = now()): number | null {
      const n = notice();
      if (!n) return null;
      const times = [n.startsAt ? Date.parse(n.startsAt) : null, Date.parse(n.endsAt)].filter((t): t is number => t !== null && t > at);
      return times.length ? Math.min(...times) - at : null;
    },
    /** Checks and stores a notice (replacing any other); returns the one before and the new one. */
    publishNotice(input: NoticeInput, by: string | null): { from: ServiceNotice | null; to: ServiceNotice } {
      const vi = noticeText(input.text.vi, 'text.vi', true)!;
      const en = noticeText(input.text.en, 'text.en', false);
      const end = instant(input.endsAt, 'endsAt');
      const start = input.startsAt ? instant(input.startsAt, 'startsAt') : null;
      if (start !== null && end <= start) throw new ServiceControlError('endsAt must be after startsAt');
      if (end <= now()) throw new ServiceControlError('endsAt is in the past: the notice would never be shown');
      return db.transaction(() => {
        const from = notice();
        stmt.setNotice.run({ vi, en: en ?? null, startsAt: start === null ? null : iso(start), endsAt: iso(end), at: iso(now()), by });
        return { from, to: notice()! };
      })();
    },
    /** Removes the notice; returns the one removed (null: there was none). */
    withdrawNotice(): { from: ServiceNotice | null } {
      return db.transaction(() => {
        const from = notice();
        stmt.deleteNotice.run();
        return { from };
      })();
    },
  };
}

export type ServiceControls = ReturnType<typeof createServiceControls>;

import type { Db } from '../../server/db/database.js';
import type { ChannelName } from './types.js';

/**
 * Each configured channel's state for staff and monitoring, read from what the channel itself
 * records (token store, outbox attempts) — so any process on the database sees the same, and a
 * sender that stopped is not mistaken for a healthy one with nothing to do.
 *
 * - waiting_authorization: Zalo refused to renew the token (auth_failed_at); replies wait.
 * - failing: the channel's latest delivery attempt failed for a reason that is not one user's
 *   (a retry, an unknown outcome, a failed reconciliation, an alerting permanent error); `since`
 *   is the first such failure after the last successful delivery.
 * - ok: otherwise (also with no traffic yet).
 * Per-message refusals (a user outside Zalo's 7-day window, an opted-out number) are not channel
 * failures.
 */
export type ChannelHealthState = 'ok' | 'waiting_authorization' | 'failing';
export const CHANNEL_HEALTH_STATES: readonly ChannelHealthState[] = ['ok', 'waiting_authorization', 'failing'];

export interface ChannelHealth {
  channel: ChannelName;
  state: ChannelHealthState;
  /** Provider error code and message of the latest failure (never message text or user ids). */
  reason: string | null;
  /** Epoch ms since when the channel is in this state (null for ok). */
  since: number | null;
  /** Replies not yet delivered. */
  waiting: number;
}

/** Only the most recent attempts are looked at: the table keeps every attempt ever made. */
const RECENT_ATTEMPTS = 5000;
const FAILURE_OUTCOMES = "('retryable', 'unknown', 'reconcile_failed', 'waiting_auth')";
const ALERT_CODES = "('-201', '-211', '-218')";

export function createChannelHealth(db: Db) {
  const token = db.prepare("SELECT auth_failed_at, last_error FROM channel_tokens WHERE name = 'zalo'");
  const recent = `a.id > (SELECT COALESCE(MAX(id), 0) FROM channel_attempts) - ${RECENT_ATTEMPTS}`;
  const isFailure = `(a.outcome IN ${FAILURE_OUTCOMES} OR (a.outcome = 'permanent' AND a.error_code IN ${ALERT_CODES}))`;
  const latest = db.prepare(`SELECT a.id, a.finished_at AS at, a.outcome, a.error_code AS code, a.error_message AS message, ${isFailure} AS failure
    FROM channel_attempts a JOIN channel_outbox o ON o.id = a.outbox_id
    WHERE ${recent} AND o.channel = ? AND a.finished_at IS NOT NULL AND (a.outcome IN ('sent', 'reconciled_sent') OR ${isFailure})
    ORDER BY a.id DESC LIMIT 1`);
  const firstFailureSince = db.prepare(`SELECT MIN(a.finished_at) AS at FROM channel_attempts a JOIN channel_outbox o ON o.id = a.outbox_id
    WHERE ${recent} AND o.channel = @channel AND a.finished_at IS NOT NULL AND ${isFailure}
      AND a.id > COALESCE((SELECT MAX(b.id) FROM channel_attempts b JOIN channel_outbox p ON p.id = b.outbox_id
        WHERE b.id > (SELECT COALESCE(MAX(id), 0) FROM channel_attempts) - ${RECENT_ATTEMPTS} AND p.channel = @channel AND b.outcome IN ('sent', 'reconciled_sent')), 0)`);
  const waiting = db.prepare("SELECT COUNT(*) AS n FROM channel_outbox WHERE channel = ? AND state IN ('pending', 'sending')");

  return function channelHealth(channels: readonly ChannelName[]): ChannelHealth[] {
    return channels.map((channel) => {
      const n = (waiting.get(channel) as { n: number }).n;
      if (channel === 'zalo') {
        const t = token.get() as { auth_failed_at: number | null; last_error: string | null } | undefined;
        if (t?.auth_failed_at != null) return { channel, state: 'waiting_authorization', reason: t.last_error, since: t.auth_failed_at, waiting: n };
      }
      const last = latest.get(channel) as { at: number; code: string | null; message: string | null; failure: number } | undefined;
      if (!last || !last.failure) return { channel, state: 'ok', reason: null, since: null, waiting: n };
      const since = (firstFailureSince.get({ channel }) as { at: number | null }).at ?? last.at;
      const reason = [last.code, last.message].filter(Boolean).join(': ').slice(0, 300) || null;
      return { channel, state: 'failing', reason, since, waiting: n };
    });
  };
}

export type ChannelHealthReader = ReturnType<typeof createChannelHealth>;

import type { Db } from '../../server/db/database.js';
import type { ChannelAdapter } from './adapter.js';
import type { ChannelStore } from './store.js';
import type { ChannelHooks, ChannelLogger, ChannelName } from './types.js';

/**
 * Zalo only delivers a customer-service message to a user who interacted with the OA in the last
 * 7 days (error −230 otherwise, ../shared/reference/channels.md). A staff reply to an older
 * conversation is not sent (it would fail permanently and cost an attempt); it is marked
 * `outside_window` so the desk can tell the officer to call or wait for the citizen to write again.
 */
export const ZALO_WINDOW_MS = 7 * 86_400_000;

/**
 * Puts staff replies of Zalo and SMS tickets into the durable outbox: each pending reply is
 * formatted by its channel's adapter (split as answers are) and its outbox rows are written in
 * the same transaction that marks it queued. A crash before the commit leaves it pending (sent on
 * the next pass); after it, the outbox sender delivers it once, with its usual retries.
 */
export function createStaffReplyForwarder(deps: { db: Db; store: ChannelStore; adapters: ChannelAdapter[]; hotline: string; log: ChannelLogger; now?: () => number; hooks?: ChannelHooks }) {
  const now = deps.now ?? Date.now;
  const pending = deps.db.prepare(`SELECT m.id, m.text_redacted, t.channel, t.conversation_id FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
    WHERE m.delivery = 'pending' ORDER BY m.id LIMIT 50`);
  const userOf = deps.db.prepare('SELECT user_id FROM channel_users WHERE channel = ? AND conversation_id = ?');
  const mark = deps.db.prepare("UPDATE ticket_messages SET delivery = ? WHERE id = ? AND delivery = 'pending'");
  const adapters = new Map(deps.adapters.map((a) => [a.channel, a]));

  const forwardOne = deps.db.transaction((m: { id: number; text_redacted: string; channel: ChannelName; conversation_id: string }, at: number): string => {
    const adapter = adapters.get(m.channel);
    const row = userOf.get(m.channel, m.conversation_id) as { user_id: string } | undefined;
    const user = row ? deps.store.findUser(m.channel, row.user_id) : null;
    if (!adapter || !user) {
      mark.run('no_user', m.id);
      return 'no_user';
    }
    const lastSeen = (deps.db.prepare('SELECT last_seen_at FROM channel_users WHERE channel = ? AND user_id = ?').get(m.channel, user.userId) as { last_seen_at: number }).last_seen_at;
    if (m.channel === 'zalo' && at - lastSeen > ZALO_WINDOW_MS) {
      mark.run('outside_window', m.id);
      return 'outside_window';
    }
    if (user.optedOut) {
      mark.run('opted_out', m.id);
      return 'opted_out';
    }
    deps.store.enqueueMessages(m.channel, user.userId, adapter.notice(m.text_redacted, user, { hotline: deps.hotline, now: at }), at);
    mark.run('queued', m.id);
    deps.hooks?.at?.('staff:forwarding');
    return 'queued';
  });

  return {
    /** One pass over the pending replies; returns how many were put in the outbox. */
    forward(): number {
      let queued = 0;
      for (const m of pending.all() as Array<{ id: number; text_redacted: string; channel: ChannelName; conversation_id: string }>) {
        const outcome = forwardOne(m, now());
        if (outcome === 'queued') queued++;
        else deps.log.warn({ message: m.id, channel: m.channel, outcome }, 'staff reply not sent');
      }
      return queued;
    },
  };
}

import type { DeskEvents } from './desk-events.js';

export interface ConversationWaitOptions {
  events: DeskEvents;
  /** The ticket whose events end the wait early (the conversation's latest); null: only the re-check can. */
  ticketId: number | null;
  /** True when there is something new to return (a message after the client's point, a status change). */
  changed: () => boolean;
  timeoutMs: number;
  /**
   * How often `changed` is asked while waiting. The hub is in-process only: with WORKERS=2 a staff
   * reply written by the other process is seen by this re-check, not by an event (decision 0023).
   */
  recheckMs: number;
  /** Aborted when the client goes away or the server closes. */
  signal: AbortSignal;
}

/**
 * Holds a long-poll of GET /api/conversations/:id/messages until the conversation has something
 * new, the wait times out, or the request is abandoned. Resolves in every case (the route then
 * reads what there is); never rejects, and leaves no listener or timer behind.
 */
export function waitForConversationChange(opts: ConversationWaitOptions): Promise<void> {
  return new Promise<void>((resolve) => {
    if (opts.signal.aborted || opts.changed()) return resolve();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      unsubscribe();
      clearTimeout(timeout);
      clearInterval(recheck);
      opts.signal.removeEventListener('abort', finish);
      resolve();
    };
    const unsubscribe = opts.events.watch((e) => {
      if (e.ticketId === opts.ticketId && (e.type === 'ticket.message' || e.type === 'ticket.state')) finish();
    });
    const timeout = setTimeout(finish, opts.timeoutMs);
    const recheck = setInterval(() => {
      if (opts.changed()) finish();
    }, opts.recheckMs);
    opts.signal.addEventListener('abort', finish);
  });
}

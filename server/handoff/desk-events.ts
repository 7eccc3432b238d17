import type { DeskEvent } from '../domain/handoff.js';

export type DeskListener = (event: DeskEvent) => void;

/**
 * The staff desk's event hub: the ticket store publishes, each open desk stream subscribes.
 * Created once per assistant and passed in (no module state), so two assistants in one process
 * (tests) never see each other's tickets.
 *
 * In-process only: a second server process has its own hub, and its desks learn of the other's
 * tickets through the page's fallback polling (decision 0020).
 */
export function createDeskEvents() {
  const listeners = new Set<DeskListener>();
  // Citizens' long-polls waiting for a staff reply (conversation-wait.ts): told the same events,
  // counted apart, so the desk-streams gauge counts desks only.
  const watchers = new Set<DeskListener>();
  // The server's own listeners (the channel runtime forwarding staff replies): not counted.
  const internal = new Set<DeskListener>();
  return {
    /**
     * Called inside the write's transaction: delivery waits for the current synchronous work to
     * finish (a microtask), so a desk that reacts by fetching sees the committed row. A rolled-back
     * write may still announce a change that did not happen; the desk refetches and finds nothing new.
     */
    publish(event: DeskEvent): void {
      if (!listeners.size && !watchers.size && !internal.size) return;
      queueMicrotask(() => {
        for (const l of [...listeners, ...watchers, ...internal]) {
          try {
            l(event);
          } catch {
            // A broken stream must not stop the others (its socket's close handler unsubscribes it).
          }
        }
      });
    },
    subscribe(listener: DeskListener): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    /** A citizen's wait for news of a ticket; returns the unsubscribe. */
    watch(listener: DeskListener): () => void {
      watchers.add(listener);
      return () => void watchers.delete(listener);
    },
    /** A listener inside the server (not a desk, not a citizen); returns the unsubscribe. */
    listen(listener: DeskListener): () => void {
      internal.add(listener);
      return () => void internal.delete(listener);
    },
    /** Citizens' long-polls waiting now (for /metrics and tests). */
    get watching(): number {
      return watchers.size;
    },
    /** Open desk streams (for /metrics and tests). */
    get size(): number {
      return listeners.size;
    },
  };
}

export type DeskEvents = ReturnType<typeof createDeskEvents>;

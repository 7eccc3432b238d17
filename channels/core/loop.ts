/** Pieces shared by the inbox worker and the outbox sender: their start/stop and the lease heartbeat. */

/**
 * Starts and stops a background loop: `body` runs while `running()` is true; stop() ends it,
 * kicks the waker so a sleeping loop sees that at once, and waits until the loop returned.
 */
export function createLoopControl(waker: { kick(): void }, body: (running: () => boolean) => Promise<void>) {
  let running = false;
  let loopDone: Promise<void> | null = null;
  const isRunning = () => running;
  return {
    start(): void {
      if (running) return;
      running = true;
      loopDone = body(isRunning);
    },
    async stop(): Promise<void> {
      running = false;
      waker.kick();
      await loopDone;
      loopDone = null;
    },
  };
}

/**
 * Renews a claimed row's lease every third of its length until the returned function is called:
 * the lease stays ours while this process is alive, however long the work takes; if the process
 * dies the beats stop and the lease expires. A failed renewal is left to the next beat or the
 * final write to notice.
 */
export function leaseHeartbeat(leaseMs: number, renew: () => void): () => void {
  const beat = setInterval(() => {
    try {
      renew();
    } catch {
      /* the next beat or the final write will tell */
    }
  }, Math.max(20, Math.floor(leaseMs / 3)));
  return () => clearInterval(beat);
}

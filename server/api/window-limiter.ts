/**
 * Fixed-window counters per key (a conversation id), held by the instance that created them.
 * Why not @fastify/rate-limit: it keys requests before the body is parsed, and the key here is
 * in the body. Expired windows are swept as keys are hit, so memory stays bounded by the keys
 * active within one window.
 */
export interface WindowLimiter {
  hit(key: string, now?: number): { allowed: boolean; retryAfterMs: number };
}

export function createWindowLimiter(opts: { max: number; windowMs: number }): WindowLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;
  return {
    hit(key, now = Date.now()) {
      if (now - lastSweep > opts.windowMs) {
        for (const [k, w] of windows) if (now - w.start >= opts.windowMs) windows.delete(k);
        lastSweep = now;
      }
      let w = windows.get(key);
      if (!w || now - w.start >= opts.windowMs) {
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      return w.count <= opts.max ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: w.start + opts.windowMs - now };
    },
  };
}

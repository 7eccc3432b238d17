/**
 * Backoff for failed staff sign-ins, per account and per client address.
 *
 * After `freeFailures` failures in a row, each further failure doubles the wait before the next
 * attempt is even checked (from `baseDelayMs` up to `maxDelayMs`); a success clears the account's
 * count. While waiting, attempts are refused without hashing anything, so guessing costs the
 * server nothing. Counts live in this process (each WORKERS process keeps its own) and are
 * forgotten after `forgetAfterMs` without failures.
 */
export interface LoginThrottleSettings {
  accountFreeFailures: number;
  addressFreeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  forgetAfterMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleSettings = {
  accountFreeFailures: 5,
  addressFreeFailures: 20,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 24 * 3600_000,
};

export type ThrottleScope = 'account' | 'address';

interface Entry {
  failures: number;
  blockedUntil: number;
  lastFailure: number;
}

export interface LoginThrottle {
  /** When the attempt must wait: which counter blocks it and for how long. */
  check(username: string, address: string, now?: number): { scope: ThrottleScope; retryAfterMs: number } | null;
  /** Records a failure; returns the backoff it started, if any. */
  fail(username: string, address: string, now?: number): Array<{ scope: ThrottleScope; failures: number; delayMs: number }>;
  succeed(username: string): void;
}

export function createLoginThrottle(settings: LoginThrottleSettings = DEFAULT_LOGIN_THROTTLE): LoginThrottle {
  const accounts = new Map<string, Entry>();
  const addresses = new Map<string, Entry>();
  const key = (username: string) => username.normalize('NFC').toLowerCase();

  const sweep = (map: Map<string, Entry>, now: number) => {
    if (map.size < 10_000) return;
    for (const [k, e] of map) if (now - e.lastFailure > settings.forgetAfterMs) map.delete(k);
  };
  const bump = (map: Map<string, Entry>, k: string, free: number, now: number) => {
    sweep(map, now);
    const prev = map.get(k);
    const e = prev && now - prev.lastFailure <= settings.forgetAfterMs ? prev : { failures: 0, blockedUntil: 0, lastFailure: now };
    e.failures++;
    e.lastFailure = now;
    let delayMs = 0;
    if (e.failures >= free) {
      delayMs = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (e.failures - free));
      e.blockedUntil = now + delayMs;
    }
    map.set(k, e);
    return { failures: e.failures, delayMs };
  };

  return {
    check(username, address, now = Date.now()) {
      const a = accounts.get(key(username));
      if (a && a.blockedUntil > now) return { scope: 'account', retryAfterMs: a.blockedUntil - now };
      const b = addresses.get(address);
      if (b && b.blockedUntil > now) return { scope: 'address', retryAfterMs: b.blockedUntil - now };
      return null;
    },
    fail(username, address, now = Date.now()) {
      const out: Array<{ scope: ThrottleScope; failures: number; delayMs: number }> = [];
      const a = bump(accounts, key(username), settings.accountFreeFailures, now);
      if (a.delayMs) out.push({ scope: 'account', ...a });
      const b = bump(addresses, address, settings.addressFreeFailures, now);
      if (b.delayMs) out.push({ scope: 'address', ...b });
      return out;
    },
    succeed(username) {
      accounts.delete(key(username));
    },
  };
}

import crypto from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import type { Db } from '../../server/db/database.js';
import { sleep } from '../core/backoff.js';
import type { ChannelLogger } from '../core/types.js';

export const TOKEN_NAME = 'zalo';

/** The token cannot be obtained until an operator acts (no refresh token, or Zalo rejected it). */
export class ZaloAuthError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds, as Zalo returns it (a string such as "90000"). */
  expiresIn: number;
}

export interface ZaloTokenOptions {
  db: Db;
  appId: string;
  /** App Secret: the `secret_key` header of the OAuth endpoint. */
  appSecret: string;
  oauthBaseUrl: string;
  /** Refresh when the access token expires within this many ms. */
  refreshMarginMs: number;
  /** How long one process may hold the refresh lease. */
  leaseMs?: number;
  timeoutMs?: number;
  /** First refresh token (ZALO_REFRESH_TOKEN), used only when the database has none. */
  seedRefreshToken?: string | null;
  log: ChannelLogger;
  http?: AxiosInstance;
  now?: () => number;
}

interface TokenRow {
  access_token: string | null;
  refresh_token: string | null;
  access_expires_at: number | null;
  version: number;
  lease_owner: string | null;
  lease_until: number | null;
  auth_failed_at: number | null;
  last_error: string | null;
}

/** Parses the OAuth v4 response: `{access_token, refresh_token, expires_in: "90000"}` or `{error, error_name, …}`. */
export function parseTokenResponse(data: unknown): TokenPair | { error: string; reason: string } {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  if (typeof d.access_token === 'string' && d.access_token && typeof d.refresh_token === 'string' && d.refresh_token) {
    const expiresIn = Number(d.expires_in);
    return { accessToken: d.access_token, refreshToken: d.refresh_token, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600 };
  }
  return { error: String(d.error ?? d.error_name ?? 'no_token'), reason: String(d.error_name ?? d.error_reason ?? d.message ?? 'no access_token in response') };
}

/**
 * Stores a token pair (first authorisation, or a refresh) — the only place tokens are written.
 * Replies that waited for a token are made due now, so a re-authorisation (another process, the
 * authorise script) sends them within one poll of the running sender instead of after their backoff.
 */
export function storeTokenPair(db: Db, pair: TokenPair, now: number): void {
  db.transaction(() => {
    db.prepare(`INSERT INTO channel_tokens (name, access_token, refresh_token, access_expires_at, refreshed_at, version)
      VALUES (@name, @access, @refresh, @expires, @now, 1)
      ON CONFLICT (name) DO UPDATE SET access_token = @access, refresh_token = @refresh, access_expires_at = @expires,
        refreshed_at = @now, version = version + 1, lease_owner = NULL, lease_until = NULL, last_error = NULL, auth_failed_at = NULL`).run({
      name: TOKEN_NAME,
      access: pair.accessToken,
      refresh: pair.refreshToken,
      expires: now + pair.expiresIn * 1000,
      now,
    });
    db.prepare("UPDATE channel_outbox SET next_attempt_at = ? WHERE channel = 'zalo' AND state = 'pending' AND next_attempt_at > ?").run(now, now);
  })();
}

/**
 * Zalo OA access tokens. Refresh tokens are single-use, so:
 * - one refresh at a time: an in-process promise shared by all callers plus a lease row in SQLite
 *   so that two processes on the same database never refresh together;
 * - the new pair is committed before the access token is handed out;
 * - refresh ahead of expiry (`refreshMarginMs`), and on demand after Zalo rejects a token
 *   (unless another caller already replaced it).
 */
export function createZaloTokenManager(opts: ZaloTokenOptions) {
  const { db, log } = opts;
  const now = opts.now ?? Date.now;
  const leaseMs = opts.leaseMs ?? 30_000;
  const http = opts.http ?? axios.create({ timeout: opts.timeoutMs ?? 10_000, validateStatus: () => true });
  const owner = `tokens-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const read = db.prepare('SELECT access_token, refresh_token, access_expires_at, version, lease_owner, lease_until, auth_failed_at, last_error FROM channel_tokens WHERE name = ?');
  const takeLease = db.prepare(`UPDATE channel_tokens SET lease_owner = @owner, lease_until = @until
    WHERE name = @name AND (lease_until IS NULL OR lease_until < @now OR lease_owner = @owner)`);
  const releaseLease = db.prepare(`UPDATE channel_tokens SET lease_owner = NULL, lease_until = NULL, last_error = @error,
      auth_failed_at = CASE WHEN @authFailed = 1 THEN COALESCE(auth_failed_at, @now) ELSE auth_failed_at END
    WHERE name = @name AND lease_owner = @owner`);
  let inflight: Promise<string> | null = null;

  if (opts.seedRefreshToken) {
    db.prepare(`INSERT INTO channel_tokens (name, refresh_token, version) VALUES (?, ?, 0)
      ON CONFLICT (name) DO UPDATE SET refresh_token = excluded.refresh_token WHERE channel_tokens.refresh_token IS NULL`).run(TOKEN_NAME, opts.seedRefreshToken);
  }

  const row = (): TokenRow | undefined => read.get(TOKEN_NAME) as TokenRow | undefined;
  const fresh = (r: TokenRow | undefined): r is TokenRow & { access_token: string } =>
    Boolean(r?.access_token) && (r?.access_expires_at ?? 0) - opts.refreshMarginMs > now();

  async function callRefresh(refreshToken: string): Promise<TokenPair> {
    const form = new URLSearchParams({ refresh_token: refreshToken, app_id: opts.appId, grant_type: 'refresh_token' });
    let res;
    try {
      res = await http.post(`${opts.oauthBaseUrl.replace(/\/$/, '')}/v4/oa/access_token`, form.toString(), {
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: opts.appSecret },
      });
    } catch (err) {
      throw new ZaloAuthError(`token refresh request failed: ${(err as Error).message}`, false);
    }
    if (res.status >= 500 || res.status === 429) throw new ZaloAuthError(`token refresh: HTTP ${res.status}`, false);
    const parsed = parseTokenResponse(res.data);
    if ('error' in parsed) throw new ZaloAuthError(`token refresh rejected: ${parsed.error} ${parsed.reason}`, true);
    return parsed;
  }

  async function refresh(seenVersion: number): Promise<string> {
    const deadline = now() + leaseMs * 2;
    // Wait for the lease (another process may be refreshing) unless that process already succeeded.
    for (;;) {
      const r = row();
      if (r && r.version !== seenVersion && fresh(r)) return r.access_token;
      if (takeLease.run({ owner, until: now() + leaseMs, now: now(), name: TOKEN_NAME }).changes === 1) break;
      if (!r) throw new ZaloAuthError('no Zalo token stored: run scripts/channels-zalo-authorize.ts or set ZALO_REFRESH_TOKEN', true);
      if (now() > deadline) throw new ZaloAuthError('timed out waiting for another process to refresh the Zalo token', false);
      await sleep(100);
    }
    let error: string | null = null;
    let authFailed = false;
    try {
      const r = row();
      if (r && r.version !== seenVersion && fresh(r)) return r.access_token;
      if (!r?.refresh_token) throw new ZaloAuthError('no Zalo refresh token stored: run scripts/channels-zalo-authorize.ts', true);
      const pair = await callRefresh(r.refresh_token);
      // Persist the new pair (and release the lease) before anyone uses the new access token.
      storeTokenPair(db, pair, now());
      log.info({ expiresInS: pair.expiresIn }, 'zalo access token refreshed');
      return pair.accessToken;
    } catch (err) {
      error = (err as Error).message.slice(0, 300);
      authFailed = err instanceof ZaloAuthError && err.permanent;
      log.error({ err: { message: error } }, authFailed ? 'zalo token refresh failed: waiting for authorisation (scripts/channels-zalo-authorize.ts)' : 'zalo token refresh failed');
      throw err;
    } finally {
      releaseLease.run({ owner, name: TOKEN_NAME, error, authFailed: authFailed ? 1 : 0, now: now() });
    }
  }

  /**
   * Zalo refused the refresh token: asking again with the same one cannot succeed (they are single
   * use) and would only hammer the OAuth server, so callers learn at once that an operator must act.
   */
  function waitingForAuthorisation(r: TokenRow | undefined): never | void {
    if (r?.auth_failed_at != null) {
      throw new ZaloAuthError(`waiting for authorisation since ${new Date(r.auth_failed_at).toISOString()} (${r.last_error ?? 'token refresh rejected'})`, true);
    }
  }

  function refreshOnce(seenVersion: number): Promise<string> {
    if (!inflight) inflight = refresh(seenVersion).finally(() => (inflight = null));
    return inflight;
  }

  return {
    /** A valid access token, refreshing first when it expires within the margin. */
    async getAccessToken(): Promise<string> {
      const r = row();
      if (fresh(r)) return r.access_token;
      waitingForAuthorisation(r);
      return refreshOnce(r?.version ?? -1);
    },
    /** After Zalo rejected `used`: a new token (refreshing unless someone already did). */
    async renewAfterRejection(used: string): Promise<string> {
      const r = row();
      if (r?.access_token && r.access_token !== used && fresh(r)) return r.access_token;
      waitingForAuthorisation(r);
      return refreshOnce(r?.version ?? -1);
    },
    status(): { hasRefreshToken: boolean; expiresAt: number | null; version: number; authFailedAt: number | null; lastError: string | null } {
      const r = row();
      return { hasRefreshToken: Boolean(r?.refresh_token), expiresAt: r?.access_expires_at ?? null, version: r?.version ?? 0, authFailedAt: r?.auth_failed_at ?? null, lastError: r?.last_error ?? null };
    },
  };
}

export type ZaloTokenManager = ReturnType<typeof createZaloTokenManager>;

/** First authorisation: exchanges an authorization code (+ PKCE verifier) for the first token pair. */
export async function exchangeAuthorizationCode(args: {
  oauthBaseUrl: string;
  appId: string;
  appSecret: string;
  code: string;
  codeVerifier: string;
  timeoutMs?: number;
}): Promise<TokenPair> {
  const form = new URLSearchParams({ code: args.code, app_id: args.appId, grant_type: 'authorization_code', code_verifier: args.codeVerifier });
  const res = await axios.post(`${args.oauthBaseUrl.replace(/\/$/, '')}/v4/oa/access_token`, form.toString(), {
    headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: args.appSecret },
    timeout: args.timeoutMs ?? 15_000,
    validateStatus: () => true,
  });
  const parsed = parseTokenResponse(res.data);
  if ('error' in parsed) throw new ZaloAuthError(`authorization code rejected (HTTP ${res.status}): ${parsed.error} ${parsed.reason}`, true);
  return parsed;
}

import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { ReconcileResult, SendResult, Transport, OutboxRow, ChannelLogger } from '../core/types.js';
import type { ZaloMessageBody, ZaloPayload } from './zalo-format.js';
import { ZaloAuthError, type ZaloTokenManager } from './zalo-tokens.js';

/** Zalo error codes (channels reference): what to do with each. */
export const TOKEN_ERRORS = new Set([-216, -220, -124]);
export const RETRYABLE_ERRORS = new Set([-32, -100]);
export const PERMANENT_ERRORS = new Set([-213, -217, -227, -230, -232, -234, -244, -201, -211, -218]);
/** Permanent errors that need a person: a bug in what we send (-201) or no quota left (-211, -218). */
export const ALERT_ERRORS = new Set([-201, -211, -218]);

export type ZaloErrorClass = 'ok' | 'token' | 'retryable' | 'permanent';

export function classifyZaloError(code: number): ZaloErrorClass {
  if (code === 0) return 'ok';
  if (TOKEN_ERRORS.has(code)) return 'token';
  if (RETRYABLE_ERRORS.has(code)) return 'retryable';
  if (PERMANENT_ERRORS.has(code)) return 'permanent';
  // An unlisted code: the request was answered, so nothing was sent; retrying is safe and bounded.
  return 'retryable';
}

/** Maps one HTTP exchange with the Open API to a send result (errors come as HTTP 200 with error ≠ 0). */
export function classifyZaloResponse(res: Pick<AxiosResponse, 'status' | 'data'>): SendResult | { status: 'token'; code: string; message: string } {
  if (res.status >= 500) return { status: 'retryable', code: `http_${res.status}`, message: `HTTP ${res.status}`, httpStatus: res.status, maybeDelivered: true };
  if (res.status === 429) return { status: 'retryable', code: 'http_429', message: 'HTTP 429', httpStatus: 429, maybeDelivered: false };
  if (res.status < 200 || res.status >= 300) return { status: 'permanent', code: `http_${res.status}`, message: `HTTP ${res.status}`, httpStatus: res.status };
  const data = (res.data && typeof res.data === 'object' ? res.data : null) as Record<string, unknown> | null;
  const code = data ? Number(data.error) : NaN;
  if (!data || !Number.isFinite(code)) return { status: 'retryable', code: 'bad_response', message: 'unexpected response body', httpStatus: res.status, maybeDelivered: true };
  const message = typeof data.message === 'string' ? data.message.slice(0, 200) : `error ${code}`;
  switch (classifyZaloError(code)) {
    case 'ok': {
      const d = (data.data ?? {}) as Record<string, unknown>;
      return { status: 'sent', providerMessageId: d.message_id === undefined ? null : String(d.message_id) };
    }
    case 'token':
      return { status: 'token', code: String(code), message };
    case 'retryable':
      return { status: 'retryable', code: String(code), message, httpStatus: res.status, maybeDelivered: false };
    default:
      return { status: 'permanent', code: String(code), message, httpStatus: res.status, alert: ALERT_ERRORS.has(code) };
  }
}

export interface ZaloClientOptions {
  apiBaseUrl: string;
  timeoutMs: number;
  tokens: ZaloTokenManager;
  log: ChannelLogger;
  /** Ask the conversation API about messages whose outcome is unknown (see docs/decisions/0006). */
  reconcile: boolean;
  /** Lets reconciliation skip provider messages already matched to another outbox row. */
  isKnownProviderId?: (providerId: string) => boolean;
  http?: AxiosInstance;
}

function normaliseText(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Sends customer-service messages (`POST /v3.0/oa/message/cs`, header `access_token`) and
 * reconciles unknown outcomes against `GET /v2.0/oa/conversation`. A rejected token
 * (-216/-220/-124) is refreshed once and the request retried once.
 */
export function createZaloTransport(opts: ZaloClientOptions): Transport & { sendBody(body: ZaloMessageBody): Promise<SendResult> } {
  const base = opts.apiBaseUrl.replace(/\/$/, '');
  const client =
    opts.http ??
    axios.create({
      timeout: opts.timeoutMs,
      validateStatus: () => true,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: 32 }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 32 }),
    });

  async function withToken<T>(fn: (token: string) => Promise<T>, isTokenError: (r: T) => boolean): Promise<T> {
    const token = await opts.tokens.getAccessToken();
    const first = await fn(token);
    if (!isTokenError(first)) return first;
    opts.log.warn({}, 'zalo rejected the access token: refreshing once');
    const renewed = await opts.tokens.renewAfterRejection(token);
    return fn(renewed);
  }

  async function post(body: ZaloMessageBody, token: string) {
    try {
      const res = await client.post(`${base}/v3.0/oa/message/cs`, body, { headers: { access_token: token, 'content-type': 'application/json' } });
      return classifyZaloResponse(res);
    } catch (err) {
      const e = err as { code?: string; message: string };
      // Timeouts and dropped connections: the message may have been accepted.
      return { status: 'retryable' as const, code: e.code ?? 'network', message: `request failed: ${e.code ?? e.message}`, maybeDelivered: true };
    }
  }

  async function sendBody(body: ZaloMessageBody): Promise<SendResult> {
    try {
      const r = await withToken((token) => post(body, token), (r) => r.status === 'token');
      if (r.status === 'token') return { status: 'retryable', code: r.code, message: `access token rejected twice: ${r.message}`, maybeDelivered: false };
      return r;
    } catch (err) {
      if (err instanceof ZaloAuthError) {
        // Nothing was sent. Keep the message: an operator can re-authorise (docs/channels.md); a
        // permanent refusal parks it without counting attempts until then.
        return { status: 'retryable', code: 'auth', message: err.message, maybeDelivered: false, ...(err.permanent ? { waitingForAuth: true } : {}) };
      }
      throw err;
    }
  }

  async function reconcile(row: OutboxRow, since: number): Promise<ReconcileResult> {
    const payload = row.payload as ZaloPayload;
    const userId = payload.body.recipient.user_id;
    const want = normaliseText(payload.body.message.text);
    const query = async (token: string) => {
      const res = await client.get(`${base}/v2.0/oa/conversation`, {
        params: { data: JSON.stringify({ user_id: userId, offset: 0, count: 10 }) },
        headers: { access_token: token },
      });
      const data = (res.data && typeof res.data === 'object' ? res.data : {}) as Record<string, unknown>;
      return { status: res.status, code: Number(data.error), items: Array.isArray(data.data) ? (data.data as Array<Record<string, unknown>>) : [] };
    };
    let r;
    try {
      r = await withToken(query, (x) => TOKEN_ERRORS.has(x.code));
    } catch (err) {
      const waitingForAuth = err instanceof ZaloAuthError && err.permanent;
      return { status: 'unknown', message: `conversation lookup failed: ${(err as Error).message}`, ...(waitingForAuth ? { waitingForAuth } : {}) };
    }
    if (r.status !== 200 || r.code !== 0) return { status: 'unknown', message: `conversation lookup: HTTP ${r.status} error ${r.code}` };
    for (const item of r.items) {
      const fromOa = item.src === 0 || item.src === '0' || String(item.to_id ?? '') === userId;
      const time = Number(item.time);
      const text = typeof item.message === 'string' ? normaliseText(item.message) : '';
      const id = item.message_id === undefined ? null : String(item.message_id);
      if (!fromOa || !Number.isFinite(time) || time < since || text !== want) continue;
      if (id && opts.isKnownProviderId?.(id)) continue;
      return { status: 'sent', providerMessageId: id };
    }
    return { status: 'not_sent' };
  }

  return {
    channel: 'zalo',
    idempotent: false,
    async send(row: OutboxRow): Promise<SendResult> {
      return sendBody((row.payload as ZaloPayload).body);
    },
    ...(opts.reconcile ? { reconcile } : {}),
    sendBody,
  };
}

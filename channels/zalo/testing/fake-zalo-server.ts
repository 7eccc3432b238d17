import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * A local stand-in for the Zalo Open API and OAuth server, for tests and the bench: the shapes and
 * error codes of shared/reference/channels.md, expiring access tokens, single-use rotating refresh
 * tokens, the 7-day window (-230), the rate limit (-32), 5xx and slow responses on demand, and a
 * record of every request. Loopback only.
 */

export interface FakeZaloOptions {
  appId?: string;
  appSecret?: string;
  oaId?: string;
  /** Lifetime of issued access tokens, in seconds (returned as a string, like Zalo). */
  accessTtlS?: number;
  /** Refresh tokens accepted at start. */
  refreshTokens?: string[];
  /** Access tokens accepted at start (token → expiry epoch ms). */
  accessTokens?: Record<string, number>;
  /** Authorization code + PKCE verifier accepted by the first exchange. */
  authCode?: { code: string; verifier: string };
}

export type ForcedResponse =
  | { type: 'error'; code: number; message?: string }
  | { type: 'http'; status: number }
  | { type: 'delay'; ms: number }
  /** Accept and record the message, then answer only after `ms` (a client timeout sees an unknown outcome). */
  | { type: 'accept-then-delay'; ms: number }
  /** Accept and record the message, then destroy the connection without answering. */
  | { type: 'accept-then-drop' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  at: number;
}

export interface SentMessage {
  userId: string;
  text: string;
  buttons: Array<{ title: string; type: string; payload: unknown }>;
  messageId: string;
  at: number;
  accessToken: string;
}

export interface FakeZalo {
  url: string;
  app: FastifyInstance;
  requests: RecordedRequest[];
  sent: SentMessage[];
  refreshCalls: number;
  /** Forced results for the next /v3.0/oa/message/cs calls, in order. */
  forced: ForcedResponse[];
  /** Users whose window has closed (-230). */
  outOfWindow: Set<string>;
  /** Delay added to every message call. */
  delayMs: number;
  /** Delay added to every OAuth call. */
  oauthDelayMs: number;
  currentRefreshTokens(): string[];
  /** Accepts one more refresh token (as if Zalo had issued it earlier). */
  addRefreshToken(token: string): void;
  /** Makes every issued access token expire now (the next call gets -216). */
  expireAccessTokens(): void;
  issueAccessToken(ttlS?: number): string;
  /** Messages per user: the count a "no duplicates" check wants to be 1 per reply. */
  sentTo(userId: string): SentMessage[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeZaloServer(opts: FakeZaloOptions = {}): Promise<FakeZalo> {
  const appId = opts.appId ?? 'app-123';
  const appSecret = opts.appSecret ?? 'app-secret';
  const oaId = opts.oaId ?? 'oa-456';
  const accessTtlS = opts.accessTtlS ?? 90000;
  const refreshTokens = new Set(opts.refreshTokens ?? []);
  const accessTokens = new Map<string, number>(Object.entries(opts.accessTokens ?? {}));
  let messageSeq = 0;

  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const fake: FakeZalo = {
    url: '',
    app,
    requests: [],
    sent: [],
    refreshCalls: 0,
    forced: [],
    outOfWindow: new Set(),
    delayMs: 0,
    oauthDelayMs: 0,
    currentRefreshTokens: () => [...refreshTokens],
    addRefreshToken: (token) => void refreshTokens.add(token),
    expireAccessTokens() {
      for (const k of accessTokens.keys()) accessTokens.set(k, 0);
    },
    issueAccessToken(ttlS = accessTtlS) {
      const token = `at-${crypto.randomUUID()}`;
      accessTokens.set(token, Date.now() + ttlS * 1000);
      return token;
    },
    sentTo: (userId) => fake.sent.filter((m) => m.userId === userId),
    async close() {
      await app.close();
    },
  };

  app.addHook('preHandler', async (req) => {
    fake.requests.push({ method: req.method, path: req.url.split('?')[0], headers: { ...req.headers }, body: req.body, at: Date.now() });
  });

  function tokenError(token: string | undefined): { error: number; message: string } | null {
    if (!token) return { error: -216, message: 'Access token is invalid' };
    const exp = accessTokens.get(token);
    if (exp === undefined) return { error: -216, message: 'Access token is invalid' };
    if (exp <= Date.now()) return { error: -216, message: 'Access token has expired' };
    return null;
  }

  app.post('/v4/oa/access_token', async (req, reply) => {
    fake.refreshCalls++;
    if (fake.oauthDelayMs) await sleep(fake.oauthDelayMs);
    const body = (req.body ?? {}) as Record<string, string>;
    if (req.headers.secret_key !== appSecret) return reply.send({ error: -14014, error_name: 'invalid_secret_key', error_reason: 'secret_key is invalid', ref_doc: '' });
    if (body.app_id !== appId) return reply.send({ error: -14002, error_name: 'invalid_app_id', error_reason: 'app_id is invalid', ref_doc: '' });
    if (body.grant_type === 'refresh_token') {
      if (!body.refresh_token || !refreshTokens.has(body.refresh_token)) {
        return reply.send({ error: -14020, error_name: 'invalid_refresh_token', error_reason: 'Refresh token is invalid or used', ref_doc: '' });
      }
      refreshTokens.delete(body.refresh_token); // single use
    } else if (body.grant_type === 'authorization_code') {
      if (!opts.authCode || body.code !== opts.authCode.code || body.code_verifier !== opts.authCode.verifier) {
        return reply.send({ error: -14019, error_name: 'invalid_code', error_reason: 'Authorization code or code_verifier is invalid', ref_doc: '' });
      }
      opts.authCode = undefined; // codes are single use too
    } else {
      return reply.send({ error: -14001, error_name: 'invalid_grant_type', error_reason: 'grant_type is invalid', ref_doc: '' });
    }
    const refresh = `rt-${crypto.randomUUID()}`;
    refreshTokens.add(refresh);
    return reply.send({ access_token: fake.issueAccessToken(), refresh_token: refresh, expires_in: String(accessTtlS) });
  });

  app.post('/v3.0/oa/message/cs', async (req, reply) => {
    const forced = fake.forced.shift();
    if (fake.delayMs) await sleep(fake.delayMs);
    if (forced?.type === 'delay') await sleep(forced.ms);
    if (forced?.type === 'http') return reply.code(forced.status).send({ message: 'Internal Server Error' });
    if (forced?.type === 'error') return reply.send({ error: forced.code, message: forced.message ?? `forced error ${forced.code}` });
    const token = req.headers.access_token as string | undefined;
    const tErr = tokenError(token);
    if (tErr) return reply.send(tErr);
    type Button = { title?: unknown; type?: unknown; payload?: unknown };
    const body = (req.body ?? {}) as { recipient?: { user_id?: unknown }; message?: { text?: unknown; attachment?: { payload?: { buttons?: unknown } } } };
    const userId = body.recipient?.user_id;
    const text = body.message?.text;
    const buttons = body.message?.attachment?.payload?.buttons ?? [];
    if (typeof userId !== 'string' || !userId || typeof text !== 'string' || !text) return reply.send({ error: -201, message: 'Parameter is invalid' });
    if ([...text].length > 2000) return reply.send({ error: -201, message: 'Text length exceeds 2000' });
    if (!Array.isArray(buttons) || buttons.length > 5) return reply.send({ error: -201, message: 'Too many buttons' });
    for (const b of buttons as Button[]) {
      const payload = (b.payload ?? {}) as { url?: unknown; phone_code?: unknown };
      if (typeof b.title !== 'string' || [...b.title].length > 100) return reply.send({ error: -201, message: 'Button title is invalid' });
      if (typeof b.type !== 'string' || !['oa.query.show', 'oa.query.hide', 'oa.open.url', 'oa.open.phone', 'oa.open.sms'].includes(b.type)) return reply.send({ error: -201, message: 'Button type is invalid' });
      if ((b.type === 'oa.query.show' || b.type === 'oa.query.hide') && (typeof b.payload !== 'string' || b.payload.length > 1000)) return reply.send({ error: -201, message: 'Button payload is invalid' });
      if (b.type === 'oa.open.url' && typeof payload.url !== 'string') return reply.send({ error: -201, message: 'Button url is invalid' });
      if (b.type === 'oa.open.phone' && typeof payload.phone_code !== 'string') return reply.send({ error: -201, message: 'Button phone is invalid' });
    }
    if (fake.outOfWindow.has(userId)) return reply.send({ error: -230, message: 'User has not interacted with the OA in the past 7 days' });
    const messageId = `msg-${++messageSeq}-${crypto.randomUUID().slice(0, 8)}`;
    fake.sent.push({ userId, text, buttons: buttons as SentMessage['buttons'], messageId, at: Date.now(), accessToken: token! });
    if (forced?.type === 'accept-then-drop') {
      req.raw.socket.destroy();
      return reply.hijack();
    }
    if (forced?.type === 'accept-then-delay') await sleep(forced.ms);
    return reply.send({ error: 0, message: 'Success', data: { message_id: messageId, user_id: userId, quota: { quota_type: 'reply', remain: 7, total: 8 } } });
  });

  app.get('/v2.0/oa/conversation', async (req, reply) => {
    const tErr = tokenError(req.headers.access_token as string | undefined);
    if (tErr) return reply.send(tErr);
    let q: { user_id?: string; offset?: number; count?: number } = {};
    try {
      q = JSON.parse(String((req.query as Record<string, string>).data ?? '{}'));
    } catch {
      return reply.send({ error: -201, message: 'Parameter is invalid' });
    }
    const offset = Number(q.offset ?? 0);
    const count = Math.min(10, Number(q.count ?? 10));
    const items = fake
      .sentTo(String(q.user_id))
      .slice()
      .reverse()
      .slice(offset, offset + count)
      .map((m) => ({ src: 0, time: m.at, type: 'text', message: m.text, message_id: m.messageId, from_id: oaId, to_id: m.userId }));
    return reply.send({ error: 0, message: 'Success', data: items });
  });

  fake.url = await app.listen({ host: '127.0.0.1', port: 0 });
  return fake;
}

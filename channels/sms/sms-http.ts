import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import type { FastifyInstance } from 'fastify';
import type { SmsHttpConfig } from '../config.js';
import type { ChannelStore } from '../core/store.js';
import type { ChannelLogger, OutboxRow, SendResult, Transport } from '../core/types.js';
import { normalisePhone, type SmsHttpPayload } from './sms-payload.js';

export const SMS_INBOUND_PATH = '/channels/sms/inbound';

type Params = Record<string, string>;

function flatten(obj: unknown): Params {
  const out: Params = {};
  if (!obj || typeof obj !== 'object') return out;
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
  }
  return out;
}

/** The gateway's value for one of our logical fields (first configured name present wins). */
export function inboundField(params: Params, config: SmsHttpConfig, field: keyof SmsHttpConfig['inboundFields']): string | undefined {
  for (const name of config.inboundFields[field]) if (params[name] !== undefined) return params[name];
  return undefined;
}

/** Every field of a callback, in this order, is covered by the hmac-sha256 signature. */
export const SIGNED_FIELDS = ['cpid', 'sender', 'serviceNumber', 'keyword', 'smsid', 'receiveTime', 'content'] as const;

/**
 * The bytes the hmac-sha256 signature covers: for each field `name:<byte length>:<value>\n`.
 * The lengths make the framing unambiguous: shifting characters between fields changes it.
 */
export function smsSignedBytes(values: Record<(typeof SIGNED_FIELDS)[number], string>): Buffer {
  return Buffer.concat(
    SIGNED_FIELDS.map((f) => {
      const v = Buffer.from(values[f], 'utf8');
      return Buffer.concat([Buffer.from(`${f}:${v.length}:`, 'utf8'), v, Buffer.from('\n')]);
    }),
  );
}

/** The signature the gateway must send (hex), per SMS_HTTP_SIGNATURE. */
export function smsCallbackSignature(params: Params, config: SmsHttpConfig): string {
  if (config.signature === 'hmac-sha256') {
    const values = Object.fromEntries(SIGNED_FIELDS.map((f) => [f, f === 'cpid' ? config.cpid : (inboundField(params, config, f) ?? '')])) as Record<(typeof SIGNED_FIELDS)[number], string>;
    return crypto.createHmac('sha256', config.privateKey).update(smsSignedBytes(values)).digest('hex');
  }
  // md5: MD5 of the configured fields concatenated (default cpid + smsid + content + receiveTime + privateKey).
  const parts = config.signFields.map((f) => {
    if (f === 'cpid') return config.cpid;
    if (f === 'privateKey') return config.privateKey;
    return inboundField(params, config, f as keyof SmsHttpConfig['inboundFields']) ?? '';
  });
  return crypto.createHash('md5').update(parts.join(''), 'utf8').digest('hex');
}

/** Epoch ms of a yyyyMMddHHmmss receive time at `offsetMinutes` from UTC, or null when malformed. */
export function parseReceiveTime(value: string | undefined, offsetMinutes: number): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value ?? '');
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(t);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return t - offsetMinutes * 60_000;
}

function sameHex(given: string | undefined, expected: string): boolean {
  if (!given || !/^[0-9a-fA-F]+$/.test(given) || given.length !== expected.length) return false;
  return crypto.timingSafeEqual(Buffer.from(given.toLowerCase(), 'utf8'), Buffer.from(expected, 'utf8'));
}

export interface SmsHttpChannelOptions {
  config: SmsHttpConfig;
  store: ChannelStore;
  log: ChannelLogger;
  onInbox?: () => void;
  now?: () => number;
}

/**
 * `GET|POST /channels/sms/inbound`: the aggregator's MO callback. Query string, form or JSON;
 * signature checked in constant time; de-duplicated on smsid; stored before answering 200.
 */
export async function smsHttpChannel(app: FastifyInstance, opts: SmsHttpChannelOptions): Promise<void> {
  const { config, store, log } = opts;
  const now = opts.now ?? Date.now;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  const okIsJson = (() => {
    try {
      JSON.parse(config.inboundOkBody);
      return true;
    } catch {
      return false;
    }
  })();

  app.route({
    method: ['GET', 'POST'],
    url: SMS_INBOUND_PATH,
    config: { rateLimit: false },
    // The callback's query string carries the phone number and the message: fastify's
    // per-request info logs (which include the URL) must not be written for this route.
    logLevel: 'warn',
    handler: async (req, reply) => {
      const params = { ...flatten(req.query), ...flatten(req.body) };
      const sign = inboundField(params, config, 'sign');
      if (!sameHex(sign, smsCallbackSignature(params, config))) {
        log.warn({}, 'sms inbound: bad signature');
        return reply.code(401).send({ error: 'bad_signature' });
      }
      // A captured callback cannot be played back later: its time is signed and must be recent…
      const at = parseReceiveTime(inboundField(params, config, 'receiveTime'), config.timeOffsetMinutes);
      if (at === null || Math.abs(now() - at) > config.maxAgeMs) {
        log.warn({}, 'sms inbound: receive time missing or outside the window');
        return reply.code(401).send({ error: 'stale_callback' });
      }
      // …and once accepted it is only acknowledged again (a gateway retry gets its 200).
      if (!store.rememberCallback(sign!.toLowerCase(), now(), 2 * config.maxAgeMs)) {
        return reply.code(200).type(okIsJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8').send(config.inboundOkBody);
      }
      const sender = inboundField(params, config, 'sender');
      const content = inboundField(params, config, 'content');
      const smsid = inboundField(params, config, 'smsid');
      if (!sender || content === undefined || !smsid) return reply.code(400).send({ error: 'bad_request', message: 'sender, content and smsid are required' });
      const res = store.insertInbox({
        channel: 'sms',
        externalId: `http:${smsid}`,
        userId: normalisePhone(sender),
        kind: 'text',
        text: content,
        meta: { serviceNumber: inboundField(params, config, 'serviceNumber') ?? null },
        receivedAt: now(),
      });
      if (res.inserted) {
        log.debug({ inbox: res.id }, 'sms message queued');
        opts.onInbox?.();
      }
      return reply
        .code(200)
        .type(okIsJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8')
        .send(config.inboundOkBody);
    },
  });
}

function pick(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

/** Builds the gateway request from the configured shape (exported for the docs and tests). */
export function smsHttpRequestParams(config: SmsHttpConfig, payload: SmsHttpPayload, requestId: string): Record<string, string> {
  const values: Record<keyof SmsHttpConfig['sendFields'], string> = {
    to: payload.to,
    text: payload.text,
    sender: config.sender,
    requestId,
    unicode: payload.unicode ? '1' : '0',
  };
  const out: Record<string, string> = { ...config.sendStatic };
  for (const [field, name] of Object.entries(config.sendFields) as Array<[keyof SmsHttpConfig['sendFields'], string]>) {
    if (!name) continue;
    if (field === 'sender' && !values.sender) continue;
    out[name] = values[field];
  }
  return out;
}

/**
 * Sends replies through an HTTP gateway. The outbox row's idempotency key goes in the request
 * (default field `requestId`), so a re-send after an unknown outcome is dropped by a gateway that
 * de-duplicates (SMS_HTTP_IDEMPOTENT_RESEND).
 */
export function createSmsHttpTransport(config: SmsHttpConfig, opts: { http?: AxiosInstance } = {}): Transport {
  const client =
    opts.http ??
    axios.create({
      timeout: config.timeoutMs,
      validateStatus: () => true,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: 16 }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 16 }),
    });
  return {
    channel: 'sms',
    idempotent: config.idempotentResend,
    async send(row: OutboxRow): Promise<SendResult> {
      const params = smsHttpRequestParams(config, row.payload as SmsHttpPayload, row.idempotencyKey);
      let res;
      try {
        if (config.sendMethod === 'GET') {
          res = await client.get(config.sendUrl, { params, headers: config.sendHeaders });
        } else if (config.sendFormat === 'form') {
          res = await client.post(config.sendUrl, new URLSearchParams(params).toString(), {
            headers: { ...config.sendHeaders, 'content-type': 'application/x-www-form-urlencoded' },
          });
        } else {
          res = await client.post(config.sendUrl, params, { headers: { ...config.sendHeaders, 'content-type': 'application/json' } });
        }
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'network';
        return { status: 'retryable', code, message: `request failed: ${code}`, maybeDelivered: !NEVER_SENT.has(code) };
      }
      if (res.status >= 500) return { status: 'retryable', code: `http_${res.status}`, message: `HTTP ${res.status}`, httpStatus: res.status, maybeDelivered: true };
      if (res.status === 429) return { status: 'retryable', code: 'http_429', message: 'HTTP 429', httpStatus: 429, maybeDelivered: false };
      if (res.status < 200 || res.status >= 300) return { status: 'permanent', code: `http_${res.status}`, message: `HTTP ${res.status}`, httpStatus: res.status };
      let body: unknown = res.data;
      if (typeof body === 'string') {
        try {
          body = JSON.parse(body);
        } catch {
          /* plain text body */
        }
      }
      if (config.successField) {
        const v = pick(body, config.successField);
        const value = v === undefined || v === null ? '' : String(v);
        if (!config.successValues.includes(value)) {
          if (config.retryableValues.includes(value)) return { status: 'retryable', code: value, message: `gateway status ${value}`, httpStatus: res.status, maybeDelivered: false };
          return { status: 'permanent', code: value || 'no_status', message: `gateway status ${value || '(missing)'}`, httpStatus: res.status, alert: true };
        }
      }
      const id = pick(body, config.messageIdField);
      return { status: 'sent', providerMessageId: id === undefined || id === null ? null : String(id) };
    },
  };
}

import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * A local SMS aggregator for tests: accepts replies on `/send` (JSON, form or query string),
 * de-duplicates on the request id like a gateway that honours idempotency keys, can fail or stall
 * on demand, and records every request. Also signs MO callbacks the way the reference aggregator does.
 */

export type GatewayForced =
  | { type: 'http'; status: number }
  | { type: 'status'; value: string }
  | { type: 'delay'; ms: number }
  /** Accept (deliver) the message, then answer only after `ms`. */
  | { type: 'accept-then-delay'; ms: number };

export interface GatewayDelivery {
  to: string;
  text: string;
  requestId: string | undefined;
  messageId: string;
  params: Record<string, string>;
  at: number;
}

export interface FakeSmsGateway {
  url: string;
  sendUrl: string;
  app: FastifyInstance;
  /** Every request to /send (including duplicates and failures). */
  requests: Array<{ method: string; contentType: string | undefined; params: Record<string, string>; headers: Record<string, unknown> }>;
  /** Messages actually delivered to phones (a repeated request id is not delivered again). */
  delivered: GatewayDelivery[];
  forced: GatewayForced[];
  /** Field names the gateway reads (to test other request shapes). */
  fields: { to: string; text: string; requestId: string };
  deliveredTo(phone: string): GatewayDelivery[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeSmsGateway(opts: { fields?: Partial<FakeSmsGateway['fields']> } = {}): Promise<FakeSmsGateway> {
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  const byRequestId = new Map<string, GatewayDelivery>();
  let seq = 0;
  const gw: FakeSmsGateway = {
    url: '',
    sendUrl: '',
    app,
    requests: [],
    delivered: [],
    forced: [],
    fields: { to: 'to', text: 'text', requestId: 'requestId', ...opts.fields },
    deliveredTo: (phone) => gw.delivered.filter((d) => d.to === phone),
    async close() {
      await app.close();
    },
  };

  app.route({
    method: ['GET', 'POST'],
    url: '/send',
    handler: async (req, reply) => {
      const params: Record<string, string> = {};
      for (const src of [req.query, req.body]) {
        if (src && typeof src === 'object') for (const [k, v] of Object.entries(src as Record<string, unknown>)) params[k] = String(v);
      }
      gw.requests.push({ method: req.method, contentType: req.headers['content-type'], params, headers: { ...req.headers } });
      const forced = gw.forced.shift();
      if (forced?.type === 'delay') await sleep(forced.ms);
      if (forced?.type === 'http') return reply.code(forced.status).send({ status: 'error' });
      if (forced?.type === 'status') return reply.send({ status: forced.value });
      const to = params[gw.fields.to];
      const text = params[gw.fields.text];
      if (!to || !text) return reply.code(400).send({ status: 'invalid', message: 'to and text are required' });
      const requestId = params[gw.fields.requestId];
      const existing = requestId ? byRequestId.get(requestId) : undefined;
      if (existing) return reply.send({ status: 'ok', messageId: existing.messageId, duplicate: true });
      const d: GatewayDelivery = { to, text, requestId, messageId: `gw-${++seq}-${crypto.randomUUID().slice(0, 6)}`, params, at: Date.now() };
      gw.delivered.push(d);
      if (requestId) byRequestId.set(requestId, d);
      if (forced?.type === 'accept-then-delay') await sleep(forced.ms);
      return reply.send({ status: 'ok', messageId: d.messageId });
    },
  });

  gw.url = await app.listen({ host: '127.0.0.1', port: 0 });
  gw.sendUrl = `${gw.url}/send`;
  return gw;
}

/** yyyyMMddHHmmss at UTC+7 (the gateway's local time). */
export function gatewayTime(ms: number = Date.now(), offsetMinutes = 420): string {
  return new Date(ms + offsetMinutes * 60_000).toISOString().replace(/\D/g, '').slice(0, 14);
}

/**
 * An MO callback as a gateway sends it. scheme hmac-sha256 (default): HMAC-SHA256 over every
 * field framed with its length (channels/sms/sms-http.ts); md5: the reference aggregator's
 * MD5(cpid + smsid + content + receiveTime + privateKey). The receive time defaults to now.
 */
export function signedMoParams(args: {
  cpid: string;
  privateKey: string;
  sender: string;
  content: string;
  smsid: string;
  serviceNumber?: string;
  receiveTime?: string;
  /** Parameter name for the receive time ("receiverTime" in the reference example, or "receiveTime"). */
  timeField?: string;
  scheme?: 'hmac-sha256' | 'md5';
}): Record<string, string> {
  const receiveTime = args.receiveTime ?? gatewayTime();
  const serviceNumber = args.serviceNumber ?? '8088';
  const keyword = args.content.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
  let sign: string;
  if (args.scheme === 'md5') {
    sign = crypto.createHash('md5').update(`${args.cpid}${args.smsid}${args.content}${receiveTime}${args.privateKey}`, 'utf8').digest('hex');
  } else {
    const values: Record<string, string> = { cpid: args.cpid, sender: args.sender, serviceNumber, keyword, smsid: args.smsid, receiveTime, content: args.content };
    const framed = ['cpid', 'sender', 'serviceNumber', 'keyword', 'smsid', 'receiveTime', 'content'].map((f) => {
      const v = Buffer.from(values[f], 'utf8');
      return Buffer.concat([Buffer.from(`${f}:${v.length}:`, 'utf8'), v, Buffer.from('\n')]);
    });
    sign = crypto.createHmac('sha256', args.privateKey).update(Buffer.concat(framed)).digest('hex');
  }
  return {
    sender: args.sender,
    content: args.content,
    serviceNumber,
    keyword,
    smsid: args.smsid,
    [args.timeField ?? 'receiverTime']: receiveTime,
    sign,
  };
}

import type { FastifyInstance } from 'fastify';
import type { ZaloConfig } from '../config.js';
import type { ChannelStore } from '../core/store.js';
import type { ChannelLogger } from '../core/types.js';
import { parseZaloEvent } from './zalo-events.js';
import { verifyZaloSignature } from './zalo-signature.js';

export interface ZaloChannelOptions {
  config: ZaloConfig;
  store: ChannelStore;
  log: ChannelLogger;
  /** Called after an event was stored (wakes the worker). */
  onInbox?: () => void;
  now?: () => number;
}

export const ZALO_WEBHOOK_PATH = '/channels/zalo/webhook';

/**
 * `POST /channels/zalo/webhook`. Register with `app.register(zaloChannel, opts)`: the plugin is
 * encapsulated so its raw-body parser applies to this route only. Order: raw bytes → JSON →
 * signature (constant time) → timestamp window → de-duplicated insert into the inbox → 200.
 * Nothing slow happens before the answer; the worker does the rest.
 */
export async function zaloChannel(app: FastifyInstance, opts: ZaloChannelOptions): Promise<void> {
  const { config, store, log } = opts;
  const now = opts.now ?? Date.now;
  const signId = config.signatureIdKind === 'oa_id' ? (config.oaId ?? '') : config.appId;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));

  // logLevel 'warn': fastify's per-request info logs (URL, status) stay out of the operational log.
  app.post(ZALO_WEBHOOK_PATH, { config: { rateLimit: false }, logLevel: 'warn' }, async (req, reply) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const header = req.headers['x-zevent-signature'];
    const signature = Array.isArray(header) ? header[0] : header;
    if (!signature && config.ackUnsigned) {
      // Registration checks may POST without a signature: acknowledge, store nothing.
      log.info({}, 'zalo webhook: unsigned request acknowledged and ignored (ZALO_ACK_UNSIGNED)');
      return reply.code(200).send({ status: 'ignored' });
    }
    let body: Record<string, unknown>;
    try {
      const parsed = JSON.parse(raw.toString('utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      return reply.code(400).send({ error: 'bad_request', message: 'body must be a JSON object' });
    }
    const timestamp = typeof body.timestamp === 'string' ? body.timestamp : typeof body.timestamp === 'number' ? String(body.timestamp) : '';
    if (!verifyZaloSignature(signature, signId, raw, timestamp, config.signatureSecret)) {
      log.warn({ event: typeof body.event_name === 'string' ? body.event_name.slice(0, 40) : null }, 'zalo webhook: bad signature');
      return reply.code(401).send({ error: 'bad_signature' });
    }
    const ts = Number(timestamp);
    if (!Number.isFinite(ts) || Math.abs(now() - ts) > config.timestampWindowMs) {
      log.warn({ skewMs: Number.isFinite(ts) ? now() - ts : null }, 'zalo webhook: stale timestamp');
      return reply.code(401).send({ error: 'stale_timestamp' });
    }
    const event = parseZaloEvent(body, raw);
    if ('ignore' in event) return reply.code(200).send({ status: 'ignored' });
    const res = store.insertInbox({ channel: 'zalo', externalId: event.externalId, userId: event.userId, kind: event.kind, text: event.text, meta: event.meta, receivedAt: now() });
    if (res.inserted) {
      log.debug({ inbox: res.id, kind: event.kind }, 'zalo event queued');
      opts.onInbox?.();
    }
    return reply.code(200).send({ status: res.inserted ? 'queued' : 'duplicate' });
  });
}

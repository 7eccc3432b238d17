import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database.js';
import { tempDir } from '../../server/test-support/temp-dir.js';
import { loadChannelsConfig } from '../config.js';
import { createInboxCipher } from '../core/inbox-cipher.js';
import { createChannelStore } from '../core/store.js';
import { postZaloEvent, textEvent } from './testing/zalo-webhook-client.js';
import { zaloChannel } from './zalo-webhook.js';

/** The webhook alone (no worker): signature variants, timestamp window, what is stored. */

let dir: string;
let db: Db;
const apps: FastifyInstance[] = [];

beforeAll(() => {
  dir = tempDir();
  db = openDatabase(path.join(dir, 'webhook.sqlite'));
});
afterAll(async () => {
  for (const a of apps) await a.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function webhook(env: Record<string, string>): Promise<string> {
  const config = loadChannelsConfig({ ZALO_APP_ID: 'app-1', ZALO_OA_ID: 'oa-2', ZALO_APP_SECRET: 'the-app-secret', ...env });
  const app = Fastify();
  // The app-level JSON parser must not interfere: the plugin's raw-body parser is encapsulated.
  app.post('/other', async (req) => ({ got: req.body }));
  await app.register(zaloChannel, { config: config.zalo!, store: createChannelStore(db, { cipher: createInboxCipher(crypto.randomBytes(32)) }), log: pino({ level: 'silent' }) });
  apps.push(app);
  return `${await app.listen({ host: '127.0.0.1', port: 0 })}/channels/zalo/webhook`;
}

const stored = (msgId: string) => db.prepare("SELECT COUNT(*) AS n FROM channel_inbox WHERE channel = 'zalo' AND external_id = ?").get(msgId) as { n: number };

describe('Zalo webhook signature variants (❓ in the reference: both are configurable)', () => {
  it.each([
    ['oa_secret_key', 'app_id', 'the-oa-secret-key', 'app-1'],
    ['oa_secret_key', 'oa_id', 'the-oa-secret-key', 'oa-2'],
    ['app_secret', 'app_id', 'the-app-secret', 'app-1'],
    ['app_secret', 'oa_id', 'the-app-secret', 'oa-2'],
  ])('secret %s + id %s', async (secretKind, idKind, secret, id) => {
    const url = await webhook({
      ZALO_SIGNATURE_SECRET_KIND: secretKind,
      ZALO_SIGNATURE_ID_KIND: idKind,
      ...(secretKind === 'oa_secret_key' ? { ZALO_OA_SECRET_KEY: 'the-oa-secret-key' } : {}),
    });
    const msgId = `m-${secretKind}-${idKind}`;
    const ev = textEvent({ appId: 'app-1', userId: 'u1', text: 'xin chào', msgId });
    const otherSecret = secret === 'the-app-secret' ? 'the-oa-secret-key' : 'the-app-secret';
    const otherId = id === 'app-1' ? 'oa-2' : 'app-1';
    expect((await postZaloEvent(url, ev, { id, secret: otherSecret })).status).toBe(401);
    expect((await postZaloEvent(url, ev, { id: otherId, secret })).status).toBe(401);
    expect(stored(msgId).n).toBe(0);
    const ok = await postZaloEvent(url, ev, { id, secret });
    expect(ok.status).toBe(200);
    // Stored before the 200 was sent.
    expect(stored(msgId).n).toBe(1);
  });

  it('accepts ZALO_SECRET as the secret of the selected kind', async () => {
    const url = await webhook({ ZALO_SECRET: 'generic-oa-key' });
    const ev = textEvent({ appId: 'app-1', userId: 'u1', text: 'xin chào', msgId: 'm-generic' });
    expect((await postZaloEvent(url, ev, { id: 'app-1', secret: 'generic-oa-key' })).status).toBe(200);
  });
});

describe('Zalo webhook checks', () => {
  let url: string;
  const sign = { id: 'app-1', secret: 'k' };
  beforeAll(async () => {
    url = await webhook({ ZALO_OA_SECRET_KEY: 'k', ZALO_WEBHOOK_MAX_AGE_MS: '2000' });
  });

  it('enforces the configured timestamp window, both ways', async () => {
    const old = textEvent({ appId: 'app-1', userId: 'u2', text: 'x', msgId: 'old', timestamp: Date.now() - 3000 });
    const future = textEvent({ appId: 'app-1', userId: 'u2', text: 'x', msgId: 'future', timestamp: Date.now() + 3000 });
    const fresh = textEvent({ appId: 'app-1', userId: 'u2', text: 'x', msgId: 'fresh', timestamp: Date.now() - 1000 });
    expect((await postZaloEvent(url, old, sign)).body).toEqual({ error: 'stale_timestamp' });
    expect((await postZaloEvent(url, future, sign)).status).toBe(401);
    expect((await postZaloEvent(url, fresh, sign)).status).toBe(200);
  });

  it('answers malformed bodies with 400 and unsigned ones with 401', async () => {
    const bad = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zevent-signature': 'mac=00' }, body: '{"app_id": ' });
    expect(bad.status).toBe(400);
    const noBody = await fetch(url, { method: 'POST' });
    expect(noBody.status).toBe(400);
    const ev = textEvent({ appId: 'app-1', userId: 'u2', text: 'x', msgId: 'unsigned' });
    expect((await postZaloEvent(url, ev, sign, { signature: null })).status).toBe(401);
  });

  it('does not change how the rest of the app parses JSON', async () => {
    const app = apps[apps.length - 1];
    const res = await app.inject({ method: 'POST', url: '/other', payload: { a: 1 } });
    expect(res.json()).toEqual({ got: { a: 1 } });
  });

  it('ZALO_ACK_UNSIGNED acknowledges an unsigned registration check without storing it', async () => {
    const u = await webhook({ ZALO_OA_SECRET_KEY: 'k', ZALO_ACK_UNSIGNED: 'true' });
    const ev = textEvent({ appId: 'app-1', userId: 'u3', text: 'x', msgId: 'probe' });
    const r = await postZaloEvent(u, ev, sign, { signature: null });
    expect(r).toEqual({ status: 200, body: { status: 'ignored' } });
    expect(stored('probe').n).toBe(0);
    expect((await postZaloEvent(u, ev, { id: 'app-1', secret: 'wrong' })).status).toBe(401);
  });
});

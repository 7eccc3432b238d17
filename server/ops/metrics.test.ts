import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { createChannelStore } from '../../channels/core/store.js';
import { createInboxCipher } from '../../channels/core/inbox-cipher.js';

const TOKEN = 'metrics-token-0123456789';
let t: TempAssistant;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '1000', METRICS_TOKEN: TOKEN, SEED_PROCEDURES_FILE: 'none' });
  app = await buildApp({ assistant: t.assistant });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
  t.cleanup();
});

const chat = (message: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ message }) });

function value(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').at(-1));
  }
  return null;
}

describe('GET /metrics', () => {
  it('counts requests per route template, answers by kind, channel and language, and fallbacks; test traffic excluded', async () => {
    expect((await chat('Đăng ký thường trú cần những giấy tờ gì?')).status).toBe(200);
    expect((await chat('xyzzy qwerty plugh')).status).toBe(200);
    expect((await chat('Đăng ký thường trú cần những giấy tờ gì?', { 'x-test': '1' })).status).toBe(200);
    await fetch(`${base}/staff/api/answers/some-answer-id-123`);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(value(text, 'dvc_http_requests_total', { route: '/api/chat', method: 'POST', status: '200' })).toBe(2);
    expect(value(text, 'dvc_http_request_duration_seconds_count', { route: '/api/chat', method: 'POST' })).toBe(2);
    expect(value(text, 'dvc_answers_total', { kind: 'answer', channel: 'api', lang: 'vi' })).toBe(1);
    expect(value(text, 'dvc_answers_total', { kind: 'fallback', channel: 'api' })).toBe(1);
    expect(value(text, 'dvc_fallbacks_total', { channel: 'api' })).toBe(1);
    // Ids in the URL never become labels.
    expect(text).not.toContain('some-answer-id-123');
    expect(text).not.toMatch(/thường trú|xyzzy/);
    // Process memory, event-loop lag, index.
    expect(value(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    const { index } = t.assistant.indexHolder.get();
    expect(value(text, 'dvc_index_info', { version: index.version })).toBe(1);
    expect(value(text, 'dvc_index_build_seconds')).toBeGreaterThan(0);
    expect(value(text, 'dvc_index_built_timestamp_seconds')).toBeGreaterThan(1.7e9);
    expect(value(text, 'dvc_channel_state', { channel: 'web', state: 'on' })).toBe(1);
  });

  it('reports inbox and outbox depths and the oldest waiting message, without user ids', async () => {
    const store = createChannelStore(t.assistant.db, { cipher: createInboxCipher(crypto.randomBytes(32)) });
    const tenMinutesAgo = Date.now() - 600_000;
    store.insertInbox({ channel: 'zalo', externalId: 'm-old', userId: 'zalo-user-secret-1', kind: 'text', text: 'khai sinh', receivedAt: tenMinutesAgo });
    store.insertInbox({ channel: 'zalo', externalId: 'm-new', userId: 'zalo-user-secret-2', kind: 'text', text: 'thuong tru', receivedAt: Date.now() });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(value(text, 'dvc_channel_queue_depth', { queue: 'inbox', channel: 'zalo', state: 'received' })).toBe(2);
    const age = value(text, 'dvc_channel_queue_oldest_age_seconds', { queue: 'inbox', channel: 'zalo' })!;
    expect(age).toBeGreaterThanOrEqual(599);
    expect(age).toBeLessThan(700);
    expect(text).not.toContain('zalo-user-secret');
  });

  it('refuses forwarded (proxied) requests without the token and accepts the bearer token', async () => {
    const forwarded = await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(forwarded.status).toBe(403);
    expect(((await forwarded.json()) as { error: string }).error).toBe('forbidden');
    const wrong = await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7', authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(403);
    const ok = await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7', authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
  });

  it('refuses a remote address without a token (app.inject from a non-local address)', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '198.51.100.4' });
    expect(res.statusCode).toBe(403);
  });
});

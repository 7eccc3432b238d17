import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { ConfigError, parseTrustProxy, type Config } from '../config.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';

/** Limits that fit real traffic: per conversation first, a generous flood guard per address. */

const json = { 'content-type': 'application/json' };
let t: TempAssistant;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  // The shipped defaults (30 per conversation, 600 per address and minute).
  t = await createTempAssistant({ RATE_LIMIT_MAX: '', RATE_LIMIT_ADDRESS_MAX: '' });
  app = await buildApp({ assistant: t.assistant });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
  t?.cleanup();
});

async function chat(body: Record<string, unknown>, base = url) {
  const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { ...json, 'x-test': '1' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { conversationId?: string; conversationToken?: string; error?: string } };
}

describe('rate limits', () => {
  it('answers 50 citizens behind one address (carrier-grade NAT), three messages each', async () => {
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const first = await chat({ message: `Đăng ký khai sinh cần gì? (${i})` });
        statuses.push(first.status);
        for (const q of ['Lệ phí bao nhiêu?', 'Nộp ở đâu?']) statuses.push((await chat({ message: q, conversationId: first.body.conversationId, conversationToken: first.body.conversationToken })).status);
      }),
    );
    expect(statuses).toHaveLength(150);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  }, 120_000);

  it('limits one client flooding its conversation, without touching the others on the same address', async () => {
    const { conversationId: mine, conversationToken: mineToken } = (await chat({ message: 'xin chào' })).body;
    const { conversationId: other, conversationToken: otherToken } = (await chat({ message: 'xin chào' })).body;
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await chat({ message: 'spam', conversationId: mine, conversationToken: mineToken })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429, 429, 429, 429]);
    expect((await chat({ message: 'Lệ phí bao nhiêu?', conversationId: other, conversationToken: otherToken })).status).toBe(200);
  }, 120_000);

  it('limits a client flooding new conversations with the per-address guard', async () => {
    const smallApp = await buildApp({ assistant: { ...t.assistant, config: { ...t.assistant.config, addressRateLimitMax: 20 } }, retentionIntervalMs: 0 });
    const base = await smallApp.listen({ host: '127.0.0.1', port: 0 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push((await chat({ message: 'spam' }, base)).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(20);
      expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    } finally {
      await smallApp.close();
    }
  }, 120_000);
});

describe('TRUST_PROXY', () => {
  it('parses off, a hop count and proxy addresses, and rejects anything else', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('off')).toBe(false);
    expect(parseTrustProxy('1')).toEqual({ hops: 1 });
    expect(parseTrustProxy('10.0.0.5, 192.168.0.0/16,::1')).toEqual({ addresses: ['10.0.0.5', '192.168.0.0/16', '::1'] });
    expect(() => parseTrustProxy('nginx')).toThrow(ConfigError);
    expect(() => parseTrustProxy('99')).toThrow(ConfigError);
  });

  async function addressesSeen(env: Record<string, string>, requests: Array<{ remoteAddress: string; xff?: string }>) {
    // The same assistant, with only the settings under test changed.
    const config: Config = { ...t.assistant.config, addressRateLimitMax: 2, ops: { ...t.assistant.config.ops, trustProxy: parseTrustProxy(env.TRUST_PROXY) } };
    const inst = await buildApp({ assistant: { ...t.assistant, config }, retentionIntervalMs: 0 });
    try {
      const out: number[] = [];
      for (const r of requests) {
        const res = await inst.inject({ method: 'GET', url: '/api/profile', remoteAddress: r.remoteAddress, headers: r.xff ? { 'x-forwarded-for': r.xff } : {} });
        out.push(res.statusCode);
      }
      return out;
    } finally {
      await inst.close();
    }
  }

  it('off: X-Forwarded-For is ignored, so a client cannot escape its limit by writing it', async () => {
    const statuses = await addressesSeen({}, [1, 2, 3].map((i) => ({ remoteAddress: '203.0.113.9', xff: `198.51.100.${i}` })));
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('behind a trusted proxy, each forwarded client has its own guard; an untrusted sender is not believed', async () => {
    const viaProxy = [1, 2, 3].map((i) => ({ remoteAddress: '10.0.0.5', xff: `198.51.100.${i}` }));
    expect(await addressesSeen({ TRUST_PROXY: '10.0.0.5' }, viaProxy)).toEqual([200, 200, 200]);
    expect(await addressesSeen({ TRUST_PROXY: '1' }, viaProxy)).toEqual([200, 200, 200]);
    const spoofed = [1, 2, 3].map((i) => ({ remoteAddress: '203.0.113.9', xff: `198.51.100.${i}` }));
    expect(await addressesSeen({ TRUST_PROXY: '10.0.0.5' }, spoofed)).toEqual([200, 200, 429]);
  });
});

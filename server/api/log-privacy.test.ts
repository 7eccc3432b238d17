import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadChannelsConfig } from '../../channels/config.js';
import { FAST_CORE_ENV } from '../test-support/channel-test-server.js';
import { buildApp } from '../app.js';
import { loadCorpus } from '../safety/redaction-corpus.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';

/**
 * No personal data in operational logs: every secret form of the corpus goes through the routes
 * (query strings, path segments, bodies, unknown paths, the SMS callback with a trailing slash),
 * then the request log and the application log are searched for it.
 */

const ROUTES = [
  'GET /healthz', 'GET /readyz', 'POST /api/chat', 'POST /api/feedback', 'GET /api/profile', 'GET /widget.js', 'GET /widget/i18n/:x',
  'POST /staff/api/login', 'GET /staff/api/me', 'GET /staff/api/search', 'GET /staff/api/docs/:x', 'GET /staff/api/review/queue',
  'GET /staff/api/conversations/:x', 'POST /staff/api/answers/:x/review', 'GET /staff/api/audit', 'GET /staff/api/gaps', 'GET /staff/api/export',
  'GET /staff/api/users', 'PATCH /staff/api/users/:x', 'GET /staff/api/translations/languages/:x', 'POST /staff/api/translations/import',
  'GET /staff/login', 'GET /staff/review/conversations/:x', 'GET /staff/docs/:x',
  'GET /channels/sms/inbound', 'GET /channels/sms/inbound/', 'POST /channels/zalo/webhook', 'GET /unknown/:x', 'POST /also/unknown/:x/',
];

const secrets = loadCorpus().flatMap((e) => (e.kind === 'HARMLESS' ? [] : [e.secret]));
let t: TempAssistant;
let app: FastifyInstance;
let lines: string[];

beforeAll(async () => {
  t = await createTempAssistant();
  lines = [];
  const config = { ...t.assistant.config, addressRateLimitMax: 100_000 };
  app = await buildApp({
    assistant: { ...t.assistant, config },
    retentionIntervalMs: 0,
    logger: { level: 'debug', stream: { write: (l: string) => void lines.push(l) } },
    channelsConfig: loadChannelsConfig({
      ...FAST_CORE_ENV,
      SMS_TRANSPORT: 'http',
      SMS_HTTP_CPID: 'c',
      SMS_HTTP_PRIVATE_KEY: 'p',
      SMS_HTTP_SEND_URL: 'http://127.0.0.1:9/send',
      SMS_HTTP_TIMEOUT_MS: '1000',
      ZALO_APP_ID: 'app-1',
      ZALO_OA_ID: 'oa-1',
      ZALO_OA_SECRET_KEY: 'k',
      ZALO_APP_SECRET: 's',
      ZALO_API_BASE_URL: 'http://127.0.0.1:9',
      ZALO_OAUTH_BASE_URL: 'http://127.0.0.1:9',
      ZALO_REQUEST_TIMEOUT_MS: '1000',
    }),
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  t?.cleanup();
});

describe('operational logs', () => {
  it(`hold none of ${secrets.length} secret forms sent through ${ROUTES.length} routes`, async () => {
    for (let i = 0; i < secrets.length; i++) {
      const secret = secrets[i];
      const enc = encodeURIComponent(secret);
      const [method, pattern] = ROUTES[i % ROUTES.length].split(' ');
      const url = `${pattern.replaceAll(':x', enc)}?q=${enc}&sender=${enc}&content=${enc}&from=${enc}`;
      const body = method === 'GET' ? undefined : { message: secret, username: secret, password: secret, comment: secret, text: secret };
      const res = await app.inject({ method: method as 'GET' | 'POST' | 'PATCH', url, payload: body, headers: { 'x-test': '1' } });
      expect(res.statusCode, `${method} ${url}`).toBeLessThan(500);
    }
    const log = lines.join('\n');
    expect(log).toContain('"route":"/api/chat"'); // requests are logged…
    expect(log).toContain('(unknown route)');
    // A numeric secret inside a longer number (a response time of 0.36813 ms) is chance, not a leak.
    const occurs = (needle: string) => {
      const numeric = /^\d/.test(needle) && /\d$/.test(needle);
      for (let at = log.indexOf(needle); at >= 0; at = log.indexOf(needle, at + 1)) {
        if (!numeric || !/[\d.]/.test(log[at - 1] ?? '') && !/[\d.]/.test(log[at + needle.length] ?? '')) return true;
      }
      return false;
    };
    const leaked = secrets.filter((s) => occurs(s) || occurs(encodeURIComponent(s)) || occurs(JSON.stringify(s).slice(1, -1)));
    expect(leaked).toEqual([]); // …without what was in them
  }, 180_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { buildApp } from '../app.js';
import { loadChannelsConfig } from '../../channels/config.js';
import { zaloEnv } from '../test-support/channel-test-server.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { describedRoutes, PUBLIC_ROUTES } from './openapi.js';

let t: TempAssistant;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTempAssistant({ SEED_PROCEDURES_FILE: 'none' });
  // Every channel configured, so that every channel route exists.
  const channelsConfig = loadChannelsConfig({
    ...zaloEnv('http://127.0.0.1:9'),
    SMS_TRANSPORT: 'http',
    SMS_HTTP_CPID: 'cp-9',
    SMS_HTTP_PRIVATE_KEY: 'secret-9',
    SMS_HTTP_SEND_URL: 'http://127.0.0.1:9/send',
    SMS_HTTP_SENDER: '8088',
    SMS_HTTP_TIMEOUT_MS: '1000',
  });
  app = await buildApp({ assistant: t.assistant, channelsConfig });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  t.cleanup();
});

/** Every route of the app as "METHOD /path", rebuilt from fastify's printed route tree (segments nest by column). */
function allRoutes(): string[] {
  const out: string[] = [];
  const stack: Array<{ col: number; path: string }> = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([\s│]*[├└]── )(\S+) \(([A-Z, ]+)\)/.exec(line);
    if (!m) continue;
    const col = m[1].length;
    while (stack.length && stack.at(-1)!.col >= col) stack.pop();
    const full = (stack.at(-1)?.path ?? '') + m[2];
    stack.push({ col, path: full });
    for (const method of m[3].split(', ')) out.push(`${method} ${full}`);
  }
  return out;
}

const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

describe('GET /api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document (checked against the specification\'s own schema)', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('DVC Assistant API');
    expect(typeof doc.info.version).toBe('string');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    let schemaCount = 0;
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      expect(p.startsWith('/')).toBe(true);
      for (const [method, op] of Object.entries(ops)) {
        expect(['get', 'post', 'put', 'delete', 'patch', 'head', 'options']).toContain(method);
        expect(op.summary, `${method} ${p}`).toBeTruthy();
        expect(Object.keys(op.responses ?? {}).length, `${method} ${p} has responses`).toBeGreaterThan(0);
        const schemas = [
          ...Object.values(op.requestBody?.content ?? {}).map((c: any) => c.schema),
          ...Object.values(op.responses ?? {}).flatMap((r: any) => Object.values(r.content ?? {}).map((c: any) => c.schema)),
          ...(op.parameters ?? []).map((prm: any) => prm.schema),
        ].filter(Boolean);
        for (const s of schemas) {
          expect(typeof s).toBe('object');
          schemaCount++;
        }
      }
    }
    expect(schemaCount).toBeGreaterThan(5);
    // The chat body is the schema the route validates with (limit from configuration).
    const chat = doc.paths['/api/chat'].post.requestBody.content['application/json'].schema;
    expect(chat.properties.message.maxLength).toBe(t.config.maxMessageChars);
    expect(chat.required).toContain('message');
    // The conversation token contract: sent to continue, returned when a conversation starts.
    expect(chat.properties.conversationToken.type).toBe('string');
    const answer = doc.paths['/api/chat'].post.responses['200'].content['application/json'].schema;
    expect(answer.properties.conversationToken.type).toBe('string');
    expect(answer.required).not.toContain('conversationToken');
  });

  it('describes every public and channel route, and every described route exists', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const described = describedRoutes(doc);
    const routes = allRoutes();
    const isPublic = (r: string) => / \/(api|channels)\/|^GET \/(healthz|readyz)$/.test(r) && !/\/api\/(openapi\.json|reference)$/.test(r);
    const publicRoutes = routes.filter((r) => !r.startsWith('HEAD ') && isPublic(r)).map((r) => r.replace(/ (.*)$/, (_m, p: string) => ` ${toOpenApiPath(p)}`));
    expect(publicRoutes.length).toBeGreaterThanOrEqual(8);
    for (const r of publicRoutes) expect(described, `${r} is described`).toContain(r);
    const existing = new Set(routes.map((r) => r.replace(/ (.*)$/, (_m, p: string) => ` ${toOpenApiPath(p)}`)));
    for (const r of described) expect(existing.has(r), `${r} exists`).toBe(true);
    // Staff routes and metrics are not for integrators.
    expect(described.some((r) => r.includes('/staff') || r.includes('/metrics'))).toBe(false);
    // The table of summaries names no route that does not exist.
    for (const r of Object.keys(PUBLIC_ROUTES)) expect(existing.has(r), `${r} in PUBLIC_ROUTES exists`).toBe(true);
  });

  it('serves a readable reference page without any external script or stylesheet', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/reference' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('<code>POST /api/chat</code>');
    expect(res.body).toContain('/channels/zalo/webhook');
    expect(res.body).not.toMatch(/<script|https?:\/\/(?!dichvucong)[^"\s<]*\.(js|css)/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { contentLanguages, languageName, profileRoutes, publicProfile } from './profile-routes.js';
import type { KnowledgeIndex } from '../knowledge/knowledge-index.js';

let t: TempAssistant;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '1000' });
  app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: false } } });
  await app.register(profileRoutes, { profiles: t.assistant.profiles, defaultProvince: t.config.province, indexHolder: t.assistant.indexHolder });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
  t?.cleanup();
});

async function get(query: string) {
  const res = await fetch(`${base}/api/profile${query}`);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

describe('GET /api/profile', () => {
  it('returns the public facts of a province, with the national fallbacks the profile resolves to', async () => {
    const r = await get('?province=dong-nai');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      code: 'dong-nai',
      name: 'Đồng Nai',
      hotline: '1022',
      nationalHotline: '1800 1096',
      languages: [
        { code: 'vi', name: 'Tiếng Việt', status: 'full' },
        { code: 'en', name: 'English', status: 'full' },
      ],
      defaultLanguage: 'vi',
    });
    expect(r.headers.get('cache-control')).toMatch(/max-age/);
  });

  it('omits values the profile does not have (no one-stop office known for Kon Tum)', async () => {
    const r = await get('?province=kon-tum');
    expect(r.status).toBe(200);
    expect(r.body.oneStop).toBeUndefined();
    // Kon Tum (now Quảng Ngãi) has no line of its own: the national line is given as the national one only.
    expect(r.body.hotline).toBeUndefined();
    expect(r.body.nationalHotline).toBe('1800 1096');
    // Ethnic languages are listed in the profile but have no reviewed content: not offered.
    expect(r.body.languages.map((l: { code: string }) => l.code)).toEqual(['vi', 'en']);
  });

  it('uses the configured province when none is given', async () => {
    const r = await get('');
    expect(r.body.code).toBe(t.config.province);
  });

  it('404 for an unknown province, 400 for a malformed code', async () => {
    const unknown = await get('?province=atlantis');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('unknown_province');
    expect((await get('?province=../etc')).status).toBe(400);
  });
});

describe('language status', () => {
  const profile = () => t.assistant.profiles.get('kon-tum')!;
  const fakeIndex = (docs: Array<{ lang: string; status: string; kind?: string }>) =>
    ({ docs: new Map(docs.map((d, i) => [i, { kind: 'article', ...d }])) }) as unknown as KnowledgeIndex;

  it('full when approved translations cover every source article, partial otherwise; drafts do not count', () => {
    const statuses = contentLanguages(
      fakeIndex([
        { lang: 'vi', status: 'source' },
        { lang: 'vi', status: 'source' },
        { lang: 'vi', status: 'source', kind: 'procedure' },
        { lang: 'en', status: 'approved' },
        { lang: 'en', status: 'approved' },
        { lang: 'sed', status: 'approved' },
        { lang: 'bdq', status: 'draft' },
      ]),
    );
    expect(Object.fromEntries(statuses)).toEqual({ vi: 'full', en: 'full', sed: 'partial' });
  });

  it('offers a language only if the profile lists it, the chat accepts it and it has reviewed content', () => {
    const statuses = new Map([['vi', 'full'], ['en', 'partial'], ['sed', 'partial'], ['fr', 'full']] as const);
    const p = publicProfile(profile(), new Map(statuses), ['vi', 'en', 'sed', 'fr']);
    expect(p.languages).toEqual([
      { code: 'vi', name: 'Tiếng Việt', status: 'full' },
      { code: 'en', name: 'English', status: 'partial' },
      { code: 'sed', name: 'Xơ Đăng (Sedang)', status: 'partial' },
    ]);
  });

  it('names a language by its own name, then by the profile, then by its code', () => {
    expect(languageName('vi', profile())).toBe('Tiếng Việt');
    expect(languageName('bdq', profile())).toBe('Ba Na (Bahnar)');
    expect(languageName('zzz', profile())).toBe('zzz');
  });
});

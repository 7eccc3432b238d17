/**
 * The staff API of the translator workflow. `requireRole` is the lead's preHandler factory
 * (server/staff/auth.ts); here a test double stands in for it at that boundary: it admits a
 * fake signed-in user given by the x-test-user / x-test-role headers and checks the role order.
 */
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type preHandlerHookHandler } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readXliff, writeXliff } from './exchange.js';
import { translationRoutes, type StaffRole } from './routes.js';
import { fakeTranslate, memoryDb, tempPaths } from './test-fixtures.js';
import { installErrorHandler } from '../errors.js';

const ORDER: StaffRole[] = ['reviewer', 'editor', 'admin'];
const stubRequireRole =
  (role: StaffRole): preHandlerHookHandler =>
  async (req, reply) => {
    const username = req.headers['x-test-user'];
    const has = req.headers['x-test-role'] as StaffRole | undefined;
    if (typeof username !== 'string') return reply.code(401).send({ error: 'unauthenticated' });
    if (!has || ORDER.indexOf(has) < ORDER.indexOf(role)) return reply.code(403).send({ error: 'forbidden' });
    (req as unknown as { staff: unknown }).staff = { user: { id: 1, username, role: has }, sessionId: 's', csrfToken: 'c' };
  };

let app: FastifyInstance;
let paths: ReturnType<typeof tempPaths>;
let db: ReturnType<typeof memoryDb>;
const as = (user: string, role: StaffRole = 'editor') => ({ 'x-test-user': user, 'x-test-role': role });

beforeEach(async () => {
  paths = tempPaths({ articles: ['meta.language', 'dvc.support-points'] });
  db = memoryDb();
  app = Fastify();
  installErrorHandler(app, { maxMessageChars: 1000 });
  await app.register(translationRoutes, { db, knowledgeDir: paths.knowledgeDir, localesDir: paths.localesDir, requireRole: stubRequireRole });
});
afterEach(async () => {
  await app.close();
  db.close();
  paths.cleanup();
});

describe('/staff/api/translations', () => {
  it('needs a signed-in user with the right role', async () => {
    expect((await app.inject({ url: '/staff/api/translations/languages' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/staff/api/translations/languages', headers: as('r', 'reviewer') })).statusCode).toBe(200);
    expect((await app.inject({ url: '/staff/api/translations/pending', headers: as('r', 'reviewer') })).statusCode).toBe(403);
  });

  it('lists packs with their completeness', async () => {
    const res = await app.inject({ url: '/staff/api/translations/languages', headers: as('r', 'reviewer') });
    const bdq = res.json().packs.find((p: { lang: string }) => p.lang === 'bdq');
    expect(bdq).toMatchObject({ name: 'tiếng Ba Na', articles: { total: 2, missing: 2 }, counts: { missingArticles: 2 } });
    const one = await app.inject({ url: '/staff/api/translations/languages/bdq', headers: as('r', 'reviewer') });
    expect(one.json().pack.missingArticles).toEqual(['dvc.support-points', 'meta.language']);
  });

  it('export → import → pending → show → approve, with the four-eyes rule', async () => {
    const exp = await app.inject({ url: '/staff/api/translations/export?lang=bdq&format=xliff', headers: as('ed') });
    expect(exp.statusCode).toBe(200);
    expect(exp.headers['content-type']).toMatch(/application\/xliff\+xml/);
    expect(exp.headers['content-disposition']).toMatch(/attachment; filename="dvc-bdq-.*\.xlf"/);
    const doc = readXliff(exp.body);
    const units = doc.units.filter((u) => u.id.includes(':meta.language:')).map((u) => ({ ...u, target: fakeTranslate(u.source) }));
    const content = writeXliff({ ...doc, translator: 'Y Translator', units });

    const imp = await app.inject({ method: 'POST', url: '/staff/api/translations/import', headers: as('ed'), payload: { lang: 'bdq', content, fileName: 'bdq.xlf' } });
    expect(imp.statusCode).toBe(200);
    expect(imp.json()).toMatchObject({ accepted: [{ kind: 'article', itemId: 'meta.language', overApproved: false, draftFile: 'articles/bdq/meta.language.md' }], errors: [] });

    const pending = await app.inject({ url: '/staff/api/translations/pending?lang=bdq', headers: as('ed') });
    const [item] = pending.json().pending;
    expect(item).toMatchObject({ itemId: 'meta.language', translator: 'Y Translator', sourceChanged: false });

    const show = await app.inject({ url: `/staff/api/translations/revisions/${item.id}`, headers: as('ed') });
    expect(show.statusCode).toBe(200);
    expect(show.json().sourceSnapshot).toContain('id: meta.language');
    expect(show.json().segments[0]).toMatchObject({ unit: 'title', source: 'Đổi ngôn ngữ, dùng tiếng dân tộc' });

    const self = await app.inject({ method: 'POST', url: `/staff/api/translations/revisions/${item.id}/approve`, headers: as('Y Translator') });
    expect(self.statusCode).toBe(403);
    expect(self.json().error).toBe('self_review');

    const ok = await app.inject({ method: 'POST', url: `/staff/api/translations/revisions/${item.id}/approve`, headers: as('editor.kontum') });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ stale: false, revision: { status: 'approved', reviewedBy: 'editor.kontum' } });
    expect(fs.readFileSync(path.join(paths.knowledgeDir, 'articles', 'bdq', 'meta.language.md'), 'utf8')).toMatch(/status: approved\n.*\nreviewed_by: "editor.kontum"/);
    expect((await app.inject({ method: 'POST', url: `/staff/api/translations/revisions/${item.id}/approve`, headers: as('editor.kontum') })).statusCode).toBe(409);
  });

  it('import reports per-segment errors, rejects bad files, and reject needs a reason', async () => {
    const exp = await app.inject({ url: '/staff/api/translations/export?lang=bdq&format=csv', headers: as('ed') });
    expect(exp.headers['content-type']).toMatch(/text\/csv/);
    const bad = await app.inject({ method: 'POST', url: '/staff/api/translations/import', headers: as('ed'), payload: { lang: 'bdq', content: '<xliff/>', translator: 'T' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid_file');

    const doc = readXliff((await app.inject({ url: '/staff/api/translations/export?lang=bdq', headers: as('ed') })).body);
    const units = doc.units.filter((u) => u.id.includes(':dvc.support-points:')).map((u) => ({ ...u, target: fakeTranslate(u.source).replace(/\{\{/g, '{') }));
    const r = await app.inject({ method: 'POST', url: '/staff/api/translations/import', headers: as('ed'), payload: { lang: 'bdq', content: writeXliff({ ...doc, units }), translator: 'T' } });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0].id).toMatch(/^a:dvc\.support-points:[0-9a-f]{12}:summary$/);
    expect(r.json().errors[0].problems).toContain('placeholder {{one_stop_name}} is missing');

    const good = units.map((u) => ({ ...u, target: fakeTranslate(u.source) }));
    const ok = await app.inject({ method: 'POST', url: '/staff/api/translations/import', headers: as('ed'), payload: { lang: 'bdq', content: writeXliff({ ...doc, units: good }), translator: 'T' } });
    const id = ok.json().accepted[0].revisionId;
    expect((await app.inject({ method: 'POST', url: `/staff/api/translations/revisions/${id}/reject`, headers: as('ed'), payload: {} })).statusCode).toBe(400);
    const rej = await app.inject({ method: 'POST', url: `/staff/api/translations/revisions/${id}/reject`, headers: as('ed'), payload: { reason: 'Cần thống nhất thuật ngữ' } });
    expect(rej.json().revision).toMatchObject({ status: 'rejected', reviewNote: 'Cần thống nhất thuật ngữ' });
    expect((await app.inject({ url: '/staff/api/translations/revisions/99999', headers: as('ed') })).statusCode).toBe(404);
  });

  it('suggests from the translation memory for translators', async () => {
    const res = await app.inject({ url: `/staff/api/translations/suggest?lang=bdq&text=${encodeURIComponent('Ông Nguyễn Hoàng Sâm - Chủ tịch Hội Doanh nhân trẻ tỉnh.')}`, headers: as('ed') });
    expect(res.json()).toMatchObject({ available: true, tm: [{ score: 1 }] });
    expect((await app.inject({ url: '/staff/api/translations/suggest?lang=sed&text=abc', headers: as('ed') })).json()).toEqual({ lang: 'sed', available: false, tm: [], terms: [] });
  });
});

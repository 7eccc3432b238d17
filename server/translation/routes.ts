/**
 * Staff-console API of the translator workflow, under /staff/api/translations/.
 *
 *   GET  /staff/api/translations/languages             packs and their completeness (reviewer)
 *   GET  /staff/api/translations/languages/:lang       one pack with its stale/missing lists (reviewer)
 *   GET  /staff/api/translations/export?lang=&format=  XLIFF or CSV of what needs translating (editor)
 *   POST /staff/api/translations/import                {lang, format?, content, fileName?, translator?} (editor)
 *   GET  /staff/api/translations/pending?lang=         revisions awaiting review (editor)
 *   GET  /staff/api/translations/revisions/:id         a revision with source, diffs, suggestions (editor)
 *   POST /staff/api/translations/revisions/:id/approve (editor; not the translator)
 *   POST /staff/api/translations/revisions/:id/reject  {reason} (editor)
 *   GET  /staff/api/translations/suggest?lang=&text=   translation-memory suggestions (editor)
 *
 * `requireRole(role)` is the preHandler factory of server/staff/auth.ts (session + CSRF); the
 * reviewer's name is read from `request.staff.user` which it sets.
 */
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { Db } from '../db/database.js';
import { exportForTranslation } from './export.js';
import { importTranslations } from './import.js';
import { allPacks, DEFAULT_LOCALES_DIR, packCompleteness, SOURCE_LANG, type PackPaths } from './packs.js';
import { approveRevision, listPending, rejectRevision, showRevision, type Reviewer } from './review.js';
import { createTranslationStore } from './store.js';
import { loadTranslationMemory } from './tm.js';

import type { Role as StaffRole } from '../domain/staff.js';

export type { StaffRole };

export interface TranslationRoutesOptions {
  db: Db;
  knowledgeDir: string;
  localesDir?: string;
  requireRole: (role: StaffRole) => preHandlerHookHandler;
  /** Who is signed in; default: `request.staff.user` as set by server/staff/auth.ts. */
  userOf?: (req: FastifyRequest) => Reviewer | null;
  /** Let a translator approve their own work (default false: four eyes). */
  allowSelfReview?: boolean;
  /** Route config added to every route, e.g. `{ rateLimit: false }` like the other staff routes. */
  routeConfig?: Record<string, unknown>;
}

const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]+)?$/;

function defaultUserOf(req: FastifyRequest): Reviewer | null {
  const user = (req as FastifyRequest & { staff?: { user?: { id?: number; username?: string } } }).staff?.user;
  return user?.username ? { id: user.id ?? null, username: user.username } : null;
}


export async function translationRoutes(app: FastifyInstance, opts: TranslationRoutesOptions): Promise<void> {
  const paths: PackPaths = { knowledgeDir: opts.knowledgeDir, localesDir: opts.localesDir ?? DEFAULT_LOCALES_DIR };
  const store = createTranslationStore(opts.db);
  const userOf = opts.userOf ?? defaultUserOf;
  const reviewer = opts.requireRole('reviewer');
  const editor = opts.requireRole('editor');
  const base = '/staff/api/translations';
  const config = opts.routeConfig ?? {};

  const badLang = (lang: unknown): lang is undefined => typeof lang !== 'string' || !LANG.test(lang) || lang === SOURCE_LANG;

  app.get(`${base}/languages`, { preHandler: reviewer, config }, async () => ({
    packs: allPacks(paths).map(({ staleStrings, missingStrings, staleArticles, draftArticles, missingArticles, ...p }) => ({
      ...p,
      counts: { staleStrings: staleStrings.length, missingStrings: missingStrings.length, staleArticles: staleArticles.length, draftArticles: draftArticles.length, missingArticles: missingArticles.length },
    })),
    pending: store.pendingCounts(),
  }));

  app.get<{ Params: { lang: string } }>(`${base}/languages/:lang`, { preHandler: reviewer, config }, async (req, reply) => {
    if (badLang(req.params.lang)) return reply.code(400).send({ error: 'invalid_request', message: 'unknown language code' });
    return { pack: packCompleteness(paths, req.params.lang), pending: listPending(store, paths, { lang: req.params.lang }) };
  });

  app.get<{ Querystring: { lang?: string; format?: string; all?: string } }>(`${base}/export`, { preHandler: editor, config }, async (req, reply) => {
    const { lang, format = 'xliff' } = req.query;
    if (badLang(lang) || (format !== 'xliff' && format !== 'csv')) return reply.code(400).send({ error: 'invalid_request', message: 'lang (not vi) and format=xliff|csv are required' });
    const r = exportForTranslation({ lang, paths, store, format, scope: req.query.all === '1' ? 'all' : 'needed' });
    const name = `dvc-${lang}-${new Date().toISOString().slice(0, 10)}.${format === 'xliff' ? 'xlf' : 'csv'}`;
    return reply
      .header('content-type', format === 'xliff' ? 'application/xliff+xml; charset=utf-8' : 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(r.text);
  });

  app.post<{ Body: { lang?: string; format?: string; content?: string; fileName?: string; translator?: string } }>(
    `${base}/import`,
    {
      preHandler: editor,
      config,
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        body: {
          type: 'object',
          required: ['lang', 'content'],
          properties: {
            lang: { type: 'string', maxLength: 16 },
            format: { type: 'string', enum: ['xliff', 'csv'] },
            content: { type: 'string', minLength: 1 },
            fileName: { type: 'string', maxLength: 200 },
            translator: { type: 'string', maxLength: 120 },
          },
        },
      },
    },
    async (req, reply) => {
      const { lang, format, content, fileName, translator } = req.body;
      if (badLang(lang)) return reply.code(400).send({ error: 'invalid_request', message: 'unknown language code' });
      // An unreadable file throws ImportError (invalid_file, 400), answered by the app's error handler.
      const report = importTranslations(content!, {
        lang,
        paths,
        store,
        ...(format ? { format: format as 'xliff' | 'csv' } : {}),
        fileName: fileName ?? null,
        translator: translator?.trim() || null,
        importedBy: userOf(req)?.username ?? null,
      });
      return reply.code(report.errors.length && report.accepted.length === 0 ? 422 : 200).send(report);
    },
  );

  app.get<{ Querystring: { lang?: string } }>(`${base}/pending`, { preHandler: editor, config }, async (req, reply) => {
    if (req.query.lang !== undefined && badLang(req.query.lang)) return reply.code(400).send({ error: 'invalid_request', message: 'unknown language code' });
    return { pending: listPending(store, paths, req.query.lang ? { lang: req.query.lang } : {}) };
  });

  const revisionId = (raw: string) => (/^\d{1,12}$/.test(raw) ? Number(raw) : NaN);

  app.get<{ Params: { id: string } }>(`${base}/revisions/:id`, { preHandler: editor, config }, async (req, reply) => {
    const id = revisionId(req.params.id);
    if (Number.isNaN(id)) return reply.code(400).send({ error: 'invalid_request', message: 'revision id must be a number' });
    return showRevision(store, paths, id);
  });

  app.post<{ Params: { id: string } }>(`${base}/revisions/:id/approve`, { preHandler: editor, config }, async (req, reply) => {
    const id = revisionId(req.params.id);
    const user = userOf(req);
    if (Number.isNaN(id)) return reply.code(400).send({ error: 'invalid_request', message: 'revision id must be a number' });
    if (!user) return reply.code(401).send({ error: 'unauthenticated', message: 'Please sign in' });
    const r = approveRevision(store, paths, id, { reviewer: user, allowSelfReview: opts.allowSelfReview });
      return { revision: r.revision, file: r.file, stale: r.stale, note: r.revision.kind === 'article' ? 'Served after the next ingest (npm run ingest).' : 'Served after the next restart.' };
  });

  app.post<{ Params: { id: string }; Body: { reason?: string } }>(
    `${base}/revisions/:id/reject`,
    { preHandler: editor, config, schema: { body: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } } } } },
    async (req, reply) => {
      const id = revisionId(req.params.id);
      const user = userOf(req);
      if (Number.isNaN(id)) return reply.code(400).send({ error: 'invalid_request', message: 'revision id must be a number' });
      if (!user) return reply.code(401).send({ error: 'unauthenticated', message: 'Please sign in' });
      return { revision: rejectRevision(store, paths, id, { reviewer: user, reason: req.body.reason ?? '' }) };
    },
  );

  app.get<{ Querystring: { lang?: string; text?: string } }>(`${base}/suggest`, { preHandler: editor, config }, async (req, reply) => {
    const { lang, text } = req.query;
    if (badLang(lang) || typeof text !== 'string' || !text.trim() || text.length > 2000) return reply.code(400).send({ error: 'invalid_request', message: 'lang and text (≤ 2000 characters) are required' });
    const tm = loadTranslationMemory(paths.knowledgeDir, lang);
    return { lang, available: tm !== null, ...(tm ? tm.suggest(text) : { tm: [], terms: [] }) };
  });
}

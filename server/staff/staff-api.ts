import type { FastifyInstance } from 'fastify';
import type { Assistant } from '../assistant.js';
import { ANSWER_KINDS, OUTCOMES } from '../domain/answer.js';
import type { AnswerFilters } from '../review/filters.js';
import { createReviewStore, VERDICTS, type Verdict } from '../review/review-store.js';
import { clusterQuestions, gapBrief, gapRows } from '../review/content-gaps.js';
import { dashboardMetrics } from '../review/metrics.js';
import { exportRecords, toCsv, toJsonl } from '../review/export.js';
import { purgeOlderThan } from '../review/retention.js';
import type { Auth } from './auth.js';
import type { AuditLog } from './audit.js';
import { ROLES, type Role, type UserStore } from './users.js';
import { documentDetail, lookup } from './lookup.js';
import { detectSensitive } from '../safety/sensitive-data.js';

export interface StaffApiOptions {
  assistant: Assistant;
  auth: Auth;
  users: UserStore;
  audit: AuditLog;
}

const filterQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    to: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    channel: { type: 'string', maxLength: 20 },
    province: { type: 'string', maxLength: 40 },
    lang: { type: 'string', maxLength: 12 },
    kind: { type: 'string', enum: [...ANSWER_KINDS] },
    outcome: { type: 'string', enum: [...OUTCOMES] },
    topic: { type: 'string', maxLength: 80 },
    confidence: { type: 'string', enum: ['low', 'medium', 'high'] },
    feedback: { type: 'string', enum: ['up', 'down', 'none'] },
    review: { type: 'string', enum: ['unreviewed', 'reviewed', ...VERDICTS] },
    q: { type: 'string', maxLength: 200 },
    includeTest: { type: 'string', enum: ['true', 'false', '1', '0'] },
    limit: { type: 'string', pattern: '^(?:[1-9]\\d?|1\\d\\d|200)$' },
    offset: { type: 'string', pattern: '^\\d{1,7}$' },
    all: { type: 'string', enum: ['true', 'false', '1', '0'] },
    format: { type: 'string', enum: ['csv', 'jsonl'] },
  },
} as const;

/** Query strings arrive as text; the schema checks their shape and these helpers read them. */
type FilterQuery = Omit<AnswerFilters, 'includeTest'> & { includeTest?: string; limit?: string; offset?: string; all?: string; format?: 'csv' | 'jsonl' };

const yes = (v: string | undefined) => v === 'true' || v === '1';

function filtersOf(q: FilterQuery): AnswerFilters {
  const { limit: _l, offset: _o, all: _a, format: _f, includeTest, ...filters } = q;
  return { ...filters, includeTest: yes(includeTest) };
}

/** JSON API of the staff console: lookup, review, content gaps, dashboards, export, retention, users. */
export async function staffApi(app: FastifyInstance, opts: StaffApiOptions): Promise<void> {
  const { assistant, auth, users, audit } = opts;
  const db = assistant.db;
  const reviews = createReviewStore(db, { lowConfidence: Math.min(1, assistant.config.answerThreshold + 0.15) });
  const index = () => assistant.indexHolder.get().index;

  // --- lookup (every staff role) ---
  app.get<{ Querystring: { q: string } }>(
    '/staff/api/search',
    { preHandler: auth.requireRole('reviewer'), schema: { querystring: { type: 'object', required: ['q'], properties: { q: { type: 'string', maxLength: 200 } } } } },
    async (req) => ({ hits: lookup(index(), req.query.q) }),
  );
  app.get<{ Params: { id: string } }>('/staff/api/docs/:id', { preHandler: auth.requireRole('reviewer') }, async (req, reply) => {
    const detail = documentDetail(index(), db, req.params.id);
    return detail ?? reply.code(404).send({ error: 'not_found', message: `No document ${req.params.id}` });
  });

  // --- review ---
  app.get<{ Querystring: FilterQuery }>('/staff/api/review/queue', { preHandler: auth.requireRole('reviewer'), schema: { querystring: filterQuery } }, async (req) =>
    reviews.queue(filtersOf(req.query), { limit: Number(req.query.limit ?? 50), offset: Number(req.query.offset ?? 0) }, yes(req.query.all)),
  );
  app.get<{ Params: { id: string } }>('/staff/api/conversations/:id', { preHandler: auth.requireRole('reviewer') }, async (req, reply) => {
    const c = reviews.conversation(req.params.id);
    if (!c) return reply.code(404).send({ error: 'not_found', message: 'No such conversation' });
    audit.record(req.staff!.user, 'conversation.view', req.params.id);
    return c;
  });
  app.post<{ Params: { id: string }; Body: { verdict: Verdict; note?: string; expectedArticle?: string } }>(
    '/staff/api/answers/:id/review',
    {
      preHandler: auth.requireRole('reviewer'),
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['verdict'],
          properties: {
            verdict: { type: 'string', enum: [...VERDICTS] },
            note: { type: 'string', maxLength: 2000 },
            expectedArticle: { type: 'string', pattern: '^[a-z]+(\\.[a-z0-9-]+)+$' },
          },
        },
      },
    },
    async (req, reply) => {
      const note = req.body.note ? detectSensitive(req.body.note).redacted : undefined;
      if (!reviews.addReview(req.params.id, req.staff!.user, { ...req.body, note })) return reply.code(404).send({ error: 'not_found', message: 'No such answer' });
      audit.record(req.staff!.user, 'answer.review', req.params.id, { verdict: req.body.verdict, expectedArticle: req.body.expectedArticle ?? null });
      return reply.code(201).send({ status: 'stored' });
    },
  );

  // --- content gaps (editors) ---
  app.get<{ Querystring: FilterQuery }>('/staff/api/gaps', { preHandler: auth.requireRole('editor'), schema: { querystring: filterQuery } }, async (req) => ({
    clusters: await clusterQuestions(gapRows(db, filtersOf(req.query))),
  }));
  app.get<{ Params: { id: string }; Querystring: FilterQuery }>('/staff/api/gaps/:id/brief', { preHandler: auth.requireRole('editor'), schema: { querystring: filterQuery } }, async (req, reply) => {
    const cluster = (await clusterQuestions(gapRows(db, filtersOf(req.query)))).find((c) => c.id === req.params.id);
    if (!cluster) return reply.code(404).send({ error: 'not_found', message: 'No such content gap (it may have changed)' });
    audit.record(req.staff!.user, 'gap.brief', req.params.id);
    return reply.type('text/markdown; charset=utf-8').header('content-disposition', `attachment; filename="brief-${cluster.id}.md"`).send(gapBrief(cluster));
  });

  // --- dashboards ---
  app.get<{ Querystring: FilterQuery }>('/staff/api/metrics', { preHandler: auth.requireRole('reviewer'), schema: { querystring: filterQuery } }, async (req) => dashboardMetrics(db, filtersOf(req.query)));

  // --- export (redacted) ---
  app.get<{ Querystring: FilterQuery }>('/staff/api/export', { preHandler: auth.requireRole('editor'), schema: { querystring: filterQuery } }, async (req, reply) => {
    const format = req.query.format ?? 'csv';
    const filters = filtersOf(req.query);
    const chunks = [...(format === 'csv' ? toCsv(exportRecords(db, filters)) : toJsonl(exportRecords(db, filters)))];
    audit.record(req.staff!.user, 'export', null, { format, filters });
    return reply
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="dvc-answers.${format}"`)
      .send(chunks.join(''));
  });

  // --- retention (admins) ---
  app.post('/staff/api/purge', { preHandler: auth.requireRole('admin') }, async (req) => {
    const result = purgeOlderThan(db, assistant.config.retentionDays);
    audit.record(req.staff!.user, 'purge', null, { ...result });
    return result;
  });

  // --- users and audit (admins) ---
  app.get('/staff/api/users', { preHandler: auth.requireRole('admin') }, async () => ({ users: users.list() }));
  app.post<{ Body: { username: string; password: string; role: Role } }>(
    '/staff/api/users',
    {
      preHandler: auth.requireRole('admin'),
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password', 'role'],
          properties: { username: { type: 'string', maxLength: 40 }, password: { type: 'string', maxLength: 200 }, role: { type: 'string', enum: [...ROLES] } },
        },
      },
    },
    async (req, reply) => {
      const user = await users.create(req.body.username, req.body.password, req.body.role);
      audit.record(req.staff!.user, 'user.create', user.username, { role: user.role });
      return reply.code(201).send({ user });
    },
  );
  app.patch<{ Params: { id: string }; Body: { role?: Role; disabled?: boolean; password?: string } }>(
    '/staff/api/users/:id',
    {
      preHandler: auth.requireRole('admin'),
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', pattern: '^\\d+$' } } },
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { role: { type: 'string', enum: [...ROLES] }, disabled: { type: 'boolean' }, password: { type: 'string', maxLength: 200 } },
        },
      },
    },
    async (req) => {
      const user = await users.update(Number(req.params.id), req.body);
      audit.record(req.staff!.user, 'user.update', user.username, { role: req.body.role, disabled: req.body.disabled, passwordChanged: req.body.password !== undefined });
      return { user };
    },
  );
  app.get('/staff/api/audit', { preHandler: auth.requireRole('admin') }, async () => ({ entries: audit.recent(200) }));
}

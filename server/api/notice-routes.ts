import type { FastifyInstance } from 'fastify';
import type { ServiceControls } from '../storage/service-controls.js';
import { errorSchema } from './schemas.js';

export interface NoticeRoutesOptions {
  controls: Pick<ServiceControls, 'publicNotice' | 'msUntilChange'>;
  provinces: Set<string>;
}

/** Longest a browser or proxy may keep the answer: a new notice reaches readers within a minute. */
export const NOTICE_MAX_AGE_S = 60;

export const publicNoticeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['notice'],
  properties: {
    notice: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['text', 'lang', 'endsAt'],
          properties: { text: { type: 'string' }, lang: { type: 'string' }, endsAt: { type: 'string', format: 'date-time' } },
        },
      ],
    },
  },
} as const;

/**
 * GET /api/notice?province=&lang= — the service notice the widget shows as a banner (null when
 * there is none). Cacheable, but never past the moment the notice starts or ends.
 */
export async function noticeRoutes(app: FastifyInstance, opts: NoticeRoutesOptions): Promise<void> {
  app.get<{ Querystring: { province?: string; lang?: string } }>(
    '/api/notice',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { province: { type: 'string', pattern: '^[a-z0-9-]{2,40}$' }, lang: { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$' } },
        },
        response: { 200: publicNoticeSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const { province, lang } = req.query;
      if (province && !opts.provinces.has(province)) return reply.code(404).send({ error: 'unknown_province', message: `Unknown province "${province}"` });
      const untilChange = opts.controls.msUntilChange();
      const maxAge = untilChange === null ? NOTICE_MAX_AGE_S : Math.max(0, Math.min(NOTICE_MAX_AGE_S, Math.floor(untilChange / 1000)));
      reply.header('cache-control', `public, max-age=${maxAge}`);
      return { notice: opts.controls.publicNotice(lang) };
    },
  );
}

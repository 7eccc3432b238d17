import type { FastifyInstance } from 'fastify';
import type { Assistant } from '../assistant.js';
import { purgeOlderThan } from '../review/retention.js';
import { createAuditLog } from './audit.js';
import { createAuth, sessionCookie } from './auth.js';
import { createSessionStore, DEFAULT_SESSION_SETTINGS, type SessionSettings } from './sessions.js';
import { staffApi } from './staff-api.js';
import { translationRoutes } from '../translation/routes.js';
import { staffPages } from './pages/staff-pages.js';
import { createUserStore } from './users.js';

export interface StaffPluginOptions {
  assistant: Assistant;
  sessionSettings?: SessionSettings;
  /** Run the retention job at start and then every this many ms (0 = never; `npm run purge` still works). */
  retentionIntervalMs?: number;
}

/** Staff console: sign-in, JSON API, pages; every state change is CSRF-checked and audited. */
export async function staffPlugin(app: FastifyInstance, opts: StaffPluginOptions): Promise<void> {
  const { assistant } = opts;
  const users = createUserStore(assistant.db);
  const sessions = createSessionStore(assistant.db, opts.sessionSettings ?? DEFAULT_SESSION_SETTINGS);
  const audit = createAuditLog(assistant.db);
  const auth = createAuth({ sessions, users });
  const secure = assistant.config.secureCookies;

  app.decorate('staffAuth', auth);

  app.post<{ Body: { username: string; password: string } }>(
    '/staff/api/login',
    {
      config: { rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password'],
          properties: { username: { type: 'string', minLength: 1, maxLength: 40 }, password: { type: 'string', minLength: 1, maxLength: 200 } },
        },
      },
    },
    async (req, reply) => {
      // Login CSRF: a browser always sends Origin on cross-site POSTs; refuse other sites.
      const origin = req.headers.origin;
      if (origin && new URL(origin).host !== req.headers.host) return reply.code(403).send({ error: 'csrf', message: 'Cross-site sign-in refused' });
      const user = users.authenticate(req.body.username, req.body.password);
      if (!user) {
        audit.record(null, 'login.failed', req.body.username);
        return reply.code(401).send({ error: 'invalid_credentials', message: 'Wrong username or password' });
      }
      const session = sessions.create(user.id);
      audit.record(user, 'login', user.username);
      reply.header('set-cookie', sessionCookie(session.id, { secure }));
      return { user, csrfToken: session.csrfToken };
    },
  );

  app.post('/staff/api/logout', { preHandler: auth.requireRole('reviewer') }, async (req, reply) => {
    sessions.end(req.staff!.sessionId);
    audit.record(req.staff!.user, 'logout', req.staff!.user.username);
    reply.header('set-cookie', sessionCookie('', { secure, maxAgeSeconds: 0 }));
    return { status: 'signed_out' };
  });

  app.get('/staff/api/me', { preHandler: auth.requireRole('reviewer') }, async (req) => ({ user: req.staff!.user, csrfToken: req.staff!.csrfToken }));

  await app.register(staffApi, { assistant, auth, users, audit });
  await app.register(staffPages, { auth, provinces: [...assistant.profiles.keys()], placeholders: assistant.profiles.get(assistant.config.province)?.values });
  await app.register(translationRoutes, { db: assistant.db, knowledgeDir: assistant.config.knowledgeDir, requireRole: auth.requireRole });

  const interval = opts.retentionIntervalMs ?? 24 * 3600_000;
  if (interval > 0) {
    const run = () => {
      try {
        const r = purgeOlderThan(assistant.db, assistant.config.retentionDays);
        sessions.purgeExpired();
        if (r.answers) app.log.info({ ...r }, 'retention job purged old records');
      } catch (err) {
        app.log.error({ err: (err as Error).message }, 'retention job failed');
      }
    };
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      run();
      timer = setInterval(run, interval);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    staffAuth?: ReturnType<typeof createAuth>;
  }
}

import type { FastifyInstance } from 'fastify';
import type { Assistant } from '../assistant.js';
import { purgeOlderThan } from '../review/retention.js';
import { createAuditLog } from './audit.js';
import { createAuth, sessionCookie } from './auth.js';
import { createSessionStore, DEFAULT_SESSION_SETTINGS, type SessionSettings } from './sessions.js';
import { staffApi } from './staff-api.js';
import { translationRoutes } from '../translation/routes.js';
import { staffPages } from './pages/staff-pages.js';
import { serviceRoutes } from './service-routes.js';
import { deskRoutes } from './desk-routes.js';
import { handoffFigures } from '../handoff/desk-figures.js';
import { createUserStore, PasswordQueueFullError } from './users.js';
import type { PasswordHasher } from './password-hasher.js';
import type { ChannelHealth } from '../../channels/core/channel-health.js';
import { createLoginThrottle, DEFAULT_LOGIN_THROTTLE, type LoginThrottleSettings } from './login-throttle.js';

export interface StaffPluginOptions {
  assistant: Assistant;
  sessionSettings?: SessionSettings;
  loginThrottle?: LoginThrottleSettings;
  /** Delivery health of the configured channels, shown on the dashboard. */
  channelHealth?: () => ChannelHealth[];
  /** The thread passwords are hashed on (tests pass theirs to count computations). */
  passwordHasher?: PasswordHasher;
  /** Run the retention job at start and then every this many ms (0 = never; `npm run purge` still works). */
  retentionIntervalMs?: number;
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** Staff console: sign-in, JSON API, pages; every state change is CSRF-checked and audited. */
export async function staffPlugin(app: FastifyInstance, opts: StaffPluginOptions): Promise<void> {
  const { assistant } = opts;
  const users = createUserStore(assistant.db, opts.passwordHasher ? { hasher: opts.passwordHasher } : {});
  app.addHook('onClose', async () => users.close());
  const sessions = createSessionStore(assistant.db, opts.sessionSettings ?? DEFAULT_SESSION_SETTINGS);
  const audit = createAuditLog(assistant.db);
  const auth = createAuth({ sessions, users });
  const secure = assistant.config.secureCookies;
  const throttle = createLoginThrottle(opts.loginThrottle ?? DEFAULT_LOGIN_THROTTLE);

  app.decorate('staffAuth', auth);

  // Staff API answers hold citizens' (redacted) questions and staff data: never kept by a
  // browser or a shared proxy cache.
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/staff/api/')) reply.header('cache-control', 'no-store');
  });

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
      // Login CSRF: a browser always sends Origin on cross-site POSTs; refuse other sites
      // (and "null", sent by sandboxed frames and file pages).
      const origin = req.headers.origin;
      if (origin && originHost(origin) !== req.headers.host) return reply.code(403).send({ error: 'csrf', message: 'Cross-site sign-in refused' });
      const { username, password } = req.body;
      const waiting = throttle.check(username, req.ip);
      if (waiting) {
        const seconds = Math.ceil(waiting.retryAfterMs / 1000);
        reply.header('retry-after', String(seconds));
        return reply.code(429).send({ error: 'login_backoff', message: `Too many failed sign-ins. Try again in ${seconds} s.` });
      }
      let user;
      try {
        user = await users.authenticate(username, password);
      } catch (err) {
        if (!(err instanceof PasswordQueueFullError)) throw err;
        reply.header('retry-after', '5');
        return reply.code(503).send({ error: 'busy', message: err.message });
      }
      if (!user) {
        audit.record(null, 'login.failed', username);
        for (const b of throttle.fail(username, req.ip)) {
          // The address goes to the audit log (a security record staff can read), never to the operational log.
          audit.record(null, 'login.backoff', username, { scope: b.scope, failures: b.failures, seconds: Math.ceil(b.delayMs / 1000), ...(b.scope === 'address' ? { address: req.ip } : {}) });
        }
        return reply.code(401).send({ error: 'invalid_credentials', message: 'Wrong username or password' });
      }
      throttle.succeed(username);
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
  await app.register(serviceRoutes, { controls: assistant.controls, auth, audit });
  await app.register(deskRoutes, { assistant, auth, users });
  await app.register(staffPages, {
    auth,
    provinces: [...assistant.profiles.keys()],
    placeholders: assistant.profiles.get(assistant.config.province)?.values,
    channelHealth: opts.channelHealth,
    handoffFigures: (period) => {
      // Shown where it means something: a province has handoff on, or tickets exist from when one had.
      const enabled = [...assistant.profiles.values()].some((p) => p.handoff);
      if (!enabled && !assistant.db.prepare('SELECT 1 FROM tickets LIMIT 1').get()) return null;
      return handoffFigures(assistant.db, assistant.now(), period);
    },
  });
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

import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { createI18n, DEFAULT_LOCALES_DIR, translator } from '../../i18n/i18n.js';
import { readCookie, type Auth } from '../auth.js';
import { roleAtLeast, type Role } from '../users.js';
import { loadAssets } from './assets.js';
import { layout, on, type PageContext, type Query, type SafeHtml } from './html.js';
import { auditBody } from './client/audit.view.js';
import { conversationBody } from './client/conversation.view.js';
import { dashboardBody } from './client/dashboard.view.js';
import type { ChannelHealth } from '../../../channels/core/channel-health.js';
import type { HandoffFigures } from '../../handoff/desk-figures.js';
import { docBody } from './client/doc.view.js';
import { forbiddenBody } from './client/forbidden.view.js';
import { gapsBody } from './client/gaps.view.js';
import { loginBody } from './client/login.view.js';
import { lookupBody } from './client/lookup.view.js';
import { reviewBody } from './client/review.view.js';
import { translationReviewBody } from './client/translation-review.view.js';
import { translationsBody } from './client/translations.view.js';
import { usersBody } from './client/users.view.js';
import { serviceBody } from './client/service.view.js';
import { inboxBody } from './client/inbox.view.js';
import { HANDOFF_ROLE, HANDOFF_SUPERVISOR_ROLE } from '../../domain/staff.js';

export interface StaffPagesOptions {
  auth: Auth;
  /** Province codes for the queue's province filter (a free text field without them). */
  provinces?: string[];
  /** Resolved province-profile values used to fill `{{placeholders}}` in articles shown to staff. */
  placeholders?: Record<string, string>;
  localesDir?: string;
  /** Delivery health of the configured channels, for the dashboard. */
  channelHealth?: () => ChannelHealth[];
  /** The staff desk's figures for the dashboard (null: no province has handoff on and there are no tickets). */
  handoffFigures?: (period: { from?: string; to?: string; includeTest?: boolean }) => HandoffFigures | null;
}

export const LANG_COOKIE = 'dvc_staff_lang';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Where to go after signing in: only a path inside the staff console (no open redirect). */
export function safeNext(next: unknown, opts: { allowLogin?: boolean } = {}): string {
  if (typeof next !== 'string' || next.length > 500) return '/staff';
  if (!(next === '/staff' || next.startsWith('/staff/') || next.startsWith('/staff?'))) return '/staff';
  // No scheme-relative tricks, backslashes (browsers read them as slashes), control characters or API/login loops.
  // eslint-disable-next-line no-control-regex
  if (next.includes('//') || /[\\\u0000-\u001f\u007f]/.test(next)) return '/staff';
  if (next.startsWith('/staff/api/') || next.startsWith('/staff/assets/') || next.startsWith('/staff/lang/')) return '/staff';
  if (!opts.allowLogin && next.startsWith('/staff/login')) return '/staff';
  return next;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function queryOf(req: FastifyRequest): Query {
  const out: Query = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    const s = str(v);
    if (s !== undefined) out[k] = s.slice(0, 200);
  }
  return out;
}

/** Staff console pages: server-rendered shells with small client scripts calling the staff JSON API. */
export async function staffPages(app: FastifyInstance, opts: StaffPagesOptions): Promise<void> {
  const { auth } = opts;
  const localesDir = opts.localesDir ?? DEFAULT_LOCALES_DIR;
  const i18n = createI18n(localesDir);
  const langs = fs
    .readdirSync(localesDir)
    .filter((l) => fs.existsSync(path.join(localesDir, l, 'staff.json')))
    .sort((a, b) => (a === 'vi' ? -1 : b === 'vi' ? 1 : a.localeCompare(b)));
  const strings = Object.fromEntries(langs.map((l) => [l, i18n.getResourceBundle(l, 'staff') as unknown]));
  const assets = await loadAssets(strings);
  const provinces = opts.provinces ?? [];
  const placeholders = opts.placeholders ?? {};
  const noLimit = { rateLimit: false as const };

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  const langOf = (req: FastifyRequest): string => {
    const c = readCookie(req.headers.cookie, LANG_COOKIE);
    return c && langs.includes(c) ? c : langs.includes('vi') ? 'vi' : langs[0];
  };
  const contextOf = (req: FastifyRequest): PageContext => {
    const lang = langOf(req);
    return {
      t: translator(i18n, lang, 'staff'),
      lang,
      url: req.url,
      user: req.staff?.user ?? null,
      csrfToken: req.staff?.csrfToken ?? null,
      asset: (name) => assets.url(name),
    };
  };
  const allowedFor = (req: FastifyRequest) => (role: Role) => Boolean(req.staff && roleAtLeast(req.staff.user.role, role));
  const send = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);

  const signedIn = auth.requireRole('reviewer');
  /** Signs in (redirecting HTML requests to the login page), then checks the role with a readable 403 page. */
  const guard = (role: Role): preHandlerAsyncHookHandler =>
    async function staffPageGuard(this: FastifyInstance, req, reply) {
      await signedIn.call(this, req, reply, () => undefined);
      if (reply.sent) return reply;
      if (!roleAtLeast(req.staff!.user.role, role)) {
        const ctx = contextOf(req);
        return send(reply, 403, layout(ctx, { title: ctx.t('forbidden.title'), page: 'forbidden', script: 'shell', body: forbiddenBody(ctx, role), allowed: allowedFor(req) }));
      }
    };

  const page = (
    url: string | string[],
    role: Role,
    spec: { page: string; script?: string; active?: string; title: string; body: (ctx: PageContext, req: FastifyRequest) => SafeHtml },
  ) => {
    for (const u of Array.isArray(url) ? url : [url]) {
      app.get(u, { preHandler: guard(role), config: noLimit }, async (req, reply) => {
        const ctx = contextOf(req);
        return send(
          reply,
          200,
          layout(ctx, { title: ctx.t(spec.title), page: spec.page, script: spec.script ?? spec.page, active: spec.active, body: spec.body(ctx, req), allowed: allowedFor(req) }),
        );
      });
    }
  };

  // --- static client files (no data: long-lived, content-hashed names) ---
  app.get<{ Params: { file: string } }>('/staff/assets/:file', { config: noLimit }, async (req, reply) => {
    const asset = assets.files.get(req.params.file);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    return reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
  });

  // --- language switch: remembers the choice in a cookie, then goes back ---
  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>('/staff/lang/:lang', { config: noLimit }, async (req, reply) => {
    const lang = req.params.lang;
    if (langs.includes(lang)) reply.header('set-cookie', `${LANG_COOKIE}=${lang}; Path=/staff; SameSite=Strict; Max-Age=31536000`);
    return reply.redirect(safeNext(str(req.query.next), { allowLogin: true }), 303);
  });

  // --- sign-in ---
  app.get<{ Querystring: { next?: string } }>('/staff/login', { config: noLimit }, async (req, reply) => {
    const next = safeNext(str(req.query.next));
    if (auth.authenticate(req)) return reply.redirect(next, 303);
    const ctx = contextOf(req);
    return send(reply, 200, layout(ctx, { title: ctx.t('login.title'), page: 'login', script: 'login', body: loginBody(ctx, next), allowed: () => false, bodyClass: 'login-page' }));
  });

  // --- pages ---
  page(['/staff', '/staff/'], 'reviewer', { page: 'lookup', active: 'lookup', title: 'lookup.title', body: (ctx, req) => lookupBody(ctx, queryOf(req).q ?? '', placeholders) });
  page('/staff/docs/:id', 'reviewer', {
    page: 'doc',
    active: 'lookup',
    title: 'lookup.title',
    body: (ctx, req) => docBody(ctx, (req.params as { id: string }).id, placeholders),
  });
  page('/staff/inbox', HANDOFF_ROLE, {
    page: 'inbox',
    active: 'inbox',
    title: 'inbox.title',
    body: (ctx, req) => inboxBody(ctx, { ticket: queryOf(req).ticket, supervisor: roleAtLeast(req.staff!.user.role, HANDOFF_SUPERVISOR_ROLE) }),
  });
  page('/staff/review', 'reviewer', { page: 'review', active: 'review', title: 'review.title', body: (ctx, req) => reviewBody(ctx, queryOf(req), provinces) });
  page('/staff/review/conversations/:id', 'reviewer', {
    page: 'conversation',
    active: 'review',
    title: 'conversation.title',
    body: (ctx, req) => conversationBody(ctx, (req.params as { id: string }).id),
  });
  page('/staff/gaps', 'editor', { page: 'gaps', active: 'gaps', title: 'gaps.title', body: (ctx, req) => gapsBody(ctx, queryOf(req)) });
  page('/staff/dashboard', 'reviewer', {
    page: 'dashboard',
    active: 'dashboard',
    title: 'dashboard.title',
    body: (ctx, req) => {
      const role = req.staff!.user.role;
      const q = queryOf(req);
      // Without a chosen period, show the last 30 days (the form shows it; clearing it shows everything).
      if (q.from === undefined && q.to === undefined) q.from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
      const day = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
      const handoff = opts.handoffFigures?.({ from: day(q.from), to: day(q.to), includeTest: on(q.includeTest) }) ?? null;
      return dashboardBody(ctx, q, { gaps: roleAtLeast(role, 'editor'), exports: roleAtLeast(role, 'editor'), purge: roleAtLeast(role, 'admin') }, opts.channelHealth?.() ?? [], handoff);
    },
  });
  page('/staff/translations', 'reviewer', {
    page: 'translations',
    active: 'translations',
    title: 'translations.title',
    body: (ctx, req) => {
      const editor = roleAtLeast(req.staff!.user.role, 'editor');
      return translationsBody(ctx, queryOf(req).lang, { review: editor, exports: editor });
    },
  });
  page('/staff/translations/revisions/:id', 'editor', {
    page: 'translation-review',
    active: 'translations',
    title: 'translations.reviewTitle',
    body: (ctx, req) => translationReviewBody(ctx, (req.params as { id: string }).id),
  });
  page('/staff/users', 'admin', { page: 'users', active: 'users', title: 'users.title', body: (ctx) => usersBody(ctx) });
  page('/staff/service', 'admin', { page: 'service', active: 'service', title: 'service.title', body: (ctx) => serviceBody(ctx) });
  page('/staff/audit', 'admin', { page: 'audit', active: 'audit', title: 'audit.title', body: (ctx) => auditBody(ctx) });
}

import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { SessionStore } from './sessions.js';
import { roleAtLeast, type Role, type StaffUser, type UserStore } from './users.js';

export const SESSION_COOKIE = 'dvc_staff';

declare module 'fastify' {
  interface FastifyRequest {
    staff?: { user: StaffUser; sessionId: string; csrfToken: string };
  }
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

export function sessionCookie(value: string, opts: { secure: boolean; maxAgeSeconds?: number }): string {
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    'Path=/staff',
    'HttpOnly',
    'SameSite=Strict',
    ...(opts.secure ? ['Secure'] : []),
    ...(opts.maxAgeSeconds !== undefined ? [`Max-Age=${opts.maxAgeSeconds}`] : []),
  ].join('; ');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function wantsHtml(req: FastifyRequest): boolean {
  return req.method === 'GET' && !req.url.startsWith('/staff/api/') && (req.headers.accept ?? '').includes('text/html');
}

/**
 * Builds `requireRole(role)`: a preHandler that admits a live session whose user has at least
 * that role, and, for state-changing requests, the session's CSRF token in `x-csrf-token`.
 */
export function createAuth(deps: { sessions: SessionStore; users: UserStore }) {
  const authenticate = (req: FastifyRequest): boolean => {
    const id = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (!id) return false;
    const session = deps.sessions.resume(id);
    if (!session) return false;
    const user = deps.users.get(session.userId);
    if (!user || user.disabled) return false;
    req.staff = { user, sessionId: session.id, csrfToken: session.csrfToken };
    return true;
  };

  const deny = (req: FastifyRequest, reply: FastifyReply, status: 401 | 403, error: string, message: string) => {
    if (status === 401 && wantsHtml(req)) return reply.redirect(`/staff/login?next=${encodeURIComponent(req.url)}`);
    return reply.code(status).send({ error, message });
  };

  const requireRole = (role: Role): preHandlerHookHandler =>
    async function requireRoleHandler(req, reply) {
      if (!authenticate(req)) return deny(req, reply, 401, 'unauthenticated', 'Please sign in');
      if (!roleAtLeast(req.staff!.user.role, role)) return deny(req, reply, 403, 'forbidden', `This needs the ${role} role`);
      if (!SAFE_METHODS.has(req.method)) {
        const token = req.headers['x-csrf-token'];
        if (typeof token !== 'string' || token !== req.staff!.csrfToken) return deny(req, reply, 403, 'csrf', 'Missing or wrong CSRF token');
      }
    };

  return { requireRole, authenticate };
}

export type Auth = ReturnType<typeof createAuth>;

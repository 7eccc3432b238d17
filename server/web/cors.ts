/**
 * CORS for the citizen API (/api/chat, /api/feedback, /api/profile): only the portals the
 * operator lists may call it from a browser. The widget itself does not need CORS (its iframe
 * is on our origin); this is for portals that build their own UI on the API.
 *
 * A browser request whose Origin is neither ours nor listed is refused with 403 before it
 * reaches the route, so another site cannot make its visitors' browsers ask questions or
 * send feedback in their name. Requests without Origin (curl, servers, same-origin GETs) pass.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const CORS_PATHS: readonly string[] = ['/api/chat', '/api/feedback', '/api/profile'];
const ALLOW_METHODS = 'GET, POST, OPTIONS';
const ALLOW_HEADERS = 'content-type, x-test';
const MAX_AGE = '600';

/** Whether an Origin header names this server itself (the Host the browser connected to). */
export function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Register at the root instance (hooks there reach every route, also the 404 handler that
 * answers OPTIONS for routes without an OPTIONS handler).
 */
export function registerCors(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  const allowed = new Set(allowedOrigins);
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!CORS_PATHS.includes(pathOf(req.url))) return;
    reply.header('vary', 'Origin');
    const origin = req.headers.origin;
    if (!origin) return;
    const ok = allowed.has(origin) || isOwnOrigin(origin, req.headers.host);
    if (!ok) {
      return reply.code(403).send({ error: 'origin_not_allowed', message: 'This origin may not use the assistant API from a browser' });
    }
    reply.header('access-control-allow-origin', origin);
    if (req.method === 'OPTIONS') {
      reply.header('access-control-allow-methods', ALLOW_METHODS);
      reply.header('access-control-allow-headers', ALLOW_HEADERS);
      reply.header('access-control-max-age', MAX_AGE);
      return reply.code(204).send();
    }
    reply.header('access-control-expose-headers', 'retry-after');
  });
}

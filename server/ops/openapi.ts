import type { FastifyInstance, FastifySchema } from 'fastify';
import swagger from '@fastify/swagger';

/**
 * The public and channel routes, described for a portal vendor or an SMS/Zalo integrator. Staff
 * pages, the widget's files and /metrics are for us, not for integrators, and are left out.
 */
export const PUBLIC_ROUTES: Record<string, { tag: string; summary: string; description?: string }> = {
  'POST /api/chat': { tag: 'citizens', summary: 'Ask a question; returns the answer object', description: 'The first message of a conversation returns `conversationId` and `conversationToken`; send both to continue it (a wrong or missing token starts a new conversation). A message over the configured length is a 400 `message_too_long`; over the rate limit a 429 with `Retry-After`. Send `X-Test: 1` to mark test traffic.' },
  'GET /api/conversations/{id}/messages': { tag: 'citizens', summary: "Messages of the conversation's tickets after a point, staff replies included (header X-Conversation-Token)", description: 'A wrong token and an unknown conversation are the same 404. Rate-limited like chat.' },
  'POST /api/feedback': { tag: 'citizens', summary: "A citizen's rating of one answer (the comment is redacted before it is stored)" },
  'GET /api/profile': { tag: 'citizens', summary: "The province's hotlines, one-stop shop and offered languages (what the widget shows)" },
  'GET /api/notice': {
    tag: 'citizens',
    summary: 'The service notice to show (for example planned maintenance), or null',
    description: 'One notice for the whole deployment, in `lang` when written in it (English), otherwise Vietnamese. Cacheable for at most 60 s, and never past the moment it starts or ends.',
  },
  'GET /healthz': { tag: 'operations', summary: 'The process is up' },
  'GET /readyz': { tag: 'operations', summary: 'The knowledge index is loaded (503 until it is)' },
  'POST /channels/zalo/webhook': { tag: 'channels', summary: 'Zalo OA events (signed with X-ZEvent-Signature); stored before 200 is returned', description: 'See docs/channels.md for the signature variants.' },
  'GET /channels/sms/inbound': { tag: 'channels', summary: 'Incoming SMS from an HTTP gateway (query string form)' },
  'POST /channels/sms/inbound': { tag: 'channels', summary: 'Incoming SMS from an HTTP gateway (form or JSON body)' },
};

const key = (method: string, url: string) => `${method} ${url}`;

/**
 * Registers @fastify/swagger before the routes, so it sees every route's own validation schemas;
 * the document is therefore generated from exactly what the server validates with.
 */
export async function registerOpenApi(app: FastifyInstance, opts: { version: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'DVC Assistant API',
        version: opts.version,
        description: "Public and channel routes of the help assistant for Vietnam's online public services. Answers are grounded in the reviewed knowledge base; see the README.",
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      tags: [
        { name: 'citizens', description: 'Used by the web widget and by portals calling the API' },
        { name: 'channels', description: 'Called by Zalo and by SMS gateways' },
        { name: 'operations', description: 'Health checks for load balancers and monitoring' },
      ],
    },
    hiddenTag: 'internal',
    transform: ({ schema, url, route }) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      // Keys are in OpenAPI's {name} form; fastify's route URLs have :name.
      const info = methods.map((m) => PUBLIC_ROUTES[key(m, url.replace(/:(\w+)/g, '{$1}'))]).find(Boolean);
      if (!info) return { schema: { ...schema, hide: true } as FastifySchema, url };
      return { schema: { ...schema, tags: [info.tag], summary: info.summary, ...(info.description ? { description: info.description } : {}) } as FastifySchema, url };
    },
  });
}

/** Routes described in the document, as "METHOD /path" (path parameters in OpenAPI's {name} form). */
export function describedRoutes(doc: { paths?: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths ?? {}).flatMap(([p, ops]) => Object.keys(ops).filter((m) => m !== 'parameters').map((m) => `${m.toUpperCase()} ${p}`));
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

interface Operation {
  summary?: string;
  description?: string;
  parameters?: unknown[];
  requestBody?: { content?: unknown };
  responses?: Record<string, { description?: string; content?: unknown }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
}

/** A plain, readable reference page rendered on the server from the document (no CDN, no script). */
export function referencePage(doc: Document): string {
  const sections = Object.entries(doc.paths ?? {}).flatMap(([p, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const parts = [`<h2 id="${escape(`${method}-${p}`)}"><code>${method.toUpperCase()} ${escape(p)}</code></h2>`, `<p>${escape(op.summary ?? '')}</p>`];
      if (op.description) parts.push(`<p>${escape(op.description)}</p>`);
      if (op.parameters?.length) parts.push(`<h3>Parameters</h3><pre>${escape(JSON.stringify(op.parameters, null, 2))}</pre>`);
      const body = op.requestBody?.content;
      if (body) parts.push(`<h3>Request body</h3><pre>${escape(JSON.stringify(body, null, 2))}</pre>`);
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        parts.push(`<h3>Response ${escape(status)}</h3>${r.content ? `<pre>${escape(JSON.stringify(r.content, null, 2))}</pre>` : `<p>${escape(r.description ?? '')}</p>`}`);
      }
      return `<section>${parts.join('\n')}</section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)} ${escape(doc.info.version)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}pre{background:#f4f6f8;padding:.75rem;overflow:auto;font-size:13px}h2{border-top:1px solid #ccd;padding-top:1rem}</style>
</head><body><h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1><p>${escape(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${escape(doc.openapi)}).</p>
${sections.join('\n')}</body></html>`;
}

/** `GET /api/openapi.json` and `GET /api/reference`. */
export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  const hidden = { hide: true } as FastifySchema;
  app.get('/api/openapi.json', { schema: hidden }, async () => app.swagger());
  app.get('/api/reference', { schema: hidden }, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=300').send(referencePage(app.swagger() as unknown as Document)));
}

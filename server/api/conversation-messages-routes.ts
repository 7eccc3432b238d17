import type { FastifyInstance } from 'fastify';
import type { TicketStore } from '../handoff/tickets.js';
import type { DeskEvents } from '../handoff/desk-events.js';
import { waitForConversationChange } from '../handoff/conversation-wait.js';
import { handoffStatusOf, HANDOFF_STATUSES } from '../domain/handoff.js';
import type { ConversationTokens } from '../storage/conversation-tokens.js';
import type { WindowLimiter } from './window-limiter.js';
import { errorSchema } from './schemas.js';

export interface ConversationMessagesOptions {
  tickets: TicketStore;
  conversationTokens: ConversationTokens;
  /** The chat route's limits, counted separately (a client polling must not eat its chat limit). */
  limit: WindowLimiter;
  /** The ticket store's event hub: a staff reply ends a waiting request at once. */
  events: DeskEvents;
  /** How often a waiting request looks at the database itself (replies written by another process). */
  recheckMs?: number;
}

/** The longest `wait`: under the proxy's read timeout (30 s in docs/deploy.md's nginx snippet). */
export const MAX_MESSAGES_WAIT_S = 25;

const messagesResponse = {
  type: 'object',
  required: ['messages'],
  properties: {
    messages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'author', 'text', 'at'],
        properties: {
          id: { type: 'integer', description: 'Pass the last one as `after` to get only newer messages' },
          author: { type: 'string', enum: ['citizen', 'staff'] },
          text: { type: 'string', description: 'As stored: secrets redacted' },
          at: { type: 'string', format: 'date-time' },
        },
      },
    },
    handoff: {
      type: 'object',
      required: ['ticket', 'status'],
      properties: { ticket: { type: 'string' }, status: { type: 'string', enum: [...HANDOFF_STATUSES] } },
    },
  },
} as const;

/**
 * GET /api/conversations/:id/messages?after=N — the messages of the conversation's tickets after
 * message N, staff replies included, for clients that cannot keep a live connection (and the
 * widget on its next visit). The token travels in a header, not the URL, so no proxy log keeps it.
 * A wrong token and an unknown conversation get the same 404: the route does not tell which ids exist.
 * With `wait=S` the request is held up to S seconds while there is nothing new (long polling, how
 * the widget gets a staff reply within a second without a connection type of its own; decision 0023).
 */
export async function conversationMessagesRoutes(app: FastifyInstance, opts: ConversationMessagesOptions): Promise<void> {
  const recheckMs = opts.recheckMs ?? 1000;
  // Held requests end when the server closes (otherwise close() would wait up to 25 s for each).
  const waits = new Set<AbortController>();
  app.addHook('preClose', async () => {
    for (const w of waits) w.abort();
  });
  app.get<{ Params: { id: string }; Querystring: { after?: string; wait?: string }; Headers: { 'x-conversation-token'?: string } }>(
    '/api/conversations/:id/messages',
    {
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9-]{8,64}$' } } },
        // A string of digits: the app's validator does not coerce types, and query values are strings.
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: { type: 'string', pattern: '^[0-9]{1,15}$', description: 'A message id: only messages after it' },
            wait: { type: 'string', pattern: '^([1-9]|1[0-9]|2[0-5])$', description: `Seconds (1–${MAX_MESSAGES_WAIT_S}) to hold the request while there is nothing new: it returns as soon as staff reply or the ticket changes (long polling)` },
          },
        },
        headers: { type: 'object', required: ['x-conversation-token'], properties: { 'x-conversation-token': { type: 'string', minLength: 1, maxLength: 200 } } },
        response: { 200: messagesResponse, 400: errorSchema, 404: errorSchema, 429: errorSchema },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const after = Number(req.query.after ?? '0');
      if (!opts.conversationTokens.verify(id, req.headers['x-conversation-token'])) {
        return reply.code(404).send({ error: 'not_found', message: 'No conversation with this id and token' });
      }
      const hit = opts.limit.hit(id);
      if (!hit.allowed) {
        reply.header('retry-after', String(Math.ceil(hit.retryAfterMs / 1000)));
        return reply.code(429).send({ error: 'rate_limited', message: `Too many requests for this conversation. Try again in ${Math.ceil(hit.retryAfterMs / 1000)} s.` });
      }
      let latest = opts.tickets.latestFor(id);
      if (req.query.wait && latest) {
        // Only a conversation with a ticket waits: without one no staff reply can come.
        const seen = { id: latest.id, status: latest.status };
        const abort = new AbortController();
        const onGone = () => abort.abort();
        reply.raw.once('close', onGone);
        waits.add(abort);
        try {
          await waitForConversationChange({
            events: opts.events,
            ticketId: seen.id,
            timeoutMs: Number(req.query.wait) * 1000,
            recheckMs,
            signal: abort.signal,
            changed: () => {
              if (opts.tickets.conversationMessages(id, after, 1).length) return true;
              const now = opts.tickets.latestFor(id);
              return !!now && (now.id !== seen.id || now.status !== seen.status);
            },
          });
        } finally {
          waits.delete(abort);
          reply.raw.off('close', onGone);
        }
        latest = opts.tickets.latestFor(id);
      }
      const messages = opts.tickets.conversationMessages(id, after).map((m) => ({ id: m.id, author: m.author, text: m.text, at: m.createdAt }));
      return { messages, ...(latest ? { handoff: { ticket: latest.code, status: handoffStatusOf(latest.status) } } : {}) };
    },
  );
}

import type { FastifyInstance } from 'fastify';
import type { TicketStore } from '../handoff/tickets.js';
import { handoffStatusOf, HANDOFF_STATUSES } from '../domain/handoff.js';
import type { ConversationTokens } from '../storage/conversation-tokens.js';
import type { WindowLimiter } from './window-limiter.js';
import { errorSchema } from './schemas.js';

export interface ConversationMessagesOptions {
  tickets: TicketStore;
  conversationTokens: ConversationTokens;
  /** The chat route's limits, counted separately (a client polling must not eat its chat limit). */
  limit: WindowLimiter;
}

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
 */
export async function conversationMessagesRoutes(app: FastifyInstance, opts: ConversationMessagesOptions): Promise<void> {
  app.get<{ Params: { id: string }; Querystring: { after?: string }; Headers: { 'x-conversation-token'?: string } }>(
    '/api/conversations/:id/messages',
    {
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9-]{8,64}$' } } },
        // A string of digits: the app's validator does not coerce types, and query values are strings.
        querystring: { type: 'object', additionalProperties: false, properties: { after: { type: 'string', pattern: '^[0-9]{1,15}$', description: 'A message id: only messages after it' } } },
        headers: { type: 'object', required: ['x-conversation-token'], properties: { 'x-conversation-token': { type: 'string', minLength: 1, maxLength: 200 } } },
        response: { 200: messagesResponse, 400: errorSchema, 404: errorSchema, 429: errorSchema },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      if (!opts.conversationTokens.verify(id, req.headers['x-conversation-token'])) {
        return reply.code(404).send({ error: 'not_found', message: 'No conversation with this id and token' });
      }
      const hit = opts.limit.hit(id);
      if (!hit.allowed) {
        reply.header('retry-after', String(Math.ceil(hit.retryAfterMs / 1000)));
        return reply.code(429).send({ error: 'rate_limited', message: `Too many requests for this conversation. Try again in ${Math.ceil(hit.retryAfterMs / 1000)} s.` });
      }
      const messages = opts.tickets.conversationMessages(id, Number(req.query.after ?? '0')).map((m) => ({ id: m.id, author: m.author, text: m.text, at: m.createdAt }));
      const latest = opts.tickets.latestFor(id);
      return { messages, ...(latest ? { handoff: { ticket: latest.code, status: handoffStatusOf(latest.status) } } : {}) };
    },
  );
}

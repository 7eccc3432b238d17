import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { Channel } from '../domain/answer.js';
import type { WindowLimiter } from './window-limiter.js';
import { newConversationToken, type ConversationTokens } from '../storage/conversation-tokens.js';
import { chatRequestSchema, chatResponseSchema, errorSchema } from './schemas.js';

interface ChatBody {
  message: string;
  conversationId?: string;
  conversationToken?: string;
  lang?: string;
  channel?: 'web' | 'api';
  province?: string;
}

export interface ChatRoutesOptions {
  pipeline: Pipeline;
  maxMessageChars: number;
  provinces: Set<string>;
  /** Messages per conversation and window (keyed by conversation id). */
  conversationLimit: WindowLimiter;
  conversationTokens: ConversationTokens;
}

/** Test traffic is marked so it never counts in dashboards: header X-Test: 1. */
export function isTestRequest(headers: Record<string, unknown>): boolean {
  const v = headers['x-test'];
  return v === '1' || v === 'true';
}

export async function chatRoutes(app: FastifyInstance, opts: ChatRoutesOptions): Promise<void> {
  app.post<{ Body: ChatBody }>(
    '/api/chat',
    {
      schema: {
        body: chatRequestSchema(opts.maxMessageChars),
        response: { 200: chatResponseSchema, 400: errorSchema, 429: errorSchema },
      },
    },
    async (req, reply) => {
      const { message, lang, channel, province } = req.body;
      // Knowing a conversation's id is not enough to continue it: its token must match. A wrong
      // or missing token starts a new conversation (the old one is untouched), so a citizen
      // whose tab lost the token just gets a fresh start instead of an error.
      const continuing = req.body.conversationId !== undefined && opts.conversationTokens.verify(req.body.conversationId, req.body.conversationToken);
      const started = continuing ? null : newConversationToken();
      const conversationId = continuing ? req.body.conversationId! : crypto.randomUUID();
      // A new conversation counts only against the address flood guard, so citizens behind one
      // NAT address can all start; an ongoing conversation has its own limit.
      if (continuing) {
        const hit = opts.conversationLimit.hit(conversationId);
        if (!hit.allowed) {
          reply.header('retry-after', String(Math.ceil(hit.retryAfterMs / 1000)));
          return reply.code(429).send({ error: 'rate_limited', message: `Too many messages in this conversation. Try again in ${Math.ceil(hit.retryAfterMs / 1000)} s.` });
        }
      }
      if (province && !opts.provinces.has(province)) {
        return reply.code(400).send({ error: 'unknown_province', message: `Unknown province "${province}". Known: ${[...opts.provinces].join(', ')}` });
      }
      const { answer } = await opts.pipeline.handle({
        text: message,
        conversationId,
        ...(started ? { conversationTokenHash: started.hash } : {}),
        lang,
        province,
        channel: (channel ?? 'api') as Channel,
        isTest: isTestRequest(req.headers),
      });
      // Log ids and outcome only; the question text never goes to operational logs.
      req.log.info({ answerId: answer.answerId, kind: answer.kind, confidence: answer.confidence }, 'answered');
      return started ? { ...answer, conversationToken: started.token } : answer;
    },
  );
}

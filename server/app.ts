import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Assistant } from './assistant.js';
import { chatRoutes } from './api/chat-routes.js';
import { createWindowLimiter } from './api/window-limiter.js';
import { healthRoutes } from './api/health-routes.js';
import { feedbackRoutes } from './api/feedback-routes.js';
import { createFeedbackStore } from './storage/feedback.js';
import { staffPlugin } from './staff/staff-plugin.js';
import { registerCors } from './web/cors.js';
import { webPlugin } from './web/web-plugin.js';
import { profileRoutes } from './api/profile-routes.js';
import { channelsPlugin } from '../channels/channels-plugin.js';
import { loadChannelsConfig, type ChannelsConfig } from '../channels/config.js';

export interface AppOptions {
  assistant: Assistant;
  logger?: boolean | object;
  /** Retention job period; 0 disables the timer (tests). */
  retentionIntervalMs?: number;
  /** Channel settings; read from the environment when not given. */
  channelsConfig?: ChannelsConfig;
}

/**
 * What a request looks like in the operational log: the method and the route *pattern*
 * ("/staff/api/conversations/:id"), never the URL. Query strings (staff search, exports), path
 * parameters and unknown paths ("/channels/sms/inbound/?sender=…") can all carry personal data;
 * client addresses are personal data too.
 */
const REQUEST_LOG_SERIALIZERS = {
  req: (req: FastifyRequest) => ({ id: req.id, method: req.method, route: req.routeOptions?.url ?? '(unknown route)' }),
};

function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

/** The HTTP application: one plugin per concern, each given exactly what it needs. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { assistant, logger = false } = options;
  const { config } = assistant;
  const app = Fastify({
    logger: logger === false ? false : { ...(logger === true ? {} : logger), serializers: REQUEST_LOG_SERIALIZERS },
    bodyLimit: 64 * 1024,
    // Behind a reverse proxy the client address comes from X-Forwarded-For, but only from the
    // proxies named here: anyone else could write that header themselves.
    // A hop count trusts that many proxies nearest to the server (as proxy-addr does).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown; code?: string }, req, reply) => {
    if (err.validation) {
      const tooLong = /must NOT have more than/.test(err.message);
      return reply.code(400).send({
        error: tooLong ? 'message_too_long' : 'invalid_request',
        message: tooLong ? `The message is longer than ${config.maxMessageChars} characters` : err.message,
      });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err: { message: err.message, code: err.code } }, 'request failed');
    return reply.code(status).send({ error: status === 429 ? 'rate_limited' : status >= 500 ? 'internal_error' : (err.code ?? 'bad_request'), message: status >= 500 ? 'Internal error' : err.message });
  });

  // Fastify's own 404 logs "Route GET:/path?query not found": the path and query of an unknown
  // URL can carry a phone number or a message, so answer without logging them.
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not_found', message: `No route ${req.method} for this path` }));

  // Before the rate limiter, so preflights are not counted and 429s carry CORS headers.
  registerCors(app, config.allowedOrigins);
  // Per client address: a flood guard only, generous enough for carrier-grade NAT where a whole
  // district shares one address. Conversations have their own tighter limit (chat-routes.ts).
  await app.register(rateLimit, {
    global: true,
    max: config.addressRateLimitMax,
    keyGenerator: (req) => req.ip,
    // Signed-in staff pages and their API are not citizen traffic (search-as-you-type from one
    // office IP would hit the limit); sign-in keeps its own stricter limit.
    allowList: (req) => req.url.startsWith('/staff') && !req.url.startsWith('/staff/api/login'),
    timeWindow: config.rateLimit.windowMs,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      error: 'rate_limited',
      message: `Too many requests from this address: at most ${ctx.max} per ${Math.round(config.rateLimit.windowMs / 1000)} s. Try again in ${Math.ceil(ctx.ttl / 1000)} s.`,
    }),
  });
  await app.register(healthRoutes, { indexHolder: assistant.indexHolder });
  await app.register(chatRoutes, {
    pipeline: assistant.pipeline,
    maxMessageChars: config.maxMessageChars,
    provinces: new Set(assistant.profiles.keys()),
    conversationLimit: createWindowLimiter({ max: config.rateLimit.max, windowMs: config.rateLimit.windowMs }),
  });
  await app.register(feedbackRoutes, { feedback: createFeedbackStore(assistant.db) });
  await app.register(profileRoutes, { profiles: assistant.profiles, defaultProvince: config.province, indexHolder: assistant.indexHolder });
  await app.register(webPlugin, { profiles: assistant.profiles, defaultProvince: config.province, allowedOrigins: config.allowedOrigins });
  await app.register(channelsPlugin, { assistant, config: options.channelsConfig ?? loadChannelsConfig(process.env), log: app.log });
  await app.register(staffPlugin, { assistant, retentionIntervalMs: options.retentionIntervalMs });
  return app;
}

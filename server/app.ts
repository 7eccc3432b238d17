import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Assistant } from './assistant.js';
import { installErrorHandler } from './errors.js';
import { fastifyTrustProxy } from './config.js';
import { chatRoutes } from './api/chat-routes.js';
import { createWindowLimiter } from './api/window-limiter.js';
import { createConversationTokens } from './storage/conversation-tokens.js';
import { conversationMessagesRoutes } from './api/conversation-messages-routes.js';
import { healthRoutes } from './api/health-routes.js';
import { createWriteProbe } from './db/write-probe.js';
import { feedbackRoutes } from './api/feedback-routes.js';
import { createFeedbackStore } from './storage/feedback.js';
import { staffPlugin } from './staff/staff-plugin.js';
import { registerCors } from './web/cors.js';
import { webPlugin } from './web/web-plugin.js';
import { profileRoutes } from './api/profile-routes.js';
import { noticeRoutes } from './api/notice-routes.js';
import { channelsPlugin } from '../channels/channels-plugin.js';
import { createChannelHealth } from '../channels/core/channel-health.js';
import type { ChannelsConfig } from '../channels/config.js';
import { createMetrics, metricsPlugin, registerRequestMetrics } from './ops/metrics.js';
import { handoffFigures } from './handoff/desk-figures.js';
import { openApiRoutes, registerOpenApi } from './ops/openapi.js';
import { projectPath } from './project-root.js';
import fs from 'node:fs';

export interface AppOptions {
  assistant: Assistant;
  logger?: boolean | object;
  /** Retention job period; 0 disables the timer (tests). */
  retentionIntervalMs?: number;
  /** Channel settings; the validated configuration's when not given (tests pass their own). */
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

/** The HTTP application: one plugin per concern, each given exactly what it needs. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { assistant, logger = false } = options;
  const { config } = assistant;
  const app = Fastify({
    logger: logger === false ? false : { ...(logger === true ? {} : logger), serializers: REQUEST_LOG_SERIALIZERS },
    bodyLimit: 64 * 1024,
    trustProxy: fastifyTrustProxy(config.ops.trustProxy),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });

  installErrorHandler(app, { maxMessageChars: config.maxMessageChars });

  // Fastify's own 404 logs "Route GET:/path?query not found": the path and query of an unknown
  // URL can carry a phone number or a message, so answer without logging them.
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not_found', message: `No route ${req.method} for this path` }));

  // First, so it sees every route's own schemas as they are registered.
  await registerOpenApi(app, { version: (JSON.parse(fs.readFileSync(projectPath('package.json'), 'utf8')) as { version: string }).version });
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
  const channelsConfig = options.channelsConfig ?? config.channels;
  // Delivery health of the configured channels, for the staff dashboard and /metrics alike.
  const readChannelHealth = createChannelHealth(assistant.db);
  const configuredChannels = (['zalo', 'sms'] as const).filter((c) => channelsConfig[c]);
  const channelHealth = () => readChannelHealth(configuredChannels);
  const metrics = createMetrics({
    db: assistant.db,
    indexHolder: assistant.indexHolder,
    channelHealth,
    // Read at scrape time from the switches in the database, so every process reports the same.
    channelStates: () => {
      const on = assistant.controls.switches();
      const state = (channel: 'web' | 'zalo' | 'sms', configured: boolean) => ({ channel, state: !configured ? 'not_configured' : on[channel] ? 'on' : 'off' });
      return [state('web', true), state('zalo', Boolean(channelsConfig.zalo)), state('sms', Boolean(channelsConfig.sms))];
    },
    switches: () => assistant.controls.switches(),
    // The median over the last 30 days, by the assistant's clock (tests inject one).
    handoff: () => {
      const now = assistant.now();
      return handoffFigures(assistant.db, now, { from: new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10) });
    },
    deskStreams: () => assistant.deskEvents.size,
    citizenWaits: () => assistant.deskEvents.watching,
  });
  // Every answer is counted where it is made, whichever channel asked.
  const pipeline = metrics.instrument(assistant.pipeline);
  registerRequestMetrics(app, metrics);
  await app.register(metricsPlugin, { metrics, token: config.ops.metricsToken });
  await app.register(healthRoutes, { indexHolder: assistant.indexHolder, writeProbe: createWriteProbe(assistant.db, config.databasePath) });
  const conversationTokens = createConversationTokens(assistant.db);
  await app.register(chatRoutes, {
    pipeline,
    maxMessageChars: config.maxMessageChars,
    provinces: new Set(assistant.profiles.keys()),
    conversationLimit: createWindowLimiter({ max: config.rateLimit.max, windowMs: config.rateLimit.windowMs }),
    conversationTokens,
  });
  await app.register(conversationMessagesRoutes, {
    tickets: assistant.tickets,
    conversationTokens,
    limit: createWindowLimiter({ max: config.rateLimit.max, windowMs: config.rateLimit.windowMs }),
    events: assistant.deskEvents,
  });
  await app.register(feedbackRoutes, { feedback: createFeedbackStore(assistant.db) });
  await app.register(profileRoutes, { profiles: assistant.profiles, defaultProvince: config.province, indexHolder: assistant.indexHolder });
  await app.register(noticeRoutes, { controls: assistant.controls, provinces: new Set(assistant.profiles.keys()) });
  await app.register(webPlugin, { profiles: assistant.profiles, defaultProvince: config.province, allowedOrigins: config.allowedOrigins, maxMessageChars: config.maxMessageChars });
  await app.register(channelsPlugin, { assistant: { ...assistant, pipeline }, config: channelsConfig, log: app.log });
  await app.register(openApiRoutes);
  await app.register(staffPlugin, { assistant, retentionIntervalMs: options.retentionIntervalMs, channelHealth });
  return app;
}

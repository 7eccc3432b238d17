import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CHANNEL_HEALTH_STATES, type ChannelHealth } from '../../channels/core/channel-health.js';
import type { Db } from '../db/database.js';
import type { IndexHolder } from '../knowledge/index-holder.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { Answer, InboundMessage } from '../domain/answer.js';
import type { HandoffFigures } from '../handoff/desk-figures.js';

/**
 * Prometheus metrics of one server process. Its own registry (not prom-client's global one), so
 * two apps in one test process never share counters. Labels are route templates, kinds, channels,
 * languages and states only: never a question, a user id, a phone number or an IP address.
 */
export function createMetrics(deps: {
  db: Db;
  indexHolder: IndexHolder;
  channelStates?: () => Array<{ channel: string; state: string }>;
  /** The administrators' channel switches (true = on), read at scrape time. */
  switches?: () => Record<string, boolean>;
  /** Delivery health of the configured channels (channels/core/channel-health.ts). */
  channelHealth?: () => ChannelHealth[];
  /** The staff desk's figures (server/handoff/desk-figures.ts), read at scrape time. */
  handoff?: () => HandoffFigures;
  /** Open desk live streams. */
  deskStreams?: () => number;
  /** Citizens' requests held open waiting for a staff reply (long polling). */
  citizenWaits?: () => number;
}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const requests = new Counter({ name: 'dvc_http_requests_total', help: 'HTTP requests by route template, method and status code', labelNames: ['route', 'method', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'dvc_http_request_duration_seconds',
    help: 'HTTP response time by route template',
    labelNames: ['route', 'method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const answers = new Counter({ name: 'dvc_answers_total', help: 'Answers by kind, channel and language (test traffic excluded)', labelNames: ['kind', 'channel', 'lang'], registers: [registry] });
  const outcomes = new Counter({ name: 'dvc_answers_by_outcome_total', help: 'Answers by outcome code, where the answer carries one', labelNames: ['outcome', 'channel'], registers: [registry] });
  const fallbacks = new Counter({ name: 'dvc_fallbacks_total', help: 'Answers that fell back to "we do not know, call the hotline"', labelNames: ['channel'], registers: [registry] });
  const clarifications = new Counter({ name: 'dvc_clarifications_total', help: 'Answers that asked the citizen to clarify (outcome code clarification*)', labelNames: ['channel'], registers: [registry] });
  const answerErrors = new Counter({ name: 'dvc_answer_errors_total', help: 'Pipeline failures (the citizen got an error)', labelNames: ['channel'], registers: [registry] });

  // Read from the database at scrape time: the same figures whichever process is scraped.
  const depthStmt = {
    inbox: deps.db.prepare(`SELECT channel, state, COUNT(*) AS n, MIN(received_at) AS oldest FROM channel_inbox WHERE state IN ('received', 'processing') GROUP BY channel, state`),
    outbox: deps.db.prepare(`SELECT channel, state, COUNT(*) AS n, MIN(created_at) AS oldest FROM channel_outbox WHERE state IN ('pending', 'sending') GROUP BY channel, state`),
  };
  const queueDepth = new Gauge({ name: 'dvc_channel_queue_depth', help: 'Channel messages waiting (inbox: to answer; outbox: to deliver)', labelNames: ['queue', 'channel', 'state'], registers: [registry] });
  const queueAge = new Gauge({ name: 'dvc_channel_queue_oldest_age_seconds', help: 'Age of the oldest waiting channel message', labelNames: ['queue', 'channel'], registers: [registry] });
  const channelState = new Gauge({ name: 'dvc_channel_state', help: '1 for the current state of each channel (on, off, not_configured)', labelNames: ['channel', 'state'], registers: [registry] });
  const channelSwitch = new Gauge({ name: 'dvc_channel_switch', help: "1 while an administrator has the channel switched on, 0 while it is off (the fixed channel_off reply)", labelNames: ['channel'], registers: [registry] });
  const channelHealthGauge = new Gauge({
    name: 'dvc_channel_health',
    help: 'Delivery health of each configured channel: 1 for its current state (ok, waiting_authorization, failing), 0 for the others',
    labelNames: ['channel', 'state'],
    registers: [registry],
  });
  const channelHealthSince = new Gauge({ name: 'dvc_channel_health_since_timestamp_seconds', help: 'Since when a channel is waiting for authorisation or failing (Unix time; absent when ok)', labelNames: ['channel'], registers: [registry] });
  const indexInfo = new Gauge({ name: 'dvc_index_info', help: 'The knowledge index being served (value 1)', labelNames: ['version', 'embedder'], registers: [registry] });
  const indexBuild = new Gauge({ name: 'dvc_index_build_seconds', help: 'How long the served knowledge index took to build', registers: [registry] });
  const indexBuiltAt = new Gauge({ name: 'dvc_index_built_timestamp_seconds', help: 'When the served knowledge index was built (Unix time)', registers: [registry] });
  const indexDocs = new Gauge({ name: 'dvc_index_documents', help: 'Documents in the served knowledge index', registers: [registry] });

  const handoffOpen = new Gauge({ name: 'dvc_handoff_open_tickets', help: 'Tickets handed to staff and not yet released or closed, by state (waiting, held); test tickets excluded', labelNames: ['state'], registers: [registry] });
  const handoffLate = new Gauge({ name: 'dvc_handoff_past_target_tickets', help: "Open tickets still without a first staff reply after the province's target", registers: [registry] });
  const handoffMedian = new Gauge({
    name: 'dvc_handoff_first_response_median_seconds',
    help: 'Median time from a ticket opening to the first staff reply, tickets opened in the last 30 days, by channel',
    labelNames: ['channel'],
    registers: [registry],
  });
  const deskStreams = new Gauge({ name: 'dvc_handoff_desk_streams', help: 'Staff desks connected to the live stream of this process', registers: [registry] });
  const citizenWaits = new Gauge({ name: 'dvc_handoff_citizen_waits', help: "Citizens' requests held open in this process waiting for a staff reply (long polling)", registers: [registry] });

  async function refreshGauges(now = Date.now()): Promise<void> {
    if (deps.handoff) {
      const h = deps.handoff();
      handoffOpen.set({ state: 'waiting' }, h.waiting);
      handoffOpen.set({ state: 'held' }, h.held);
      handoffLate.set(h.pastTarget);
      handoffMedian.reset();
      for (const f of h.firstResponse) if (f.medianSeconds !== null) handoffMedian.set({ channel: f.channel }, f.medianSeconds);
    }
    if (deps.deskStreams) deskStreams.set(deps.deskStreams());
    if (deps.citizenWaits) citizenWaits.set(deps.citizenWaits());
    queueDepth.reset();
    queueAge.reset();
    for (const queue of ['inbox', 'outbox'] as const) {
      const oldest = new Map<string, number>();
      for (const r of depthStmt[queue].all() as Array<{ channel: string; state: string; n: number; oldest: number }>) {
        queueDepth.set({ queue, channel: r.channel, state: r.state }, r.n);
        oldest.set(r.channel, Math.min(oldest.get(r.channel) ?? Infinity, r.oldest));
      }
      for (const [channel, t] of oldest) queueAge.set({ queue, channel }, Math.max(0, (now - t) / 1000));
    }
    channelState.reset();
    for (const s of deps.channelStates?.() ?? []) channelState.set({ channel: s.channel, state: s.state }, 1);
    for (const [channel, on] of Object.entries(deps.switches?.() ?? {})) channelSwitch.set({ channel }, on ? 1 : 0);
    channelHealthGauge.reset();
    channelHealthSince.reset();
    for (const h of deps.channelHealth?.() ?? []) {
      // Every state is present (0 or 1), so an alert on `== 1` and a graph of the state both work.
      for (const state of CHANNEL_HEALTH_STATES) channelHealthGauge.set({ channel: h.channel, state }, h.state === state ? 1 : 0);
      if (h.since !== null) channelHealthSince.set({ channel: h.channel }, h.since / 1000);
    }
    indexInfo.reset();
    try {
      const { index, embedder } = deps.indexHolder.get();
      indexInfo.set({ version: index.version, embedder: embedder.id }, 1);
      indexBuild.set(index.manifest.buildMs / 1000);
      const at = Date.parse(index.manifest.builtAt);
      if (Number.isFinite(at)) indexBuiltAt.set(at / 1000);
      indexDocs.set(index.docs.size);
    } catch {
      /* no index loaded yet: /readyz says so; the info gauge stays empty */
    }
  }

  function countAnswer(msg: InboundMessage, answer: Answer): void {
    if (msg.isTest) return;
    const channel = msg.channel;
    answers.inc({ kind: answer.kind, channel, lang: answer.lang });
    if (answer.kind === 'fallback') fallbacks.inc({ channel });
    // The outcome code arrives with the staged pipeline; counted whenever the answer carries one.
    const outcome = (answer as Answer & { outcome?: unknown }).outcome;
    if (typeof outcome === 'string' && /^[a-z0-9_.-]{1,60}$/.test(outcome)) {
      outcomes.inc({ outcome, channel });
      if (outcome.startsWith('clarif')) clarifications.inc({ channel });
    }
  }

  /** The same pipeline, counting every answer it gives (web, API and channels alike). */
  function instrument(pipeline: Pipeline): Pipeline {
    return {
      ...pipeline,
      async handle(msg) {
        try {
          const result = await pipeline.handle(msg);
          countAnswer(msg, result.answer);
          return result;
        } catch (err) {
          if (!msg.isTest) answerErrors.inc({ channel: msg.channel });
          throw err;
        }
      },
    };
  }

  function observeRequest(route: string, method: string, status: number, seconds: number): void {
    requests.inc({ route, method, status: String(status) });
    latency.observe({ route, method }, seconds);
  }

  return { registry, instrument, observeRequest, refreshGauges };
}

export type Metrics = ReturnType<typeof createMetrics>;

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Local means the TCP peer is this machine and no proxy forwarded the request: behind nginx every
 * request comes from loopback, so a forwarded one is treated as remote and needs the token.
 */
function isLocal(req: FastifyRequest): boolean {
  return LOOPBACK.has(req.socket.remoteAddress ?? '') && req.headers['x-forwarded-for'] === undefined && req.headers.forwarded === undefined;
}

function tokenMatches(req: FastifyRequest, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer (.+)$/.exec(header);
  if (!m) return false;
  const a = crypto.createHash('sha256').update(m[1]).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}

/** Request counts and latency for every route; on the root instance (like CORS), so no plugin scope hides a route. */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (req, reply) => {
    if (req.headers['x-test'] === '1') return;
    // The route template (`/staff/api/answers/:id`), never the raw URL with its ids; unknown paths share one label.
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.observeRequest(route, req.method, reply.statusCode, reply.elapsedTime / 1000);
  });
}

/** `GET /metrics` in Prometheus text format, for local addresses or with the bearer token. */
export async function metricsPlugin(app: FastifyInstance, opts: { metrics: Metrics; token: string | null }): Promise<void> {
  const { metrics } = opts;
  app.get('/metrics', { config: { rateLimit: false } }, async (req, reply) => {
    if (!isLocal(req) && !(opts.token && tokenMatches(req, opts.token))) {
      return reply.code(403).send({ error: 'forbidden', message: 'Metrics are served to local addresses or with the METRICS_TOKEN bearer token' });
    }
    await metrics.refreshGauges();
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

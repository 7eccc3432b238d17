import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Assistant } from '../assistant.js';
import { CLOSE_REASONS, DESK_QUEUES, type CloseReason, type DeskEvent, type DeskQueue } from '../domain/handoff.js';
import { HANDOFF_ROLE, HANDOFF_SUPERVISOR_ROLE, roleAtLeast } from '../domain/staff.js';
import { cannedList, cannedText, conversationHistory, gapQuestions, targetOf, withAuthors } from '../handoff/desk.js';
import { TicketError, type Ticket } from '../handoff/tickets.js';
import { createI18n, translator } from '../i18n/i18n.js';
import type { Auth } from './auth.js';
import type { UserStore } from './users.js';

export interface DeskRoutesOptions {
  assistant: Pick<Assistant, 'db' | 'tickets' | 'deskEvents' | 'profiles' | 'indexHolder' | 'now'>;
  auth: Auth;
  users: UserStore;
  /** A stream is ended after this long; the browser reconnects, passing the sign-in check again. */
  streamMaxMs?: number;
  /** A comment line this often keeps proxies from closing a quiet stream (nginx's proxy_read_timeout is 30 s in docs/deploy.md). */
  heartbeatMs?: number;
}

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[1-9]\\d{0,11}$' } } } as const;
const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const;
/** The longest staff reply: a canned answer with room to edit (Zalo and SMS split it as they split answers). */
export const REPLY_MAX_CHARS = 4000;

/**
 * The staff desk's JSON API (`/staff/api/desk/…`): queues, a ticket with its conversation, the
 * actions on it, canned answers and the live stream. Same conventions as the other staff
 * routes: a session, the role (reviewers may answer; taking over needs a supervisor), the CSRF
 * token on every change, JSON schemas. Every action goes through the ticket store, which checks
 * the ticket's state and the actor, and audits.
 */
export async function deskRoutes(app: FastifyInstance, opts: DeskRoutesOptions): Promise<void> {
  const { assistant, auth, users } = opts;
  const { tickets, db, profiles } = assistant;
  const answerer = auth.requireRole(HANDOFF_ROLE);
  const supervisor = auth.requireRole(HANDOFF_SUPERVISOR_ROLE);
  const i18n = createI18n();

  const load = (id: string): Ticket => {
    const t = tickets.get(Number(id));
    if (!t) throw new TicketError('not_found', `No ticket ${id}`);
    return t;
  };
  const holderName = (t: Ticket) => (t.holderId === null ? null : (users.get(t.holderId)?.username ?? null));
  const view = (t: Ticket) => ({ ...t, holder: holderName(t), ...targetOf(t, profiles, assistant.now()) });

  app.get<{ Querystring: { queue: DeskQueue; province?: string } }>(
    '/staff/api/desk/tickets',
    {
      preHandler: answerer,
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['queue'],
          properties: { queue: { type: 'string', enum: [...DESK_QUEUES] }, province: { type: 'string', pattern: '^[a-z][a-z-]{1,39}$' } },
        },
      },
    },
    async (req) => {
      const me = req.staff!.user;
      const now = assistant.now();
      const { queue, province } = req.query;
      return {
        queue,
        now: now.toISOString(),
        counts: tickets.queueCounts(me, province),
        tickets: tickets.list(queue, me, { province }).map((t) => ({ ...t, ...targetOf(t, profiles, now) })),
      };
    },
  );

  app.get<{ Params: { id: string } }>('/staff/api/desk/tickets/:id', { preHandler: answerer, schema: { params: idParams } }, async (req) => {
    const t = load(req.params.id);
    return {
      ticket: view(t),
      messages: withAuthors(db, tickets.messagesOf(t.id)),
      history: conversationHistory(db, t.conversationId, t.code),
    };
  });

  const action = <B>(path: string, body: object, run: (t: Ticket, req: { staff: NonNullable<FastifyRequest['staff']>; body: B }) => Ticket, preHandler = answerer) =>
    app.post<{ Params: { id: string }; Body: B }>(`/staff/api/desk/tickets/:id/${path}`, { preHandler, schema: { params: idParams, body } }, async (req) => {
      const t = load(req.params.id);
      return { ticket: view(run(t, { staff: req.staff!, body: req.body as B })) };
    });

  action('claim', emptyBody, (t, { staff }) => {
    // Claiming never takes a colleague's ticket by surprise: that is the supervisor's take-over.
    if (t.status === 'held' && t.holderId !== staff.user.id) throw new TicketError('ticket_state', `Ticket ${t.code} is held by a colleague`);
    return tickets.claim(staff.user, t.id, assistant.now());
  });
  action(
    'take-over',
    emptyBody,
    (t, { staff }) => {
      if (t.status !== 'held') throw new TicketError('ticket_state', `Ticket ${t.code} is ${t.status}; only a held ticket can be taken over`);
      return tickets.claim(staff.user, t.id, assistant.now());
    },
    supervisor,
  );
  action<{ to: number }>(
    'transfer',
    { type: 'object', additionalProperties: false, required: ['to'], properties: { to: { type: 'integer', minimum: 1 } } },
    (t, { staff, body }) => tickets.transfer(staff.user, t.id, body.to, assistant.now()),
  );
  action('release', emptyBody, (t, { staff }) => tickets.release(staff.user, t.id, assistant.now()));
  action<{ reason: CloseReason }>(
    'close',
    { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', enum: [...CLOSE_REASONS] } } },
    (t, { staff, body }) => tickets.close(staff.user, t.id, body.reason, assistant.now()),
  );

  app.post<{ Params: { id: string }; Body: { text: string } }>(
    '/staff/api/desk/tickets/:id/reply',
    {
      preHandler: answerer,
      schema: {
        params: idParams,
        body: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: REPLY_MAX_CHARS } } },
      },
    },
    async (req, reply) => {
      const t = load(req.params.id);
      const r = tickets.reply(req.staff!.user, t.id, req.body.text, assistant.now());
      // What was stored (and will be sent) is shown back, with what was hidden from it.
      return reply.code(201).send({ ticket: view(r.ticket), message: { ...r.message, by: req.staff!.user.username }, redacted: r.redactedKinds });
    },
  );

  // A staff reply filed as a content gap, for an editor to turn into an article (/staff/gaps).
  app.post<{ Params: { id: string; message: string }; Body: Record<string, never> }>(
    '/staff/api/desk/tickets/:id/messages/:message/gap',
    {
      preHandler: answerer,
      schema: {
        params: { type: 'object', required: ['id', 'message'], properties: { id: { type: 'string', pattern: '^[1-9]\\d{0,11}$' }, message: { type: 'string', pattern: '^[1-9]\\d{0,11}$' } } },
        body: emptyBody,
      },
    },
    async (req, reply) => {
      const t = load(req.params.id);
      const messageId = Number(req.params.message);
      const questions = gapQuestions(conversationHistory(db, t.conversationId, t.code), tickets.messagesOf(t.id), messageId);
      const filed = tickets.fileGap(req.staff!.user, t.id, messageId, questions, assistant.now());
      return reply.code(201).send({ ...filed, questions });
    },
  );

  // Who a ticket can be handed to: enabled accounts that may answer citizens.
  app.get('/staff/api/desk/colleagues', { preHandler: answerer }, async () => ({
    colleagues: users
      .list()
      .filter((u) => !u.disabled && roleAtLeast(u.role, HANDOFF_ROLE))
      .map((u) => ({ id: u.id, username: u.username, role: u.role })),
  }));

  // --- canned answers: articles, with the ticket's province's contacts filled in ---
  app.get<{ Querystring: { q?: string; lang?: string } }>(
    '/staff/api/desk/canned',
    {
      preHandler: answerer,
      schema: { querystring: { type: 'object', additionalProperties: false, properties: { q: { type: 'string', maxLength: 100 }, lang: { type: 'string', pattern: '^[a-z]{2,3}$' } } } },
    },
    async (req) => ({ articles: cannedList(assistant.indexHolder.get().index, req.query.q ?? '', req.query.lang ?? 'vi') }),
  );
  app.get<{ Params: { article: string }; Querystring: { ticket: string } }>(
    '/staff/api/desk/canned/:article',
    {
      preHandler: answerer,
      schema: {
        params: { type: 'object', required: ['article'], properties: { article: { type: 'string', pattern: '^[a-z]+(\\.[a-z0-9-]+)+$', maxLength: 120 } } },
        querystring: { type: 'object', additionalProperties: false, required: ['ticket'], properties: { ticket: { type: 'string', pattern: '^[1-9]\\d{0,11}$' } } },
      },
    },
    async (req, reply) => {
      const t = load(req.query.ticket);
      const profile = profiles.get(t.province);
      const lang = t.lang === 'en' ? 'en' : 'vi';
      const canned = profile ? cannedText(assistant.indexHolder.get().index, req.params.article, lang, profile, translator(i18n, lang, 'reply')) : null;
      return canned ?? reply.code(404).send({ error: 'not_found', message: `No article ${req.params.article}` });
    },
  );

  // --- live updates: Server-Sent Events ---
  const streams = new Set<FastifyReply>();
  const streamMaxMs = opts.streamMaxMs ?? 5 * 60_000;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  app.get('/staff/api/desk/events', { preHandler: answerer, config: { rateLimit: false } }, async (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // nginx must pass events on as they come, not buffer them (deploy/nginx).
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    // The browser waits this long before reconnecting after the stream ends.
    res.write('retry: 3000\n\nevent: ready\ndata: {}\n\n');
    const send = (e: DeskEvent) => void res.write(`event: ticket\ndata: ${JSON.stringify(e)}\n\n`);
    const unsubscribe = assistant.deskEvents.subscribe(send);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
    const end = setTimeout(() => res.end(), streamMaxMs);
    heartbeat.unref();
    end.unref();
    streams.add(reply);
    res.on('close', () => {
      unsubscribe();
      clearInterval(heartbeat);
      clearTimeout(end);
      streams.delete(reply);
    });
  });
  // Open streams would keep the server from closing.
  app.addHook('preClose', async () => {
    for (const s of streams) s.raw.end();
  });
}

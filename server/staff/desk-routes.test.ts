/**
 * The staff desk's JSON API over real HTTP (fastify on loopback, a SQLite file, the real ticket
 * store): sign-in, role and CSRF checks on every route, the queues with the province's target,
 * a ticket with its conversation, every action and its failure paths, canned answers, the live
 * stream, and the double tap (two requests of one conversation at once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { enableHandoff } from '../test-support/handoff-profile.js';
import { createUserStore } from './users.js';
import { staffHttp, type StaffClient } from '../test-support/staff-client.js';

const vn = (s: string) => new Date(`${s}+07:00`);
let clock = vn('2026-12-02T09:00:00'); // a Wednesday morning, in office hours
let t: TempAssistant;
let app: FastifyInstance;
let base: string;

type Client = StaffClient;
const { login, call } = staffHttp(() => base);

type Reply = Record<string, any>;
/** A citizen's web conversation, keeping its id and token as the widget does. */
function citizen(province = 'kon-tum') {
  let id: string | undefined;
  let token: string | undefined;
  const ask = async (message: string): Promise<Reply> => {
    const res = await fetch(`${base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message, province, channel: 'web', ...(id ? { conversationId: id, conversationToken: token } : {}) }),
    });
    const body = (await res.json()) as Reply;
    if (res.status !== 200) return { status: res.status, ...body };
    if (body.conversationToken) {
      id = body.conversationId;
      token = body.conversationToken;
    }
    return body;
  };
  return Object.assign(ask, { session: () => ({ id: id!, token: token! }) });
}
const ticketIdOf = (code: string) => (t.assistant.db.prepare('SELECT id FROM tickets WHERE code = ?').get(code) as { id: number }).id;
const auditOf = (action: string) => t.assistant.db.prepare('SELECT username, target, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as Array<{ username: string | null; target: string; details: string }>;

let editor: Client;
let reviewer: Client;
let reviewer2: Client;
let disabledId: number;

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '10000' }, { now: () => clock });
  enableHandoff(t.assistant, 'kon-tum');
  const users = createUserStore(t.assistant.db);
  await users.create('editor1', 'editor password 1', 'editor');
  await users.create('reviewer1', 'reviewer password 1', 'reviewer');
  await users.create('reviewer2', 'reviewer password 2', 'reviewer');
  disabledId = (await users.create('former', 'former password 1', 'reviewer')).id;
  await users.update(disabledId, { disabled: true });
  app = await buildApp({ assistant: t.assistant, retentionIntervalMs: 0 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  [editor, reviewer, reviewer2] = await Promise.all([
    login('editor1', 'editor password 1'),
    login('reviewer1', 'reviewer password 1'),
    login('reviewer2', 'reviewer password 2'),
  ]);
});
afterAll(async () => {
  await app?.close();
  t?.cleanup();
});

/** A fresh waiting ticket: a citizen asks a question, then for a person. */
async function openTicket(question = 'Đăng ký khai sinh cho con trên mạng') {
  const ask = citizen();
  await ask(question);
  const r = await ask('Gặp cán bộ');
  expect(r.handoff?.ticket).toMatch(/^HT-/);
  return { ask, code: r.handoff.ticket as string, id: ticketIdOf(r.handoff.ticket), conversationId: r.conversationId as string };
}

describe('who may use the desk', () => {
  it('every route refuses a caller without a session (401), and every change one without the CSRF token or with a wrong one (403)', async () => {
    const { id } = await openTicket();
    const reads = ['/staff/api/desk/tickets?queue=waiting', `/staff/api/desk/tickets/${id}`, '/staff/api/desk/colleagues', '/staff/api/desk/canned', `/staff/api/desk/canned/meta.contacts?ticket=${id}`, '/staff/api/desk/events'];
    for (const path of reads) {
      const r = await call(null, 'GET', path);
      expect(r.status, path).toBe(401);
      expect(r.json.error).toBe('unauthenticated');
    }
    const changes: Array<[string, unknown]> = [
      ['claim', {}],
      ['take-over', {}],
      ['reply', { text: 'Chào bạn' }],
      ['transfer', { to: reviewer2.id }],
      ['release', {}],
      ['close', { reason: 'resolved' }],
    ];
    for (const [action, body] of changes) {
      const path = `/staff/api/desk/tickets/${id}/${action}`;
      expect((await call(null, 'POST', path, body)).status, path).toBe(401);
      for (const csrf of [null, 'not-the-token']) {
        const r = await call(editor, 'POST', path, body, { csrf });
        expect(r.status, `${path} csrf=${csrf}`).toBe(403);
        expect(r.json.error).toBe('csrf');
      }
    }
    // Nothing changed.
    expect(t.assistant.tickets.get(id)).toMatchObject({ status: 'waiting', holderId: null });
    expect(t.assistant.db.prepare('SELECT COUNT(*) AS n FROM ticket_messages WHERE ticket_id = ? AND author = ?').get(id, 'staff')).toEqual({ n: 0 });
  });

  it('taking over needs a supervisor (editor): a reviewer gets 403; a disabled account cannot sign in to act at all', async () => {
    const { id } = await openTicket();
    expect((await call(reviewer2, 'POST', `/staff/api/desk/tickets/${id}/claim`, {})).status).toBe(200);
    const r = await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/take-over`, {});
    expect(r.status).toBe(403);
    expect(r.json.error).toBe('forbidden');
    // A reviewer may not claim a colleague's ticket either (409: it is held, not free).
    const claim = await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/claim`, {});
    expect(claim.status).toBe(409);
    expect(claim.json.message).toMatch(/held by a colleague/);
    // Nor reply, release or close it.
    expect((await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/reply`, { text: 'Chào bạn' })).status).toBe(403);
    expect((await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/release`, {})).status).toBe(403);
    expect((await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/close`, { reason: 'resolved' })).status).toBe(403);
    const taken = await call(editor, 'POST', `/staff/api/desk/tickets/${id}/take-over`, {});
    expect(taken.status).toBe(200);
    expect(taken.json.ticket).toMatchObject({ status: 'held', holder: 'editor1', holderId: editor.id });
    expect(auditOf('ticket.take_over').at(-1)).toMatchObject({ username: 'editor1' });
    const login = await fetch(`${base}/staff/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'former', password: 'former password 1' }) });
    expect(login.status).toBe(401);
  });

  it('a reviewer closing a waiting ticket without claiming it is refused (403); an editor may', async () => {
    const { id } = await openTicket();
    expect((await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/close`, { reason: 'duplicate' })).status).toBe(403);
    const r = await call(editor, 'POST', `/staff/api/desk/tickets/${id}/close`, { reason: 'duplicate' });
    expect(r.status).toBe(200);
    expect(r.json.ticket).toMatchObject({ status: 'closed', closeReason: 'duplicate' });
  });
});

describe('bad ids and bodies are 4xx with a clear error', () => {
  it.each([
    ['a queue that does not exist', 'GET', '/staff/api/desk/tickets?queue=everything', undefined, 400],
    ['no queue', 'GET', '/staff/api/desk/tickets', undefined, 400],
    ['a ticket id that is not a number', 'GET', '/staff/api/desk/tickets/HT-ABCDE', undefined, 400],
    ['an unknown ticket', 'GET', '/staff/api/desk/tickets/987654', undefined, 404],
    ['claiming an unknown ticket', 'POST', '/staff/api/desk/tickets/987654/claim', {}, 404],
    ['an empty reply', 'POST', '/staff/api/desk/tickets/1/reply', { text: '' }, 400],
    ['a reply too long', 'POST', '/staff/api/desk/tickets/1/reply', { text: 'a'.repeat(4001) }, 400],
    ['a reply with another field', 'POST', '/staff/api/desk/tickets/1/reply', { text: 'x', urgent: true }, 400],
    ['an unknown close reason', 'POST', '/staff/api/desk/tickets/1/close', { reason: 'bored' }, 400],
    ['a transfer to a name instead of an id', 'POST', '/staff/api/desk/tickets/1/transfer', { to: 'reviewer2' }, 400],
    ['an article id of the wrong shape', 'GET', '/staff/api/desk/canned/..%2Fetc?ticket=1', undefined, 400],
    ['a canned answer without its ticket', 'GET', '/staff/api/desk/canned/meta.contacts', undefined, 400],
  ])('%s', async (_what, method, path, body, status) => {
    const r = await call(editor, method, path, body);
    expect(r.status).toBe(status);
    expect(typeof r.json.error).toBe('string');
    expect(typeof r.json.message).toBe('string');
  });
});

describe('queues, a ticket and its actions', () => {
  it('lists the waiting queue with the province target and flags a ticket past it', async () => {
    clock = vn('2026-12-03T09:00:00');
    const { id, code } = await openTicket();
    let r = await call(reviewer, 'GET', '/staff/api/desk/tickets?queue=waiting&province=kon-tum');
    expect(r.status).toBe(200);
    const item = r.json.tickets.find((x: { id: number }) => x.id === id);
    expect(item).toMatchObject({ code, status: 'waiting', province: 'kon-tum', channel: 'web', targetMinutes: 30, pastTarget: false, holder: null, preview: 'Gặp cán bộ' });
    expect(r.json.counts.waiting).toBe(r.json.tickets.length);
    clock = vn('2026-12-03T09:31:00');
    r = await call(reviewer, 'GET', '/staff/api/desk/tickets?queue=waiting');
    expect(r.json.tickets.find((x: { id: number }) => x.id === id).pastTarget).toBe(true);
    // Another province's filter leaves it out.
    r = await call(reviewer, 'GET', '/staff/api/desk/tickets?queue=waiting&province=ha-noi');
    expect(r.json.tickets.find((x: { id: number }) => x.id === id)).toBeUndefined();
    // A first reply ends "past target".
    await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/claim`, {});
    await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/reply`, { text: 'Chào bạn, tôi xem ngay.' });
    r = await call(reviewer, 'GET', '/staff/api/desk/tickets?queue=mine');
    expect(r.json.tickets.find((x: { id: number }) => x.id === id)).toMatchObject({ pastTarget: false, firstResponseAt: clock.toISOString() });
    clock = vn('2026-12-02T09:00:00');
  });

  it('shows a ticket with the conversation as the citizen saw it: the assistant answer with its sources, then the ticket messages', async () => {
    const { id, code } = await openTicket('Đăng ký khai sinh cho con trên mạng');
    const r = await call(reviewer, 'GET', `/staff/api/desk/tickets/${id}`);
    expect(r.status).toBe(200);
    expect(r.json.ticket).toMatchObject({ id, code, status: 'waiting', targetMinutes: 30 });
    const [first, opening] = r.json.history;
    expect(first.question).toBe('Đăng ký khai sinh cho con trên mạng');
    expect(first.reply.length).toBeGreaterThan(20);
    expect(first.citations.length).toBeGreaterThan(0);
    expect(first.citations[0]).toMatchObject({ id: expect.any(String), title: expect.any(String) });
    expect(opening.question).toBe('Gặp cán bộ');
    expect(opening.reply).toContain(code);
    expect(r.json.messages.map((m: { author: string; text: string }) => `${m.author}: ${m.text}`)).toEqual(['citizen: Gặp cán bộ']);
  });

  it('claim, reply (redacted before it is stored, delivered to the widget), transfer, release: each audited; the queues follow', async () => {
    const { id, code, ask } = await openTicket();
    expect((await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/claim`, {})).json.ticket).toMatchObject({ status: 'held', holder: 'reviewer1' });
    const mine = await call(reviewer, 'GET', '/staff/api/desk/tickets?queue=mine');
    expect(mine.json.tickets.map((x: { code: string }) => x.code)).toContain(code);
    const colleagues = await call(reviewer2, 'GET', '/staff/api/desk/tickets?queue=answered');
    expect(colleagues.json.tickets.map((x: { code: string }) => x.code)).toContain(code);

    const reply = await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/reply`, { text: 'Chào bạn, hãy gọi lại cho tôi theo số 0912345678.' });
    expect(reply.status).toBe(201);
    expect(reply.json.message.text).not.toContain('0912345678');
    expect(reply.json.redacted.length).toBeGreaterThan(0);
    const stored = t.assistant.db.prepare("SELECT text_redacted FROM ticket_messages WHERE ticket_id = ? AND author = 'staff'").get(id) as { text_redacted: string };
    expect(stored.text_redacted).toBe(reply.json.message.text);
    const audit = auditOf('ticket.reply').at(-1)!;
    expect(audit).toMatchObject({ username: 'reviewer1', target: code });
    expect(audit.details).not.toContain('Chào bạn');
    // The citizen's widget fetches it.
    const s = ask.session();
    const fetched = (await (await fetch(`${base}/api/conversations/${s.id}/messages`, { headers: { 'x-conversation-token': s.token } })).json()) as { messages: Array<{ author: string; text: string }>; status: string };
    expect(fetched.messages.at(-1)).toMatchObject({ author: 'staff', text: reply.json.message.text });
    // While held the assistant is silent.
    expect((await ask('Tôi cần bản sao giấy khai sinh')).text).toBe('');

    // Transfer: to a disabled colleague or an unknown id is refused; to a colleague who may answer, accepted.
    for (const to of [disabledId, 987654]) {
      const bad = await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/transfer`, { to });
      expect(bad.status).toBe(400);
      expect(bad.json.message).toMatch(/may not answer|does not exist/);
    }
    const moved = await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/transfer`, { to: reviewer2.id });
    expect(moved.json.ticket).toMatchObject({ status: 'held', holder: 'reviewer2' });
    expect(auditOf('ticket.transfer').at(-1)).toMatchObject({ username: 'reviewer1', target: code });
    // The former holder may no longer reply.
    expect((await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/reply`, { text: 'Còn tôi' })).status).toBe(403);
    const released = await call(reviewer2, 'POST', `/staff/api/desk/tickets/${id}/release`, {});
    expect(released.json.ticket.status).toBe('released');
    expect(auditOf('ticket.release').at(-1)).toMatchObject({ username: 'reviewer2', target: code });
    // The assistant answers again.
    const back = await ask('Đăng ký khai sinh cần giấy tờ gì?');
    expect(back.notices.join(' ')).toContain('Cán bộ đã kết thúc hỗ trợ');
    expect(back.kind).toBe('answer');
    expect((await call(reviewer, 'GET', '/staff/api/desk/tickets?queue=answered')).json.tickets.map((x: { code: string }) => x.code)).toContain(code);
  });

  it('acting on a closed ticket is a 409', async () => {
    const { id, code } = await openTicket();
    await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/claim`, {});
    const closed = await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/close`, { reason: 'resolved' });
    expect(closed.json.ticket).toMatchObject({ status: 'closed', closeReason: 'resolved' });
    expect(auditOf('ticket.close').at(-1)).toMatchObject({ username: 'reviewer1', target: code });
    expect((await call(reviewer, 'GET', '/staff/api/desk/tickets?queue=closed')).json.tickets.map((x: { code: string }) => x.code)).toContain(code);
    for (const [action, body, who] of [
      ['claim', {}, reviewer],
      ['take-over', {}, editor],
      ['reply', { text: 'Chào bạn' }, reviewer],
      ['transfer', { to: reviewer2.id }, reviewer],
      ['release', {}, reviewer],
      ['close', { reason: 'resolved' }, editor],
    ] as const) {
      const r = await call(who, 'POST', `/staff/api/desk/tickets/${id}/${action}`, body);
      expect(r.status, action).toBe(409);
      expect(r.json.error).toBe('ticket_state');
    }
  });
});

describe('a staff answer filed as a content gap', () => {
  it('files the reply with the citizen questions (not the request for a person) once; the gap and its brief show it to editors', async () => {
    const { id, code, ask } = await openTicket('Tôi muốn xin giấy phép nuôi ong mật ở huyện');
    await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/claim`, {});
    await ask('Cần nộp ở đâu ạ?');
    const sent = await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/reply`, { text: 'Chào bạn, việc nuôi ong không cần giấy phép; bạn báo với UBND xã. Gọi tôi ở 0912345678.' });
    const mid = sent.json.message.id as number;
    const path = `/staff/api/desk/tickets/${id}/messages/${mid}/gap`;
    expect((await call(null, 'POST', path, {})).status).toBe(401);
    expect((await call(reviewer, 'POST', path, {}, { csrf: null })).status).toBe(403);
    const filed = await call(reviewer, 'POST', path, {});
    expect(filed.status).toBe(201);
    expect(filed.json.questions).toEqual(['Tôi muốn xin giấy phép nuôi ong mật ở huyện', 'Cần nộp ở đâu ạ?']);
    expect(auditOf('ticket.gap').at(-1)).toMatchObject({ username: 'reviewer1', target: code });
    // Once per reply; a citizen message or another ticket's reply is not a staff reply of this ticket.
    expect((await call(reviewer, 'POST', path, {})).status).toBe(409);
    const citizenMessage = t.assistant.tickets.messagesOf(id).find((m) => m.author === 'citizen')!;
    expect((await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/messages/${citizenMessage.id}/gap`, {})).status).toBe(404);
    expect((await call(reviewer, 'POST', `/staff/api/desk/tickets/${id}/messages/abc/gap`, {})).status).toBe(400);

    // Editors see it among the content gaps, with the officer's reply (redacted) in the brief.
    expect((await call(reviewer, 'GET', '/staff/api/gaps')).status).toBe(403);
    const gaps = await call(editor, 'GET', '/staff/api/gaps');
    const cluster = gaps.json.clusters.find((c: { questions: string[] }) => c.questions.includes('Tôi muốn xin giấy phép nuôi ong mật ở huyện'));
    expect(cluster.staffAnswers).toEqual([sent.json.message.text]);
    const brief = await fetch(`${base}/staff/api/gaps/${cluster.id}/brief`, { headers: { cookie: editor.cookie } });
    const text = await brief.text();
    expect(text).toContain('## Cán bộ đã trả lời');
    expect(text).toContain('> Chào bạn, việc nuôi ong không cần giấy phép');
    expect(text).not.toContain('0912345678');
  });
});

describe('canned answers', () => {
  it('lists articles and gives one as plain text with the province contacts filled in', async () => {
    const { id } = await openTicket();
    const list = await call(reviewer, 'GET', '/staff/api/desk/canned');
    expect(list.status).toBe(200);
    expect(list.json.articles.length).toBeGreaterThan(3);
    const first = list.json.articles[0] as { id: string; title: string };
    const word = first.title.split(/\s+/)[0];
    const filtered = await call(reviewer, 'GET', `/staff/api/desk/canned?q=${encodeURIComponent(word)}`);
    expect(filtered.json.articles.map((a: { id: string }) => a.id)).toContain(first.id);
    for (const a of list.json.articles as Array<{ id: string }>) {
      const r = await call(reviewer, 'GET', `/staff/api/desk/canned/${a.id}?ticket=${id}`);
      expect(r.status, a.id).toBe(200);
      expect(r.json.text.length, a.id).toBeGreaterThan(10);
      // Rendered from the profile: no placeholder and no Markdown left.
      expect(r.json.text, a.id).not.toMatch(/\{\{|\*\*/);
    }
    const missing = await call(reviewer, 'GET', `/staff/api/desk/canned/topic.nothing-here?ticket=${id}`);
    expect(missing.status).toBe(404);
  });
});

/** Reads Server-Sent Events from the desk stream until `until` is satisfied. */
async function readEvents(c: Client, until: (events: Array<{ event: string; data: any }>) => boolean, during: () => Promise<void>) {
  const controller = new AbortController();
  const res = await fetch(`${base}/staff/api/desk/events`, { headers: { cookie: c.cookie, accept: 'text/event-stream' }, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; data: any }> = [];
  let buffer = '';
  let started = false;
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let i;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event) events.push({ event, data: data ? JSON.parse(data) : null });
      }
      if (!started && events.some((e) => e.event === 'ready')) {
        started = true;
        await during();
      }
    }
  } finally {
    controller.abort();
  }
  return events;
}

describe('live updates', () => {
  it('streams a new ticket, a citizen message and a state change, with no citizen text in the stream', async () => {
    let opened: Awaited<ReturnType<typeof openTicket>> | undefined;
    const events = await readEvents(
      reviewer,
      (es) => es.some((e) => e.data?.type === 'ticket.state'),
      async () => {
        opened = await openTicket();
        await opened.ask('Con tôi sinh ngày 01/11');
        await call(reviewer, 'POST', `/staff/api/desk/tickets/${opened.id}/claim`, {});
      },
    );
    const mine = events.filter((e) => e.event === 'ticket' && e.data.code === opened!.code).map((e) => `${e.data.type}:${e.data.status}`);
    expect(mine).toEqual(['ticket.new:waiting', 'ticket.message:waiting', 'ticket.state:held']);
    expect(JSON.stringify(events)).not.toContain('Con tôi');
    // The stream ended, its listener went with it.
    await new Promise((r) => setTimeout(r, 50));
    expect(t.assistant.deskEvents.size).toBe(0);
  });
});

describe('the double tap', () => {
  it('two "gặp cán bộ" of one conversation at the same instant: both answered, one ticket, the second message added to it', async () => {
    for (let round = 0; round < 4; round++) {
      const ask = citizen();
      await ask('Đăng ký khai sinh cho con trên mạng');
      const [a, b] = await Promise.all([ask('Gặp cán bộ'), ask('Gặp cán bộ')]);
      expect(a.status, JSON.stringify(a)).toBeUndefined();
      expect(b.status, JSON.stringify(b)).toBeUndefined();
      expect(a.handoff.ticket).toBe(b.handoff.ticket);
      const tickets = t.assistant.db.prepare('SELECT code FROM tickets WHERE conversation_id = ?').all(a.conversationId) as Array<{ code: string }>;
      expect(tickets).toEqual([{ code: a.handoff.ticket }]);
      const messages = t.assistant.db.prepare('SELECT text_redacted FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.conversation_id = ?').all(a.conversationId);
      expect(messages).toEqual([{ text_redacted: 'Gặp cán bộ' }, { text_redacted: 'Gặp cán bộ' }]);
    }
  });
});

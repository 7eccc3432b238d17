import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { enableHandoff } from '../test-support/handoff-profile.js';
import type { StaffUser } from '../domain/staff.js';

/** Vietnam local time as a UTC instant. */
const vn = (s: string) => new Date(`${s}+07:00`);
let clock = vn('2026-12-02T09:00:00'); // a Wednesday morning
let t: TempAssistant;
let app: FastifyInstance;
let base: string;
let staff: StaffUser;

beforeAll(async () => {
  // A wider band of asking back than the default (0.4–0.5), so the clarification tests below do
  // not depend on where one fitted confidence model puts their question (decision 0022).
  t = await createTempAssistant({ RATE_LIMIT_MAX: '1000', ANSWER_THRESHOLD: '0.65', CLARIFY_THRESHOLD: '0.3' }, { now: () => clock });
  enableHandoff(t.assistant, 'kon-tum');
  app = await buildApp({ assistant: t.assistant, retentionIntervalMs: 0 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  const id = Number(t.assistant.db.prepare("INSERT INTO users (username, password_hash, role, created_at, updated_at) VALUES ('can-bo', 'scrypt$x', 'reviewer', 'x', 'x')").run().lastInsertRowid);
  staff = { id, username: 'can-bo', role: 'reviewer', disabled: false };
});
afterAll(async () => {
  await app.close();
  t.cleanup();
});

type Reply = Record<string, any>;
/** One citizen's web conversation: remembers the id and token as the widget does. */
function citizen(province = 'kon-tum', lang?: string) {
  let id: string | undefined;
  let token: string | undefined;
  const ask = async (message: string): Promise<Reply> => {
    const res = await fetch(`${base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test': '1' },
      body: JSON.stringify({ message, province, channel: 'web', ...(lang ? { lang } : {}), ...(id ? { conversationId: id, conversationToken: token } : {}) }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Reply;
    if (body.conversationToken) {
      id = body.conversationId;
      token = body.conversationToken;
    }
    return body;
  };
  return Object.assign(ask, { session: () => ({ id: id!, token: token! }) });
}
const messages = (id: string, token: string | undefined, after?: number | string) =>
  fetch(`${base}/api/conversations/${id}/messages${after === undefined ? '' : `?after=${after}`}`, { headers: token === undefined ? {} : { 'x-conversation-token': token } });
const ticketOf = (code: string) => t.assistant.db.prepare('SELECT * FROM tickets WHERE code = ?').get(code) as Record<string, any>;
const messagesOf = (code: string) => (t.assistant.db.prepare('SELECT m.author, m.text_redacted FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.code = ? ORDER BY m.id').all(code) as Array<{ author: string; text_redacted: string }>).map((m) => `${m.author}: ${m.text_redacted}`);

describe('handing a web conversation to staff', () => {
  it('in office hours: "gặp cán bộ" opens a ticket, answers with its code and the place in the queue', async () => {
    clock = vn('2026-12-02T09:00:00');
    const ask = citizen();
    await ask('Đăng ký khai sinh cho con trên mạng');
    const r = await ask('Gặp cán bộ');
    expect(r.kind).toBe('handoff');
    expect(r.outcome).toBe('handoff');
    expect(r.handoff).toMatchObject({ status: 'queued', position: expect.any(Number) });
    expect(r.handoff.ticket).toMatch(/^HT-[A-Z0-9]{5}$/);
    expect(r.handoff.expectedBy).toBeUndefined();
    expect(r.text).toContain(r.handoff.ticket);
    expect(r.text).toContain(`vị trí số ${r.handoff.position}`);
    expect(r.quickReplies.map((q: { payload: string }) => q.payload)).toEqual(['Hủy yêu cầu']);
    const row = ticketOf(r.handoff.ticket);
    expect(row).toMatchObject({ status: 'waiting', channel: 'web', province: 'kon-tum', conversation_id: r.conversationId, opened_at: clock.toISOString(), due_at: vn('2026-12-02T09:30:00').toISOString() });
    // A second citizen queues behind.
    const other = await citizen()('gap can bo');
    expect(other.handoff.position).toBe(r.handoff.position + 1);
  });

  it('out of hours: a Friday-evening request shows the Monday-morning expectation', async () => {
    clock = vn('2026-12-04T19:30:00'); // Friday
    const r = await citizen()('GẶP CÁN BỘ');
    expect(r.handoff).toEqual({ ticket: expect.any(String), status: 'queued', expectedBy: vn('2026-12-07T08:00:00').toISOString() });
    expect(r.text).toContain('ngoài giờ làm việc');
    expect(r.text).toContain('08:00 thứ Hai, ngày 07/12/2026');
    // In English too.
    const en = await citizen('kon-tum', 'en')('HUMAN');
    expect(en.lang).toBe('en');
    expect(en.text).toContain('08:00 on Monday 07/12/2026');
  });

  it('while waiting, messages go to the ticket with a short acknowledgement; while held the assistant is silent; after release it answers again and says so', async () => {
    clock = vn('2026-12-02T10:00:00');
    const ask = citizen();
    const opened = await ask('gặp cán bộ');
    const code = opened.handoff.ticket;
    const waiting = await ask('Đăng ký thường trú cần giấy tờ gì? mã OTP của tôi là 551207');
    // The OTP gets the warning even now; the ticket gets the message with the OTP hidden.
    expect(waiting.kind).toBe('safety');
    expect(waiting.outcome).toBe('safety_secret');
    expect(waiting.handoff).toEqual({ ticket: code, status: 'queued' });
    const added = await ask('Đăng ký thường trú cần giấy tờ gì?');
    expect(added.kind).toBe('handoff');
    expect(added.citations).toEqual([]);
    expect(added.text).toContain(code);
    expect(added.handoff).toMatchObject({ ticket: code, status: 'queued' });

    const ticket = t.assistant.tickets.openFor(opened.conversationId)!;
    t.assistant.tickets.claim(staff, ticket.id, clock);
    const held = await ask('cảm ơn, tôi chờ');
    expect(held.text).toBe('');
    expect(held.handoff).toEqual({ ticket: code, status: 'live' });
    expect(messagesOf(code)).toEqual(['citizen: gặp cán bộ', 'citizen: Đăng ký thường trú cần giấy tờ gì? mã OTP của tôi là [OTP]', 'citizen: Đăng ký thường trú cần giấy tờ gì?', 'citizen: cảm ơn, tôi chờ']);
    expect(JSON.stringify(t.assistant.db.prepare('SELECT * FROM ticket_messages').all())).not.toContain('551207');

    t.assistant.tickets.release(staff, ticket.id, clock);
    const back = await ask('Đăng ký thường trú cần giấy tờ gì?');
    expect(back.kind).toBe('answer');
    expect(back.handoff).toBeUndefined();
    expect(back.notices).toContain('Cán bộ đã kết thúc hỗ trợ; từ đây trợ lý tự động trả lời bạn.');
    const again = await ask('Lệ phí bao nhiêu?');
    expect(again.notices).not.toContain('Cán bộ đã kết thúc hỗ trợ; từ đây trợ lý tự động trả lời bạn.');
  });

  it('the citizen can cancel; the assistant answers again without a release notice', async () => {
    clock = vn('2026-12-02T10:00:00');
    const ask = citizen();
    const opened = await ask('gặp cán bộ');
    const cancelled = await ask('Hủy yêu cầu');
    expect(cancelled.handoff).toEqual({ ticket: opened.handoff.ticket, status: 'closed' });
    expect(cancelled.text).toContain('Đã hủy');
    expect(ticketOf(opened.handoff.ticket).status).toBe('cancelled');
    const next = await ask('Đăng ký thường trú cần giấy tờ gì?');
    expect(next.kind).toBe('answer');
    expect(next.notices.join(' ')).not.toContain('Cán bộ');
  });

  it("the assistant's decline offers a person, and tapping the offer opens a ticket", async () => {
    clock = vn('2026-12-02T10:00:00');
    const ask = citizen();
    const declined = await ask('giá vàng hôm nay bao nhiêu một chỉ');
    expect(declined.kind).toBe('fallback');
    const offer = declined.quickReplies.find((q: { label: string }) => /cán bộ/.test(q.label));
    expect(offer).toBeDefined();
    const r = await ask(offer.payload);
    expect(r.handoff.status).toBe('queued');
    expect(messagesOf(r.handoff.ticket)).toEqual([`citizen: ${offer.payload}`]);
  });

  it('a question that merely mentions a person is not a request: answered from the contacts article', async () => {
    const r = await citizen()('số điện thoại của cán bộ một cửa là gì');
    expect(r.handoff).toBeUndefined();
  });

  it('a province without handoff answers "gặp cán bộ" with its contacts, as before, and opens nothing', async () => {
    const before = (t.assistant.db.prepare('SELECT COUNT(*) n FROM tickets').get() as { n: number }).n;
    const r = await citizen('son-la')('gặp cán bộ');
    expect(r.kind).toBe('handoff');
    expect(r.handoff).toBeUndefined();
    expect((t.assistant.db.prepare('SELECT COUNT(*) n FROM tickets').get() as { n: number }).n).toBe(before);
  });

  it('every turn of a handed-over conversation is recorded with the handoff stage', async () => {
    clock = vn('2026-12-02T10:00:00');
    const r = await citizen()('gặp cán bộ');
    const row = t.assistant.db.prepare('SELECT stages, outcome FROM answers WHERE id = ?').get(r.answerId) as { stages: string; outcome: string };
    expect(row.outcome).toBe('handoff');
    const stages = JSON.parse(row.stages) as Array<{ stage: string; status: string; details: Record<string, unknown> }>;
    expect(stages.map((s) => `${s.stage}:${s.status}`)).toEqual(['normalise:ok', 'safety:ok', 'handoff:stopped', 'understand:skipped', 'retrieve:skipped', 'compose:skipped']);
    expect(stages[2].details).toMatchObject({ action: 'open', ticket: r.handoff.ticket, inHours: true });
  });

  it('GET /api/conversations/:id/messages gives the staff replies since a point, with the token only', async () => {
    clock = vn('2026-12-02T10:00:00');
    const ask = citizen();
    const opened = await ask('gặp cán bộ');
    const { id, token } = ask.session();
    const ticket = t.assistant.tickets.openFor(id)!;
    t.assistant.tickets.claim(staff, ticket.id, clock);
    t.assistant.tickets.reply(staff, ticket.id, 'Chào bạn, gọi tôi ở số 0912345678 nhé', clock);
    const res = await messages(id, token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { messages: Array<{ id: number; author: string; text: string; at: string }>; handoff: unknown };
    expect(body.handoff).toEqual({ ticket: opened.handoff.ticket, status: 'live' });
    expect(body.messages.map((m) => m.author)).toEqual(['citizen', 'staff']);
    expect(body.messages[1].text).toContain('Chào bạn');
    // Staff text is stored and served redacted.
    expect(body.messages[1].text).not.toContain('0912345678');
    const last = body.messages[1].id;
    expect(((await (await messages(id, token, last)).json()) as { messages: unknown[] }).messages).toEqual([]);
    t.assistant.tickets.reply(staff, ticket.id, 'Bạn còn cần gì nữa không?', clock);
    const newer = (await (await messages(id, token, last)).json()) as { messages: Array<{ text: string }> };
    expect(newer.messages.map((m) => m.text)).toEqual(['Bạn còn cần gì nữa không?']);
    // Web replies are fetched by the client, not put in a channel outbox.
    expect(t.assistant.db.prepare("SELECT DISTINCT delivery FROM ticket_messages WHERE ticket_id = ?").all(ticket.id)).toEqual([{ delivery: null }]);
  });

  it.each([
    ['a wrong token', 'x'.repeat(43), 404, 'not_found'],
    ['no token', undefined, 400, 'invalid_request'],
  ])('the messages route answers %s with a clear %i', async (_name, token, status, error) => {
    const ask = citizen();
    await ask('gặp cán bộ');
    const res = await messages(ask.session().id, token);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toBe(error);
  });

  it('the messages route: an unknown conversation is the same 404, a bad "after" a 400', async () => {
    const ask = citizen();
    await ask('gặp cán bộ');
    const { token } = ask.session();
    expect((await messages('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', token)).status).toBe(404);
    expect((await messages(ask.session().id, token, 'abc')).status).toBe(400);
    expect((await messages(ask.session().id, token, -1)).status).toBe(400);
  });

  it('the messages route is limited per conversation like chat, with Retry-After, on its own counter', async () => {
    const small = await buildApp({ assistant: { ...t.assistant, config: { ...t.assistant.config, rateLimit: { ...t.assistant.config.rateLimit, max: 3 } } }, retentionIntervalMs: 0 });
    const url = await small.listen({ host: '127.0.0.1', port: 0 });
    try {
      const first = (await (await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'gặp cán bộ' }) })).json()) as Reply;
      const poll = () => fetch(`${url}/api/conversations/${first.conversationId}/messages`, { headers: { 'x-conversation-token': first.conversationToken } });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const r = await poll();
        statuses.push(r.status);
        if (r.status === 429) retryAfter = r.headers.get('retry-after');
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      // Chat in the same conversation still has its own allowance.
      const chat = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'còn đó không', conversationId: first.conversationId, conversationToken: first.conversationToken }) });
      expect(chat.status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe('after two failed clarifications', () => {
  // Two contact articles could answer it (the national line, VNeID support).
  const CLARIFIES = 'Tổng đài hỗ trợ VNeID gọi có mất phí không, số là bao nhiêu?';
  const outcomes = (rs: Reply[]) => rs.map((r) => r.outcome);

  it('the reply to a clarification unclear a second time offers a person; tapping the offer opens a ticket', async () => {
    clock = vn('2026-12-02T09:00:00');
    const ask = citizen('kon-tum', 'en');
    const first = await ask(CLARIFIES);
    expect(first.outcome).toBe('clarification');
    expect(first.text).not.toContain('I still have not understood');
    // Unclear once: asked again (or not understood), no offer yet.
    const once = await ask('xyzzy plugh');
    expect(['clarification', 'fallback_no_content', 'fallback_low_confidence']).toContain(once.outcome);
    expect(once.text).not.toContain('I still have not understood');
    // Unclear a second time: the offer comes first, with the quick reply first.
    const twice = await ask('qwerty zork');
    expect(outcomes([first, once, twice]).every((o) => ['clarification', 'fallback_no_content', 'fallback_low_confidence'].includes(o))).toBe(true);
    expect(twice.text).toMatch(/^I still have not understood your question\. You can pass it to an officer/);
    expect(twice.quickReplies[0]).toEqual({ label: 'Talk to a person', payload: 'Talk to a person' });
    expect(twice.quickReplies.filter((q: { payload: string }) => q.payload === 'Talk to a person')).toHaveLength(1);
    const stages = t.assistant.db.prepare('SELECT stages FROM answers WHERE id = ?').get(twice.answerId) as { stages: string };
    expect(JSON.parse(stages.stages).find((s: { stage: string }) => s.stage === 'compose').details.handoffOffered).toBe(true);
    const tapped = await ask(twice.quickReplies[0].payload);
    expect(tapped.outcome).toBe('handoff');
    expect(tapped.handoff).toMatchObject({ ticket: expect.stringMatching(/^HT-/), status: 'queued' });
  });

  it('understood after a clarification, or unclear without having been asked back: no offer', async () => {
    const picked = citizen('kon-tum', 'en');
    const c = await picked(CLARIFIES);
    expect(c.outcome).toBe('clarification');
    expect((await picked('1')).outcome).toBe('answered');
    expect((await picked('xyzzy plugh')).text).not.toContain('I still have not understood');

    const lost = citizen('kon-tum', 'en');
    const rs = [await lost('xyzzy plugh'), await lost('qwerty zork'), await lost('frobnicate blarg')];
    expect(rs.some((r) => r.outcome === 'clarification')).toBe(false);
    for (const r of rs) expect(r.text).not.toContain('I still have not understood');
  });

  it('a province without handoff gives the usual replies (no offer of a ticket it cannot open)', async () => {
    const ask = citizen('son-la', 'en');
    const first = await ask(CLARIFIES);
    expect(first.outcome).toBe('clarification');
    await ask('xyzzy plugh');
    const twice = await ask('qwerty zork');
    expect(twice.text).not.toContain('I still have not understood');
  });
});

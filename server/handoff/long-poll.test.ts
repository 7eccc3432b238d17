import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { enableHandoff } from '../test-support/handoff-profile.js';
import type { StaffUser } from '../domain/staff.js';

// GET /api/conversations/:id/messages?wait=S: the request is held while there is nothing new and
// answered as soon as staff reply (decision 0023). Real server on loopback, real SQLite file.
const clock = new Date('2026-12-02T10:00:00+07:00'); // a Wednesday, in office hours
let t: TempAssistant;
let app: FastifyInstance;
let base: string;
let staff: StaffUser;

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '1000' }, { now: () => clock });
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

interface Body {
  messages: Array<{ id: number; author: string; text: string }>;
  handoff?: { ticket: string; status: string };
}

/** A citizen who asked for a person; returns the conversation and its (claimed) ticket. */
async function handedOver(url = base) {
  const res = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test': '1' }, body: JSON.stringify({ message: 'gặp cán bộ', province: 'kon-tum' }) });
  const body = (await res.json()) as { conversationId: string; conversationToken: string };
  const ticket = t.assistant.tickets.openFor(body.conversationId)!;
  t.assistant.tickets.claim(staff, ticket.id, clock);
  const last = t.assistant.tickets.conversationMessages(body.conversationId, 0).at(-1)!.id;
  return { id: body.conversationId, token: body.conversationToken, ticket, last };
}
const poll = (c: { id: string; token: string }, query: string, init: RequestInit = {}, url = base) =>
  fetch(`${url}/api/conversations/${c.id}/messages?${query}`, { ...init, headers: { 'x-conversation-token': c.token } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, ms = 3000): Promise<void> {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('waiting for a staff reply (long polling)', () => {
  it('a held request is answered as soon as staff reply, with the reply', async () => {
    const c = await handedOver();
    const started = Date.now();
    const pending = poll(c, `after=${c.last}&wait=20`);
    await until(() => t.assistant.deskEvents.watching === 1);
    await sleep(300);
    t.assistant.tickets.reply(staff, c.ticket.id, 'Chào bạn, tôi là cán bộ một cửa.', clock);
    const res = await pending;
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    const body = (await res.json()) as Body;
    expect(body.messages.map((m) => `${m.author}: ${m.text}`)).toEqual(['staff: Chào bạn, tôi là cán bộ một cửa.']);
    expect(body.handoff).toEqual({ ticket: c.ticket.code, status: 'live' });
    // Held for the 300 ms before the reply, not the 20 s asked for.
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(5000);
    expect(t.assistant.deskEvents.watching).toBe(0);
  });

  it('with nothing new it answers empty when the wait is over', async () => {
    const c = await handedOver();
    const started = Date.now();
    const res = await poll(c, `after=${c.last}&wait=1`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Body).messages).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(t.assistant.deskEvents.watching).toBe(0);
  });

  it('something already there is returned at once, without waiting', async () => {
    const c = await handedOver();
    t.assistant.tickets.reply(staff, c.ticket.id, 'Đã nhận câu hỏi của bạn.', clock);
    const started = Date.now();
    const body = (await (await poll(c, `after=${c.last}&wait=20`)).json()) as Body;
    expect(body.messages).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('the ticket given back to the assistant ends the wait, with status closed', async () => {
    const c = await handedOver();
    const pending = poll(c, `after=${c.last}&wait=20`);
    await until(() => t.assistant.deskEvents.watching === 1);
    t.assistant.tickets.release(staff, c.ticket.id, clock);
    const body = (await (await pending).json()) as Body;
    expect(body.messages).toEqual([]);
    expect(body.handoff).toEqual({ ticket: c.ticket.code, status: 'closed' });
  });

  it('a reply written by another server process (no event in this one) is found by the re-check', async () => {
    const c = await handedOver();
    const started = Date.now();
    const pending = poll(c, `after=${c.last}&wait=20`);
    await until(() => t.assistant.deskEvents.watching === 1);
    // Straight into the database, as a second process's ticket store would: this process's hub hears nothing.
    t.assistant.db.prepare("INSERT INTO ticket_messages (ticket_id, author, user_id, text_redacted, created_at) VALUES (?, 'staff', ?, 'Từ máy chủ khác', ?)").run(c.ticket.id, staff.id, clock.toISOString());
    const body = (await (await pending).json()) as Body;
    expect(body.messages.map((m) => m.text)).toEqual(['Từ máy chủ khác']);
    // The re-check runs every second.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('a client that gives up leaves nothing waiting behind', async () => {
    const c = await handedOver();
    const control = new AbortController();
    const pending = poll(c, `after=${c.last}&wait=20`, { signal: control.signal }).catch((e: Error) => e.name);
    await until(() => t.assistant.deskEvents.watching === 1);
    control.abort();
    expect(await pending).toBe('AbortError');
    await until(() => t.assistant.deskEvents.watching === 0);
  });

  it('a conversation with no ticket does not wait: no staff reply can come', async () => {
    const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test': '1' }, body: JSON.stringify({ message: 'lệ phí cấp hộ chiếu', province: 'kon-tum' }) });
    const c = (await res.json()) as { conversationId: string; conversationToken: string };
    const started = Date.now();
    const body = (await (await poll({ id: c.conversationId, token: c.conversationToken }, 'wait=20')).json()) as Body;
    expect(body).toEqual({ messages: [] });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.each(['0', '26', '100', 'x', '1.5', '-1'])('wait=%s is a clear 400', async (wait) => {
    const c = await handedOver();
    const res = await poll(c, `wait=${wait}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('closing the server ends held requests at once instead of waiting them out', async () => {
    const other = await buildApp({ assistant: t.assistant, retentionIntervalMs: 0 });
    const url = await other.listen({ host: '127.0.0.1', port: 0 });
    const c = await handedOver(url);
    const pending = poll(c, `after=${c.last}&wait=25`, {}, url);
    await until(() => t.assistant.deskEvents.watching === 1);
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(3000);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(((await res.json()) as Body).messages).toEqual([]);
    expect(t.assistant.deskEvents.watching).toBe(0);
  });
});

import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';

let t: TempAssistant;
let app: FastifyInstance;
let base: string;

async function chat(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test': '1', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '1000' });
  app = await buildApp({ assistant: t.assistant });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
  t.cleanup();
});

describe('POST /api/chat on a real server', () => {
  it('answers a Vietnamese question with a cited, grounded answer', async () => {
    const r = await chat({ message: 'Đăng ký thường trú cần những giấy tờ gì?' });
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('answer');
    expect(r.body.topics).toContain('service.residence-registration');
    expect(r.body.citations.length).toBeGreaterThan(0);
    expect(r.body.text).toMatch(/thường trú/i);
    expect(r.body.conversationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers the same question typed without diacritics', async () => {
    const r = await chat({ message: 'dang ky thuong tru can giay to gi' });
    expect(r.body.kind).toBe('answer');
    expect(r.body.topics).toContain('service.residence-registration');
  });

  it('answers a procedure question from the imported record with its date and official link', async () => {
    const r = await chat({ message: 'thủ tục phúc khảo bài thi tốt nghiệp trung học phổ thông' });
    expect(r.body.kind).toBe('answer');
    const c = r.body.citations[0];
    expect(c.kind).toBe('procedure');
    expect(c.updated).toBe('2021');
    expect(c.url).toBe('https://dichvucong.gov.vn');
    expect(r.body.text).toMatch(/2021/);
  });

  it('keeps the topic for a follow-up question', async () => {
    const first = await chat({ message: 'Đăng ký khai sinh cho con trên mạng' });
    const follow = await chat({ message: 'cần giấy tờ gì?', conversationId: first.body.conversationId, conversationToken: first.body.conversationToken });
    expect(follow.body.kind).toBe('answer');
    expect(follow.body.topics).toContain('service.birth-registration');
    expect(follow.body.conversationId).toBe(first.body.conversationId);
    // Continuing hands out no new token.
    expect(follow.body.conversationToken).toBeUndefined();
  });

  it('falls back honestly with the hotline from the province profile', async () => {
    const r = await chat({ message: 'giá vàng hôm nay bao nhiêu một chỉ', province: 'dong-nai' });
    expect(r.body.kind).toBe('fallback');
    expect(r.body.text).toContain('1022');
    expect(r.body.text).toContain('1800 1096');
  });

  it('answers in English when asked in English', async () => {
    const r = await chat({ message: 'How can I renew my passport online?' });
    expect(r.body.lang).toBe('en');
    expect(r.body.topics).toContain('service.passport');
  });

  it.each([
    ['no message', {}, 'invalid_request'],
    ['empty message', { message: '' }, 'invalid_request'],
    ['wrong type', { message: 42 }, 'invalid_request'],
    ['unknown field', { message: 'xin chào', admin: true }, 'invalid_request'],
    ['bad conversation id', { message: 'xin chào', conversationId: '../../etc' }, 'invalid_request'],
    ['message too long', { message: 'a'.repeat(1001) }, 'message_too_long'],
    ['unknown province', { message: 'xin chào', province: 'atlantis' }, 'unknown_province'],
  ])('rejects %s with a clear 400', async (_name, body, error) => {
    const r = await chat(body);
    expect(r.status).toBe(400);
    expect(r.body.error).toBe(error);
    expect(typeof r.body.message).toBe('string');
  });

  it('rejects malformed JSON with 400, not a crash', async () => {
    const r = await chat('{"message": ');
    expect(r.status).toBe(400);
  });

  it('records every answer with its stages, index version and embedder', async () => {
    const r = await chat({ message: 'Tra cứu tình trạng hồ sơ bằng mã hồ sơ' });
    const row = t.assistant.db.prepare('SELECT * FROM answers WHERE id = ?').get(r.body.answerId) as Record<string, any>;
    expect(row.kind).toBe(r.body.kind);
    expect(row.is_test).toBe(1);
    expect(row.index_version).toBe(t.assistant.indexHolder.get().index.version);
    expect(row.embedder_id).toMatch(/^hashed-v1/);
    const stages = JSON.parse(row.stages).map((s: { stage: string }) => s.stage);
    expect(stages).toEqual(['normalise', 'safety', 'handoff', 'understand', 'retrieve', 'compose']);
    expect(JSON.parse(row.candidates).length).toBeGreaterThan(0);
  });

  it('health and readiness', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = (await (await fetch(`${base}/readyz`)).json()) as Record<string, unknown>;
    expect(ready.status).toBe('ready');
    expect(ready.docs).toBeGreaterThan(100);
  });
});

describe('conversation tokens', () => {
  const row = (id: string) => t.assistant.db.prepare('SELECT id, last_topics, last_doc_id, updated_at, token_hash FROM conversations WHERE id = ?').get(id) as Record<string, string> | undefined;

  it('a new conversation gets an opaque token of 256 random bits; only its hash is stored', async () => {
    const a = await chat({ message: 'Đăng ký khai sinh cho con trên mạng' });
    const b = await chat({ message: 'Đăng ký khai sinh cho con trên mạng' });
    expect(a.body.conversationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.body.conversationToken).not.toBe(b.body.conversationToken);
    const stored = row(a.body.conversationId)!;
    expect(stored.token_hash).toBe(crypto.createHash('sha256').update(a.body.conversationToken).digest('hex'));
    // The token itself is nowhere in the database.
    const dump = JSON.stringify(t.assistant.db.prepare('SELECT * FROM conversations').all());
    expect(dump).not.toContain(a.body.conversationToken);
  });

  it.each([
    ['no token', undefined],
    ['a wrong token', 'x'.repeat(43)],
    ["another conversation's token", 'other'],
  ])('knowing the id with %s starts a new conversation and leaves the old one untouched', async (_name, token) => {
    const first = await chat({ message: 'Đăng ký khai sinh cho con trên mạng' });
    const other = await chat({ message: 'xin chào' });
    const before = row(first.body.conversationId);
    const r = await chat({ message: 'cần giấy tờ gì?', conversationId: first.body.conversationId, ...(token === undefined ? {} : { conversationToken: token === 'other' ? other.body.conversationToken : token }) });
    expect(r.status).toBe(200);
    expect(r.body.conversationId).not.toBe(first.body.conversationId);
    expect(r.body.conversationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Not a follow-up of the other conversation's topic.
    expect(r.body.topics).not.toContain('service.birth-registration');
    expect(row(first.body.conversationId)).toEqual(before);
    const answers = t.assistant.db.prepare('SELECT COUNT(*) n FROM answers WHERE conversation_id = ?').get(first.body.conversationId) as { n: number };
    expect(answers.n).toBe(1);
  });

  it('an id the server never issued is not adopted: a new id is given', async () => {
    const r = await chat({ message: 'xin chào', conversationId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', conversationToken: 'whatever' });
    expect(r.body.conversationId).not.toBe('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    expect(row('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee')).toBeUndefined();
  });

  it('a conversation stored before tokens existed (no hash) cannot be continued', async () => {
    const first = await chat({ message: 'Đăng ký khai sinh cho con trên mạng' });
    t.assistant.db.prepare('UPDATE conversations SET token_hash = NULL WHERE id = ?').run(first.body.conversationId);
    const r = await chat({ message: 'cần giấy tờ gì?', conversationId: first.body.conversationId, conversationToken: first.body.conversationToken });
    expect(r.body.conversationId).not.toBe(first.body.conversationId);
  });

  it('rejects a token over 200 characters with a clear 400', async () => {
    const r = await chat({ message: 'xin chào', conversationToken: 'a'.repeat(201) });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_request');
  });
});

describe('rate limiting', () => {
  it('returns 429 with Retry-After once a conversation exceeds its limit', async () => {
    const limited = await createTempAssistant({ RATE_LIMIT_MAX: '3' });
    const limitedApp = await buildApp({ assistant: limited.assistant });
    const url = await limitedApp.listen({ host: '127.0.0.1', port: 0 });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      const first = (await (await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'xin chào' }) })).json()) as { conversationId: string; conversationToken: string };
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'xin chào', conversationId: first.conversationId, conversationToken: first.conversationToken }) });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    } finally {
      await limitedApp.close();
      limited.cleanup();
    }
  });
});

describe('POST /api/feedback', () => {
  it('stores thumbs down with a reason and a redacted comment', async () => {
    const a = await chat({ message: 'Đổi giấy phép lái xe trực tuyến' });
    const res = await fetch(`${base}/api/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ answerId: a.body.answerId, rating: 'down', reason: 'unclear', comment: 'gọi tôi 0987654321' }),
    });
    expect(res.status).toBe(201);
    const row = t.assistant.db.prepare('SELECT rating, reason, comment_redacted FROM feedback WHERE answer_id = ?').get(a.body.answerId) as Record<string, string>;
    expect(row).toEqual({ rating: 'down', reason: 'unclear', comment_redacted: 'gọi tôi [PHONE]' });
  });

  it('keeps one feedback per answer: a repeat is refused with 409 and counted nowhere', async () => {
    const a = await chat({ message: 'Đăng ký tạm trú trực tuyến' });
    const send = (body: Record<string, string>) =>
      fetch(`${base}/api/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answerId: a.body.answerId, ...body }) });
    expect((await send({ rating: 'up' })).status).toBe(201);
    const again = await send({ rating: 'up' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'feedback_exists' });
    // Changing one's mind is refused too: the first rating stands.
    expect((await send({ rating: 'down', reason: 'wrong' })).status).toBe(409);
    const rows = t.assistant.db.prepare('SELECT rating, reason FROM feedback WHERE answer_id = ?').all(a.body.answerId);
    expect(rows).toEqual([{ rating: 'up', reason: null }]);
    // Ten at once (no read-then-write race): still one row.
    const b = await chat({ message: 'Cấp lại căn cước' });
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => fetch(`${base}/api/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answerId: b.body.answerId, rating: 'down' }) })),
    );
    expect(burst.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(t.assistant.db.prepare('SELECT COUNT(*) AS n FROM feedback WHERE answer_id = ?').get(b.body.answerId)).toEqual({ n: 1 });
  });

  it('refuses Origin: null on the staff sign-in of the whole app with a clear 403', async () => {
    const res = await fetch(`${base}/staff/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'null' },
      body: JSON.stringify({ username: 'nobody', password: 'not a real password' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'csrf' });
  });

  it.each([
    [{ answerId: '00000000-0000-0000-0000-000000000000', rating: 'up' }, 404],
    [{ answerId: 'abc', rating: 'up' }, 400],
    [{ answerId: '00000000-0000-0000-0000-000000000000', rating: 'meh' }, 400],
    [{ answerId: '00000000-0000-0000-0000-000000000000', rating: 'up', reason: 'because' }, 400],
  ])('rejects %j with %i', async (body, status) => {
    const res = await fetch(`${base}/api/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(status);
  });
});

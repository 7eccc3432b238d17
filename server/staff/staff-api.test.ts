import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { createUserStore } from './users.js';
import { clusterQuestions } from '../review/content-gaps.js';
import { staffHttp, type StaffClient } from '../test-support/staff-client.js';

let t: TempAssistant;
let app: FastifyInstance;
let base: string;

type Client = StaffClient;

const { login, call } = staffHttp(() => base);

async function ask(message: string, conversationId?: string) {
  const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, conversationId }) });
  return (await res.json()) as Record<string, any>;
}

let admin: Client;
let reviewer: Client;

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '10000', REVIEW_SAMPLE_RATE: '1' });
  const users = createUserStore(t.assistant.db);
  await users.create('admin', 'correct horse battery', 'admin');
  await users.create('reviewer1', 'reviewer password 1', 'reviewer');
  await users.create('editor1', 'editor password 1', 'editor');
  app = await buildApp({ assistant: t.assistant, retentionIntervalMs: 0 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  admin = await login('admin', 'correct horse battery');
  reviewer = await login('reviewer1', 'reviewer password 1');
});
afterAll(async () => {
  await app.close();
  t.cleanup();
});

describe('staff sign-in and roles', () => {
  it('rejects a wrong password and records the attempt', async () => {
    const res = await call(null, 'POST', '/staff/api/login', { username: 'admin', password: 'nope nope nope' });
    expect(res.status).toBe(401);
    const entry = t.assistant.db.prepare("SELECT action, target FROM audit_log WHERE action = 'login.failed' ORDER BY id DESC").get();
    expect(entry).toEqual({ action: 'login.failed', target: 'admin' });
  });

  it('sets an HttpOnly, SameSite=Strict session cookie scoped to /staff', async () => {
    const res = await fetch(`${base}/staff/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'editor1', password: 'editor password 1' }) });
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect(res.headers.get('set-cookie')).toMatch(/Path=\/staff/);
  });

  it('refuses the API without a session', async () => {
    expect((await call(null, 'GET', '/staff/api/review/queue')).status).toBe(401);
  });

  it('a reviewer cannot manage users; an admin can', async () => {
    expect((await call(reviewer, 'GET', '/staff/api/users')).status).toBe(403);
    expect((await call(reviewer, 'POST', '/staff/api/users', { username: 'x1', password: 'long enough pw', role: 'admin' })).status).toBe(403);
    const created = await call(admin, 'POST', '/staff/api/users', { username: 'reviewer2', password: 'another long pw', role: 'reviewer' });
    expect(created.status).toBe(201);
    expect((await call(admin, 'POST', '/staff/api/users', { username: 'weak', password: 'short', role: 'reviewer' })).status).toBe(400);
  });

  it('rejects state changes without the CSRF token', async () => {
    const a = await ask('Đăng ký khai sinh trực tuyến');
    const res = await call(reviewer, 'POST', `/staff/api/answers/${a.answerId}/review`, { verdict: 'correct' }, { csrf: 'forged' });
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('csrf');
  });

  it('refuses a cross-site sign-in', async () => {
    const res = await call(null, 'POST', '/staff/api/login', { username: 'admin', password: 'correct horse battery' }, { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
  });

  it('disabling a user ends their sessions', async () => {
    const users = createUserStore(t.assistant.db);
    const u = await users.create('temp-user', 'temporary password', 'reviewer');
    const c = await login('temp-user', 'temporary password');
    expect((await call(c, 'GET', '/staff/api/me')).status).toBe(200);
    await call(admin, 'PATCH', `/staff/api/users/${u.id}`, { disabled: true });
    expect((await call(c, 'GET', '/staff/api/me')).status).toBe(401);
  });
});

describe('review queue and verdicts', () => {
  it('orders the queue by need: negative feedback, fallback, low confidence, safety, sample', async () => {
    const good = await ask('Gia hạn bảo hiểm y tế trên mạng');
    const disliked = await ask('Xin cấp hộ chiếu trực tuyến');
    await fetch(`${base}/api/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answerId: disliked.answerId, rating: 'down', reason: 'wrong' }) });
    const fallback = await ask('kết quả xổ số hôm nay');
    const safety = await ask('mã OTP của tôi là 551207');
    expect(fallback.kind).toBe('fallback');
    expect(safety.kind).toBe('safety');
    const q = await call(reviewer, 'GET', '/staff/api/review/queue?limit=200');
    const ids: string[] = q.json.items.map((i: { id: string }) => i.id);
    const pos = (id: string) => ids.indexOf(id);
    expect(pos(disliked.answerId)).toBeGreaterThanOrEqual(0);
    expect(pos(disliked.answerId)).toBeLessThan(pos(fallback.answerId));
    expect(pos(fallback.answerId)).toBeLessThan(pos(safety.answerId));
    expect(pos(safety.answerId)).toBeLessThan(pos(good.answerId));
    expect(q.json.items[pos(disliked.answerId)].reason).toBe('negative_feedback');
  });

  it('filters by kind, feedback and full text', async () => {
    const q = await call(reviewer, 'GET', '/staff/api/review/queue?kind=fallback');
    expect(q.json.items.every((i: { kind: string }) => i.kind === 'fallback')).toBe(true);
    const down = await call(reviewer, 'GET', '/staff/api/review/queue?feedback=down');
    expect(down.json.items.every((i: { feedback: string }) => i.feedback === 'down')).toBe(true);
    const text = await call(reviewer, 'GET', `/staff/api/review/queue?q=${encodeURIComponent('hộ chiếu')}`);
    expect(text.json.items.length).toBeGreaterThan(0);
    expect(text.json.items.every((i: { question: string }) => /hộ chiếu/i.test(i.question))).toBe(true);
    expect((await call(reviewer, 'GET', '/staff/api/review/queue?from=yesterday')).status).toBe(400);
  });

  it('stores a verdict, shows it in the conversation view and audits it', async () => {
    const a = await ask('Làm thủ tục khai tử cho người thân');
    const r = await call(reviewer, 'POST', `/staff/api/answers/${a.answerId}/review`, { verdict: 'partly', note: 'thiếu bước', expectedArticle: 'service.death-registration' });
    expect(r.status).toBe(201);
    const c = await call(reviewer, 'GET', `/staff/api/conversations/${a.conversationId}`);
    const shown = c.json.answers.find((x: { id: string }) => x.id === a.answerId);
    expect(shown.reply).toBe(a.text);
    expect(shown.candidates.length).toBeGreaterThan(0);
    expect(shown.reviews[0]).toMatchObject({ reviewer: 'reviewer1', verdict: 'partly', expectedArticle: 'service.death-registration' });
    const audit = t.assistant.db.prepare("SELECT username, action, target FROM audit_log WHERE action = 'answer.review' ORDER BY id DESC").get();
    expect(audit).toEqual({ username: 'reviewer1', action: 'answer.review', target: a.answerId });
    expect((await call(reviewer, 'POST', '/staff/api/answers/00000000-0000-0000-0000-000000000000/review', { verdict: 'correct' })).status).toBe(404);
    expect((await call(reviewer, 'POST', `/staff/api/answers/${a.answerId}/review`, { verdict: 'meh' })).status).toBe(400);
  });
});

describe('content gaps', () => {
  it('clusters similar unanswered questions with counts', async () => {
    const clusters = await clusterQuestions(
      [
        'đổi bằng lái xe quốc tế ở đâu',
        'doi bang lai xe quoc te o dau',
        'cấp giấy phép lái xe quốc tế online',
        'thủ tục nhận con nuôi người nước ngoài',
        'nhận con nuôi có yếu tố nước ngoài cần gì',
        'giá vé tàu Thống Nhất',
      ].map((question) => ({ question, createdAt: '2026-11-01T00:00:00Z', candidates: [], expected: null })),
    );
    expect(clusters[0].count).toBe(3);
    expect(clusters[0].questions.join(' ')).toMatch(/quốc tế|quoc te/);
    expect(clusters[1].count).toBe(2);
    expect(clusters.reduce((n, c) => n + c.count, 0)).toBe(6);
  });

  it('lists gaps for editors (not reviewers) and exports a draft brief', async () => {
    await ask('thủ tục nhận con nuôi người nước ngoài');
    await ask('nhận con nuôi có yếu tố nước ngoài cần gì');
    expect((await call(reviewer, 'GET', '/staff/api/gaps')).status).toBe(403);
    const editor = await login('editor1', 'editor password 1');
    const gaps = await call(editor, 'GET', '/staff/api/gaps');
    expect(gaps.status).toBe(200);
    const cluster = gaps.json.clusters[0];
    expect(cluster.count).toBeGreaterThan(0);
    const brief = await call(editor, 'GET', `/staff/api/gaps/${cluster.id}/brief`);
    expect(brief.status).toBe(200);
    expect(brief.text).toMatch(/^---\nid: TODO/);
    expect(brief.text).toContain('status: draft');
  });
});

describe('dashboards, export and retention', () => {
  it('computes dashboard figures, excluding test traffic by default', async () => {
    await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test': '1' }, body: JSON.stringify({ message: 'Đăng ký kết hôn' }) });
    const m = await call(reviewer, 'GET', '/staff/api/metrics');
    const withTest = await call(reviewer, 'GET', '/staff/api/metrics?includeTest=true');
    expect(m.json.totals.answers).toBeGreaterThan(0);
    expect(withTest.json.totals.answers).toBe(m.json.totals.answers + 1);
    expect(m.json.outcomesPerDay[0]).toHaveProperty('fallback');
    expect(m.json.latencyP95PerDay[0].p95).toBeGreaterThan(0);
    expect(m.json.satisfactionPerDay.some((d: { down: number }) => d.down > 0)).toBe(true);
  });

  it('exports redacted CSV and JSONL for editors', async () => {
    const editor = await login('editor1', 'editor password 1');
    const csv = await call(editor, 'GET', '/staff/api/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe('id,created_at,conversation_id,channel,province,lang,kind,outcome,question_redacted,reply,topics,citations,confidence,feedback,feedback_reason,verdict,review_note');
    expect(csv.text).toContain('[OTP]');
    expect(csv.text).not.toContain('551207');
    const jsonl = await call(editor, 'GET', '/staff/api/export?format=jsonl&kind=safety');
    const rows = jsonl.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r: { kind: string }) => r.kind === 'safety')).toBe(true);
    // The outcome column: the code of each turn, in CSV and JSONL alike, and filterable.
    expect(rows.some((r: { outcome: string }) => r.outcome === 'safety_secret')).toBe(true);
    const header = csv.text.split('\r\n')[0].split(',');
    const csvOutcomes = csv.text.split('\r\n').slice(1).filter(Boolean).map((l) => l.split(',')[header.indexOf('outcome')]);
    expect(csvOutcomes).toContain('safety_secret');
    const secret = (await call(editor, 'GET', '/staff/api/export?format=jsonl&outcome=safety_secret')).text.trim().split('\n').map((l) => JSON.parse(l));
    expect(secret.length).toBeGreaterThan(0);
    expect(secret.every((r: { outcome: string }) => r.outcome === 'safety_secret')).toBe(true);
    expect((await call(reviewer, 'GET', '/staff/api/export')).status).toBe(403);
  });

  it('neutralises spreadsheet formulas in CSV and keeps JSONL exact', async () => {
    const formulas = ['=HYPERLINK("http://x.example","bấm")', '+1+2', '-3+4 cmd', '@SUM(A1)'];
    for (const q of formulas) await ask(q);
    const editor = await login('editor1', 'editor password 1');
    const csv = (await call(editor, 'GET', '/staff/api/export?format=csv')).text;
    const cells = csv.split('\r\n').flatMap((line) => line.split(','));
    expect(cells.filter((c) => /^"?[=+\-@]/.test(c))).toEqual([]);
    expect(csv).toContain(`"'=HYPERLINK(""http://x.example""`);
    expect(csv).toContain("'+1+2");
    const jsonl = (await call(editor, 'GET', '/staff/api/export?format=jsonl')).text;
    const questions = jsonl.trim().split('\n').map((l) => JSON.parse(l).question_redacted);
    for (const q of formulas) expect(questions).toContain(q);
  });

  it('marks staff API responses no-store, signed in or not', async () => {
    expect((await call(admin, 'GET', '/staff/api/me')).headers.get('cache-control')).toBe('no-store');
    expect((await call(null, 'GET', '/staff/api/me')).headers.get('cache-control')).toBe('no-store');
    expect((await call(null, 'POST', '/staff/api/login', { username: 'x', password: 'y' })).headers.get('cache-control')).toBe('no-store');
  });

  it('purges old records but keeps daily counts', async () => {
    const db = t.assistant.db;
    const old = await ask('Đăng ký xe online');
    db.prepare("UPDATE answers SET created_at = '2020-01-01T10:00:00.000Z' WHERE id = ?").run(old.answerId);
    db.prepare("UPDATE conversations SET updated_at = '2020-01-01T10:00:00.000Z' WHERE id = ?").run(old.conversationId);
    const r = await call(admin, 'POST', '/staff/api/purge', {});
    expect(r.status).toBe(200);
    expect(r.json.answers).toBe(1);
    expect(db.prepare('SELECT 1 FROM answers WHERE id = ?').get(old.answerId)).toBeUndefined();
    expect(db.prepare("SELECT answers FROM daily_aggregates WHERE day = '2020-01-01'").get()).toEqual({ answers: 1 });
    const m = await call(reviewer, 'GET', '/staff/api/metrics?from=2020-01-01&to=2020-01-02');
    expect(m.json.totals.answers).toBe(1);
    expect((await call(reviewer, 'POST', '/staff/api/purge', {})).status).toBe(403);
  });
});

describe('lookup for one-stop-shop staff', () => {
  it('finds procedures by prefix and shows the full record', async () => {
    const s = await call(reviewer, 'GET', `/staff/api/search?q=${encodeURIComponent('đăng ký thường tr')}`);
    const hit = s.json.hits.find((h: { kind: string; title: string }) => h.kind === 'procedure' && h.title === 'Đăng ký thường trú');
    expect(hit).toBeTruthy();
    const d = await call(reviewer, 'GET', `/staff/api/docs/${hit.id}`);
    expect(d.json.record.documents.length).toBeGreaterThan(0);
    expect(d.json.record.ways[0].deadline).toMatch(/Ngày làm việc/);
    expect(d.json.updated).toBe('2021');
    expect((await call(reviewer, 'GET', '/staff/api/docs/nope')).status).toBe(404);
  });
});

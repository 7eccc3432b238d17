/**
 * Channel switches and the service notice over real HTTP: the admin staff API (roles, CSRF, bad
 * input, audit), the public notice route, the chat API while the web channel is off, metrics, and
 * a restart of the whole assistant over the same data folder.
 */
import fs from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { createAssistant, type Assistant } from '../assistant.js';
import { loadConfig } from '../config.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { createI18n, translator } from '../i18n/i18n.js';
import { NOTICE_MAX_CHARS } from '../domain/service.js';
import { createUserStore } from './users.js';
import { staffHttp, type StaffClient } from '../test-support/staff-client.js';

let t: TempAssistant;
let app: FastifyInstance;
let base: string;
/** The server's clock: tests move it past a notice's end. */
const clock = { at: Date.now() };
const inHours = (h: number) => new Date(clock.at + h * 3600_000).toISOString();

type Client = StaffClient;
const { login, call } = staffHttp(() => base);

const chat = (message: string, extra: Record<string, string> = {}) => call(null, 'POST', '/api/chat', { message, ...extra });
const auditOf = (action: string) =>
  (t.assistant.db.prepare('SELECT at, username, target, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as Array<{ at: string; username: string; target: string; details: string }>).map((r) => ({
    ...r,
    details: JSON.parse(r.details),
  }));
const reply = (lang: string) => translator(createI18n(), lang, 'reply');

let admin: Client;
let editor: Client;
let reviewer: Client;
let restarted: Assistant | null = null;

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '10000', REVIEW_SAMPLE_RATE: '1' }, { now: () => new Date(clock.at) });
  const users = createUserStore(t.assistant.db);
  await users.create('admin', 'correct horse battery', 'admin');
  await users.create('editor1', 'editor password 1', 'editor');
  await users.create('reviewer1', 'reviewer password 1', 'reviewer');
  app = await buildApp({ assistant: t.assistant, retentionIntervalMs: 0 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  [admin, editor, reviewer] = await Promise.all([login('admin', 'correct horse battery'), login('editor1', 'editor password 1'), login('reviewer1', 'reviewer password 1')]);
});
afterAll(async () => {
  await app?.close();
  if (restarted) {
    restarted.close();
    fs.rmSync(t.dataDir, { recursive: true, force: true });
  } else t?.cleanup();
});

describe('who may change the switches and the notice', () => {
  it('editors and reviewers are refused (403), signed-out callers too (401), and nothing changes', async () => {
    for (const c of [editor, reviewer]) {
      expect((await call(c, 'GET', '/staff/api/service')).status).toBe(403);
      const r = await call(c, 'POST', '/staff/api/service/channels/sms', { enabled: false });
      expect(r.status).toBe(403);
      expect(r.json.error).toBe('forbidden');
      expect((await call(c, 'PUT', '/staff/api/service/notice', { text: { vi: 'Bảo trì' }, endsAt: inHours(1) })).status).toBe(403);
      expect((await call(c, 'DELETE', '/staff/api/service/notice', {})).status).toBe(403);
    }
    expect((await call(null, 'POST', '/staff/api/service/channels/sms', { enabled: false })).status).toBe(401);
    expect(t.assistant.controls.switches().sms).toBe(true);
    expect(t.assistant.controls.notice()).toBeNull();
  });

  it('an administrator without the CSRF token, or with a wrong one, is refused', async () => {
    for (const csrf of [null, 'not-the-token']) {
      const r = await call(admin, 'POST', '/staff/api/service/channels/web', { enabled: false }, { csrf });
      expect(r.status).toBe(403);
      expect(r.json.error).toBe('csrf');
      expect((await call(admin, 'PUT', '/staff/api/service/notice', { text: { vi: 'Bảo trì' }, endsAt: inHours(1) }, { csrf })).json.error).toBe('csrf');
    }
    expect(t.assistant.controls.switches().web).toBe(true);
    expect(t.assistant.controls.notice()).toBeNull();
  });

  it('the staff page is for administrators only', async () => {
    const page = await fetch(`${base}/staff/service`, { headers: { cookie: editor.cookie, accept: 'text/html' } });
    expect(page.status).toBe(403);
    const own = await fetch(`${base}/staff/service`, { headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('id="notice-form"');
  });
});

describe('bad input is a 400 with a clear error', () => {
  it.each([
    ['an unknown channel', 'POST', '/staff/api/service/channels/fax', { enabled: false }, 'invalid_request', /channel/],
    ['a switch without a state', 'POST', '/staff/api/service/channels/sms', {}, 'invalid_request', /enabled/],
    ['an end before the start', 'PUT', '/staff/api/service/notice', { text: { vi: 'Bảo trì' }, startsAt: inHours(3), endsAt: inHours(2) }, 'invalid_notice', /endsAt must be after startsAt/],
    ['a notice too long', 'PUT', '/staff/api/service/notice', { text: { vi: 'a'.repeat(NOTICE_MAX_CHARS + 1) }, endsAt: inHours(1) }, 'invalid_notice', new RegExp(`at most ${NOTICE_MAX_CHARS}`)],
    ['an end in the past', 'PUT', '/staff/api/service/notice', { text: { vi: 'Bảo trì' }, endsAt: inHours(-1) }, 'invalid_notice', /in the past/],
    ['a time without a time zone', 'PUT', '/staff/api/service/notice', { text: { vi: 'Bảo trì' }, endsAt: '2026-06-01T17:00' }, 'invalid_notice', /time zone/],
    ['no Vietnamese text', 'PUT', '/staff/api/service/notice', { text: { en: 'Maintenance' }, endsAt: inHours(1) }, 'invalid_request', /vi/],
    ['an ethnic-language text', 'PUT', '/staff/api/service/notice', { text: { vi: 'Bảo trì', bdq: 'x' }, endsAt: inHours(1) }, 'invalid_request', /additional/],
  ])('%s', async (_what, method, path, body, error, message) => {
    const r = await call(admin, method, path, body);
    expect(r.status).toBe(400);
    expect(r.json.error).toBe(error);
    expect(r.json.message).toMatch(message);
    expect(t.assistant.controls.notice()).toBeNull();
  });
});

describe('switching the web channel off', () => {
  it('answers /api/chat with the fixed channel_off reply (never a 5xx), stores the message redacted, and audits the change', async () => {
    const before = Date.now();
    const r = await call(admin, 'POST', '/staff/api/service/channels/web', { enabled: false });
    expect(r.status).toBe(200);
    expect(r.json.switches).toEqual({ web: false, zalo: true, sms: true });
    const [entry] = auditOf('channel.switch');
    expect(entry).toMatchObject({ username: 'admin', target: 'web', details: { from: 'on', to: 'off' } });
    expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(before - 1000);

    for (const channel of ['web', 'api']) {
      const res = await chat('đăng ký thường trú cần giấy tờ gì, mã OTP của tôi là 551207', { channel });
      expect(res.status).toBe(200);
      expect(res.json.outcome).toBe('channel_off');
      expect(res.json.kind).toBe('handoff');
      expect(res.json.citations).toEqual([]);
      expect(res.json.text).toContain(reply('vi')('channel_off'));
      // Where to go instead: the profile's hotline (Kon Tum's sample profile).
      const hotline = t.assistant.profiles.get(t.config.province)!.values.province_hotline || t.assistant.profiles.get(t.config.province)!.values.national_hotline;
      expect(res.json.text).toContain(hotline);
      const row = t.assistant.db.prepare('SELECT outcome, channel, question_redacted, stages FROM answers WHERE id = ?').get(res.json.answerId) as Record<string, string>;
      expect(row.outcome).toBe('channel_off');
      expect(row.channel).toBe(channel);
      expect(row.question_redacted).toContain('thường trú');
      expect(row.question_redacted).not.toContain('551207');
      const stages = JSON.parse(row.stages) as Array<{ stage: string; status: string; details: { reason?: string } }>;
      // The message is read and redacted (normalise, safety), never looked up or answered.
      expect(stages.map((s) => s.stage)).toEqual(['normalise', 'safety', 'handoff', 'understand', 'retrieve', 'compose']);
      expect(stages.slice(0, 2).every((s) => s.status !== 'skipped' && s.status !== 'error')).toBe(true);
      expect(stages.slice(2).map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
      expect(stages[2].details.reason).toBe(`channel ${channel} switched off`);
    }
    const en = await chat('how do I register permanent residence', { lang: 'en' });
    expect(en.json.outcome).toBe('channel_off');
    expect(en.json.text).toContain(reply('en')('channel_off'));
  });

  it('the review filter and the dashboard count channel_off answers', async () => {
    const q = await call(reviewer, 'GET', '/staff/api/review/queue?outcome=channel_off&all=true&limit=200');
    expect(q.status).toBe(200);
    expect(q.json.items.length).toBeGreaterThanOrEqual(3);
    const m = await call(reviewer, 'GET', '/staff/api/metrics');
    expect(m.json.outcomeCounts.find((o: { outcome: string }) => o.outcome === 'channel_off')?.answers).toBeGreaterThanOrEqual(3);
  });

  it('/metrics has a gauge per channel switch', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/^dvc_channel_switch\{channel="web"\} 0$/m);
    expect(text).toMatch(/^dvc_channel_switch\{channel="zalo"\} 1$/m);
    expect(text).toMatch(/^dvc_channel_switch\{channel="sms"\} 1$/m);
    expect(text).toMatch(/^dvc_channel_state\{channel="web",state="off"\} 1$/m);
  });

  it('switched on again, the chat answers from the knowledge base', async () => {
    expect((await call(admin, 'POST', '/staff/api/service/channels/web', { enabled: true })).json.switches.web).toBe(true);
    expect(auditOf('channel.switch').at(-1)).toMatchObject({ target: 'web', details: { from: 'off', to: 'on' } });
    const res = await chat('đăng ký thường trú cần giấy tờ gì');
    expect(res.json.outcome).not.toBe('channel_off');
    expect(res.json.kind).toBe('answer');
  });
});

describe('the notice', () => {
  it('published by an administrator, served by GET /api/notice with a short max-age, audited old → new', async () => {
    expect((await call(null, 'GET', '/api/notice')).json).toEqual({ notice: null });
    const endsAt = inHours(2);
    const r = await call(admin, 'PUT', '/staff/api/service/notice', { text: { vi: 'Cổng dịch vụ công đang bảo trì đến 17:00', en: 'The portal is under maintenance until 17:00' }, endsAt });
    expect(r.status).toBe(200);
    expect(r.json.noticeShown).toBe(true);
    const got = await call(null, 'GET', '/api/notice?province=kon-tum&lang=vi');
    expect(got.json).toEqual({ notice: { text: 'Cổng dịch vụ công đang bảo trì đến 17:00', lang: 'vi', endsAt } });
    expect(got.headers.get('cache-control')).toBe('public, max-age=60');
    expect((await call(null, 'GET', '/api/notice?lang=en')).json.notice.text).toBe('The portal is under maintenance until 17:00');
    expect((await call(null, 'GET', '/api/notice?lang=bdq')).json.notice.lang).toBe('vi');
    expect((await call(null, 'GET', '/api/notice?province=atlantis')).status).toBe(404);
    expect((await call(null, 'GET', '/api/notice?lang=%3Cscript%3E')).status).toBe(400);

    const second = await call(admin, 'PUT', '/staff/api/service/notice', { text: { vi: 'Bảo trì đến 18:00' }, endsAt: inHours(3) });
    expect(second.status).toBe(200);
    const entries = auditOf('notice.publish');
    expect(entries[0].details.from).toBeNull();
    expect(entries[0].details.to.text.vi).toBe('Cổng dịch vụ công đang bảo trì đến 17:00');
    expect(entries[1].details.from.text.vi).toBe('Cổng dịch vụ công đang bảo trì đến 17:00');
    expect(entries[1].details.to).toMatchObject({ text: { vi: 'Bảo trì đến 18:00' }, updatedBy: 'admin' });
  });

  it('is never cached past its end, and disappears by itself at its end time', async () => {
    clock.at += 3 * 3600_000 - 20_000;
    expect((await call(null, 'GET', '/api/notice')).headers.get('cache-control')).toBe('public, max-age=20');
    clock.at += 20_000;
    const after = await call(null, 'GET', '/api/notice');
    expect(after.json).toEqual({ notice: null });
    expect((await call(admin, 'GET', '/staff/api/service')).json.noticeShown).toBe(false);
  });

  it('withdrawn by an administrator, audited', async () => {
    await call(admin, 'PUT', '/staff/api/service/notice', { text: { vi: 'Bảo trì' }, endsAt: inHours(1) });
    const r = await call(admin, 'DELETE', '/staff/api/service/notice', {});
    expect(r.status).toBe(200);
    expect(r.json.notice).toBeNull();
    expect(auditOf('notice.withdraw').at(-1)).toMatchObject({ username: 'admin', details: { from: { text: { vi: 'Bảo trì' } }, to: null } });
    expect((await call(null, 'GET', '/api/notice')).json.notice).toBeNull();
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await call(null, 'GET', '/api/openapi.json')).json;
    expect(doc.paths['/api/notice'].get.summary).toMatch(/notice/);
    expect(doc.paths['/staff/api/service']).toBeUndefined();
  });
});

describe('a restart', () => {
  it('keeps the switches and the notice (they are in the database)', async () => {
    await call(admin, 'POST', '/staff/api/service/channels/sms', { enabled: false });
    await call(admin, 'PUT', '/staff/api/service/notice', { text: { vi: 'Bảo trì đến 17:00' }, endsAt: inHours(1) });
    await app.close();
    t.assistant.close();
    restarted = await createAssistant(loadConfig({ ...process.env, DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' }), pino({ level: 'silent' }), { now: () => new Date(clock.at) });
    app = await buildApp({ assistant: restarted, retentionIntervalMs: 0 });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    expect(restarted.controls.switches()).toEqual({ web: true, zalo: true, sms: false });
    expect((await call(null, 'GET', '/api/notice')).json.notice.text).toBe('Bảo trì đến 17:00');
    const again = await login('admin', 'correct horse battery');
    expect((await call(again, 'GET', '/staff/api/service')).json.switches.sms).toBe(false);
  });
});

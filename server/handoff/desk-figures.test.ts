/**
 * The desk's figures over real HTTP: tickets opened through /api/chat, answered through the
 * desk's API, then read from /metrics (Prometheus) and the staff dashboard page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { enableHandoff } from '../test-support/handoff-profile.js';
import { createUserStore } from '../staff/users.js';
import { median } from './desk-figures.js';

const vn = (s: string) => new Date(`${s}+07:00`);
let clock = vn('2026-12-02T09:00:00');
let t: TempAssistant;
let app: FastifyInstance;
let base: string;
let staff: { cookie: string; csrf: string };

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '1000' }, { now: () => clock });
  enableHandoff(t.assistant, 'kon-tum');
  await createUserStore(t.assistant.db).create('reviewer1', 'reviewer password 1', 'reviewer');
  app = await buildApp({ assistant: t.assistant, retentionIntervalMs: 0 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  const res = await fetch(`${base}/staff/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'reviewer1', password: 'reviewer password 1' }) });
  staff = { cookie: res.headers.get('set-cookie')!.split(';')[0], csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
});
afterAll(async () => {
  await app?.close();
  t?.cleanup();
});

async function ticket(channel: 'web' | 'api', test = false): Promise<number> {
  const res = await fetch(`${base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(test ? { 'x-test': '1' } : {}) },
    body: JSON.stringify({ message: 'Gặp cán bộ', province: 'kon-tum', channel }),
  });
  const code = ((await res.json()) as { handoff: { ticket: string } }).handoff.ticket;
  return (t.assistant.db.prepare('SELECT id FROM tickets WHERE code = ?').get(code) as { id: number }).id;
}
const act = (id: number, action: string, body: unknown = {}) =>
  fetch(`${base}/staff/api/desk/tickets/${id}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: staff.cookie, 'x-csrf-token': staff.csrf }, body: JSON.stringify(body) });
function value(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').at(-1));
  }
  return null;
}

describe('the desk figures', () => {
  it('median of an odd and an even number of values, none', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([600, 1800])).toBe(1200);
    expect(median([])).toBeNull();
  });

  it('open tickets, tickets past target and the median first response per channel, on /metrics and the dashboard; test tickets left out', async () => {
    let text = await (await fetch(`${base}/metrics`)).text();
    expect(value(text, 'dvc_handoff_open_tickets', { state: 'waiting' })).toBe(0);
    expect(value(text, 'dvc_handoff_past_target_tickets')).toBe(0);

    clock = vn('2026-12-02T09:00:00');
    const [a, b, c] = [await ticket('web'), await ticket('web'), await ticket('api')];
    await ticket('web', true);
    clock = vn('2026-12-02T09:10:00');
    expect((await act(a, 'claim')).status).toBe(200);
    expect((await act(a, 'reply', { text: 'Chào bạn' })).status).toBe(201);
    clock = vn('2026-12-02T09:30:00');
    await act(b, 'claim');
    await act(b, 'reply', { text: 'Chào bạn' });
    // A second reply does not change the first response time.
    clock = vn('2026-12-02T09:50:00');
    await act(b, 'reply', { text: 'Bạn cần gì thêm không?' });
    clock = vn('2026-12-02T10:00:00'); // c (api) was due at 09:30 and has no reply

    text = await (await fetch(`${base}/metrics`)).text();
    expect(value(text, 'dvc_handoff_open_tickets', { state: 'waiting' })).toBe(1);
    expect(value(text, 'dvc_handoff_open_tickets', { state: 'held' })).toBe(2);
    expect(value(text, 'dvc_handoff_past_target_tickets')).toBe(1);
    expect(value(text, 'dvc_handoff_first_response_median_seconds', { channel: 'web' })).toBe(1200);
    // No reply on api yet: no median rather than a zero.
    expect(value(text, 'dvc_handoff_first_response_median_seconds', { channel: 'api' })).toBeNull();
    expect(value(text, 'dvc_handoff_desk_streams')).toBe(0);

    const page = async (query: string) => (await fetch(`${base}/staff/dashboard${query}`, { headers: { cookie: staff.cookie, accept: 'text/html' } })).text();
    const html = await page('?from=2026-12-02&to=2026-12-02');
    expect(html).toContain('id="handoff-figures"');
    expect(html).toMatch(/data-figure="open"><span class="tile-value">3</);
    expect(html).toMatch(/data-figure="past-target"><span class="tile-value">1</);
    expect(html).toMatch(/<tr data-channel="web">.*?<td class="num">2<\/td><td class="num">2<\/td><td class="num" data-median-seconds="1200">20 phút</s);
    expect(html).toMatch(/<tr data-channel="api">.*?<td class="num">1<\/td><td class="num">0<\/td>/s);
    // With test traffic, the test ticket counts too.
    expect(await page('?from=2026-12-02&to=2026-12-02&includeTest=true')).toMatch(/<tr data-channel="web">.*?<td class="num">3<\/td>/s);
    // Another period: no tickets opened in it (open tickets are counted now, whatever the period).
    const later = await page('?from=2026-12-03&to=2026-12-04');
    expect(later).not.toContain('<tr data-channel="web">');
    expect(later).toMatch(/data-figure="open"><span class="tile-value">3</);

    // Closing the late ticket takes it off both figures.
    clock = vn('2026-12-02T10:05:00');
    await act(c, 'claim');
    await act(c, 'close', { reason: 'no_response' });
    text = await (await fetch(`${base}/metrics`)).text();
    expect(value(text, 'dvc_handoff_past_target_tickets')).toBe(0);
    expect(value(text, 'dvc_handoff_open_tickets', { state: 'held' })).toBe(2);
  });
});

/**
 * Staff desk bench (local only): the assistant on 127.0.0.1 over a throw-away data folder, with
 * handoff on for Kon Tum (test hours: every day, all day). N citizens ask for a person at once
 * over /api/chat; one desk listens to the live stream; a scripted officer claims and answers
 * every ticket. Prints: open → event on the desk stream, the queue route with N tickets waiting,
 * staff "send" → reply received by the citizen's waiting request (each citizen holds a long poll,
 * `messages?wait=25`, as the widget does), events and replies lost or duplicated.
 *
 *   npx tsx scripts/bench-desk.ts [--tickets 200]
 *
 * The client runs in this process (one event loop with the server): figures are upper bounds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildApp } from '../server/app.js';
import { createAssistant } from '../server/assistant.js';
import { loadConfig } from '../server/config.js';
import { parseOfficeHours } from '../server/handoff/office-hours.js';
import { createUserStore } from '../server/staff/users.js';

const i = process.argv.indexOf('--tickets');
const N = i >= 0 ? Number(process.argv[i + 1]) : 200;
if (!Number.isInteger(N) || N < 1 || N > 5000) throw new Error('--tickets must be 1…5000');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
};
const line = (name: string, xs: number[]) => console.log(`${name.padEnd(44)} p50 ${pct(xs, 50).toFixed(1)} ms  p95 ${pct(xs, 95).toFixed(1)} ms  max ${pct(xs, 100).toFixed(1)} ms  (n=${xs.length})`);

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-desk-bench-'));
  const assistant = await createAssistant(loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '100000', RATE_LIMIT_ADDRESS_MAX: '100000' }), pino({ level: 'warn' }));
  const profile = assistant.profiles.get('kon-tum')!;
  assistant.profiles.set('kon-tum', { ...profile, handoff: { hours: parseOfficeHours({ 'mon-sat': ['00:00-23:59'], sun: ['00:00-23:59'] }, []), firstResponseMinutes: 30 } });
  await createUserStore(assistant.db).create('bench-officer', 'bench officer password', 'reviewer');
  const app = await buildApp({ assistant, retentionIntervalMs: 0 });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const login = await fetch(`${base}/staff/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-officer', password: 'bench officer password' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const staff = (method: string, p: string, body?: unknown) =>
      fetch(`${base}${p}`, { method, headers: { cookie, 'x-csrf-token': csrf, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

    // The desk's live stream: when each ticket's "new" event arrives, and how many times.
    const seen = new Map<string, number[]>();
    const stream = await fetch(`${base}/staff/api/desk/events`, { headers: { cookie } });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let k;
        while ((k = buffer.indexOf('\n\n')) >= 0) {
          const data = /^data: (.*)$/m.exec(buffer.slice(0, k))?.[1];
          buffer = buffer.slice(k + 2);
          if (!data) continue;
          const e = JSON.parse(data) as { type?: string; code?: string };
          if (e.type === 'ticket.new' && e.code) seen.set(e.code, [...(seen.get(e.code) ?? []), performance.now()]);
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 100));

    // N citizens ask for a person at once.
    const started = performance.now();
    const citizens = await Promise.all(
      Array.from({ length: N }, async () => {
        const sent = performance.now();
        const r = (await (await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Gặp cán bộ', province: 'kon-tum', channel: 'web' }) })).json()) as {
          conversationId: string;
          conversationToken: string;
          handoff: { ticket: string };
        };
        return { sent, answered: performance.now(), ...r };
      }),
    );
    const openMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, 500));
    const eventMs = citizens.filter((c) => seen.has(c.handoff.ticket)).map((c) => seen.get(c.handoff.ticket)![0] - c.sent);
    const lostEvents = citizens.filter((c) => !seen.has(c.handoff.ticket)).length;
    const duplicateEvents = [...seen.values()].filter((v) => v.length > 1).length;

    const listMs: number[] = [];
    let listed = 0;
    for (let k = 0; k < 20; k++) {
      const s = performance.now();
      const r = (await (await staff('GET', '/staff/api/desk/tickets?queue=waiting')).json()) as { tickets: unknown[] };
      listMs.push(performance.now() - s);
      listed = r.tickets.length;
    }

    // Every citizen's widget holds a request for staff replies (long polling), re-asking when it
    // times out, until its reply comes; the scripted officer claims and answers each ticket in turn.
    const sentAt = new Map<string, number>();
    const received = new Map<string, number[]>();
    const followers = citizens.map(async (c) => {
      let after = 0;
      for (;;) {
        const m = (await (await fetch(`${base}/api/conversations/${c.conversationId}/messages?after=${after}&wait=25`, { headers: { 'x-conversation-token': c.conversationToken } })).json()) as { messages: Array<{ id: number; author: string; text: string }> };
        const at = performance.now();
        for (const x of m.messages) {
          after = Math.max(after, x.id);
          if (x.author === 'staff' && x.text.includes(c.handoff.ticket)) received.set(c.handoff.ticket, [...(received.get(c.handoff.ticket) ?? []), at]);
        }
        if (received.has(c.handoff.ticket)) return;
      }
    });
    await new Promise((r) => setTimeout(r, 1000));
    const waiting = assistant.deskEvents.watching;
    const ids = new Map((assistant.db.prepare('SELECT id, code FROM tickets').all() as Array<{ id: number; code: string }>).map((r) => [r.code, r.id]));
    for (const c of citizens) {
      const id = ids.get(c.handoff.ticket)!;
      await staff('POST', `/staff/api/desk/tickets/${id}/claim`, {});
      sentAt.set(c.handoff.ticket, performance.now());
      const r = await staff('POST', `/staff/api/desk/tickets/${id}/reply`, { text: `Chào bạn, đây là câu trả lời cho ${c.handoff.ticket}.` });
      if (r.status !== 201) throw new Error(`reply ${r.status}`);
    }
    await Promise.race([Promise.all(followers), new Promise((r) => setTimeout(r, 30_000))]);
    const deliveryMs = citizens.filter((c) => received.has(c.handoff.ticket)).map((c) => received.get(c.handoff.ticket)![0] - sentAt.get(c.handoff.ticket)!);
    const notDelivered = citizens.length - deliveryMs.length;
    const duplicated = [...received.values()].filter((v) => v.length > 1).length;

    console.log(`Staff desk bench: ${N} tickets opened at once (web), one desk stream, one scripted officer`);
    console.log(`${'all tickets opened'.padEnd(44)} ${openMs.toFixed(0)} ms`);
    line('open → ticket.new on the desk stream', eventMs);
    line(`queue route, ${listed} tickets waiting`, listMs);
    line(`staff send → received by a waiting widget (${waiting} held)`, deliveryMs);
    console.log(`events lost ${lostEvents}, duplicated ${duplicateEvents}; replies not delivered ${notDelivered}, duplicated ${duplicated}`);
    await reader.cancel().catch(() => undefined);
  } finally {
    await app.close();
    assistant.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * Channels bench (local only): starts the fake Zalo Open API and the assistant + channels on
 * 127.0.0.1 over a throw-away data folder, sends a burst of signed webhook events, waits for the
 * outbox to drain, and prints webhook ack latency, end-to-end latency (webhook receipt → the
 * outbound call reaching the fake Zalo server), messages lost and duplicates sent.
 *
 *   npx tsx scripts/channels-bench.ts [--events 1000] [--users 250] [--concurrency 50]
 *                                     [--redeliver 0.05] [--faults 0] [--tickets 200] [--json]
 *
 * --redeliver: share of events posted a second time (Zalo retries), which must be de-duplicated.
 * --faults: share of sends the fake answers with a 5xx or -32 first (retried with backoff).
 * --tickets: after the burst, that many Zalo users ask for a person at once ("Gặp cán bộ"); a
 *   scripted officer claims and answers every ticket; prints staff "send" → the reply reaching
 *   the fake Zalo server, replies lost and duplicated (issue 16). 0 skips the phase.
 *
 * The events are posted by a separate load-generator process (this script with --client), so the
 * client's own work does not run on the server's event loop.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildApp } from '../server/app.js';
import { createAssistant } from '../server/assistant.js';
import { loadConfig } from '../server/config.js';
import { channelsPlugin } from '../channels/channels-plugin.js';
import { loadChannelsConfig } from '../channels/config.js';
import type { ChannelRuntime } from '../channels/runtime.js';
import { startFakeZaloServer } from '../channels/zalo/testing/fake-zalo-server.js';
import { postZaloEvent, textEvent } from '../channels/zalo/testing/zalo-webhook-client.js';
import { parseOfficeHours } from '../server/handoff/office-hours.js';
import { createUserStore } from '../server/staff/users.js';

function num(name: string, fallback: number, min: number, max: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < min || v > max) throw new Error(`${name} must be between ${min} and ${max}`);
  return v;
}

const EVENTS = num('--events', 1000, 1, 10_000);
const USERS = num('--users', 250, 1, 10_000);
const CONCURRENCY = num('--concurrency', 50, 1, 500);
const REDELIVER = num('--redeliver', 0.05, 0, 1);
const FAULTS = num('--faults', 0, 0, 0.5);
const TICKETS = num('--tickets', 200, 0, 5000);
const JSON_OUT = process.argv.includes('--json');

const QUESTIONS = [
  'Đăng ký thường trú cần những giấy tờ gì?',
  'Quên mật khẩu VNeID thì làm sao?',
  'dang ky khai sinh cho con tren mang',
  'Tra cứu tình trạng hồ sơ bằng mã hồ sơ',
  'lệ phí cấp hộ chiếu bao nhiêu',
  'How can I renew my passport online?',
  'đổi giấy phép lái xe trực tuyến',
  'Gặp cán bộ',
  'thủ tục phúc khảo bài thi tốt nghiệp trung học phổ thông',
  'cccd gắn chip làm ở đâu',
  'xin chào',
  'nộp hồ sơ trên cổng dịch vụ công bị lỗi',
];

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
const fmt = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : 'n/a');

type ClientJob = { url: string; sign: { id: string; secret: string }; events: Array<Record<string, unknown>>; concurrency: number };
type ClientResult = { ack: number[]; statuses: Record<string, number> };

/** Load generator (child process): posts the events, `concurrency` at a time, fresh timestamps. */
async function clientMain(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const job = JSON.parse(input) as ClientJob;
  const ack: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  async function lane(): Promise<void> {
    while (next < job.events.length) {
      const ev = { ...job.events[next++], timestamp: String(Date.now()) };
      const s = performance.now();
      const r = await postZaloEvent(job.url, ev, job.sign);
      ack.push(performance.now() - s);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  process.stdout.write(JSON.stringify({ ack, statuses } satisfies ClientResult));
}

function runClient(job: ClientJob): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--client'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ClientResult) : reject(new Error(`load generator exited with ${code}`))));
    child.stdin.end(JSON.stringify(job));
  });
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-channels-bench-'));
  // Retries are expected with --faults; only errors are printed.
  const quiet = pino({ level: 'error' });
  const fake = await startFakeZaloServer({ refreshTokens: ['bench-seed'] });
  if (!/^http:\/\/127\.0\.0\.1:/.test(fake.url)) throw new Error('the fake Zalo server must be on loopback');
  const env = {
    ZALO_APP_ID: 'app-123',
    ZALO_OA_ID: 'oa-456',
    ZALO_OA_SECRET_KEY: 'bench-oa-secret',
    ZALO_APP_SECRET: 'app-secret',
    ZALO_API_BASE_URL: fake.url,
    ZALO_OAUTH_BASE_URL: fake.url,
    ZALO_REFRESH_TOKEN: 'bench-seed',
    CHANNELS_USER_RATE_MAX: '1000',
    CHANNELS_BACKOFF_BASE_MS: '200',
    CHANNELS_BACKOFF_MAX_MS: '2000',
  };
  const t0 = performance.now();
  const assistant = await createAssistant(loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), quiet);
  const startupMs = performance.now() - t0;
  const app = await buildApp({ assistant });
  let runtime: ChannelRuntime | null = null;
  await app.register(channelsPlugin, { assistant, config: loadChannelsConfig(env), log: quiet, isTest: true, onRuntime: (r) => (runtime = r) });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `${base}/channels/zalo/webhook`;
  const sign = { id: 'app-123', secret: 'bench-oa-secret' };
  const db = assistant.db;

  // Faults: the fake answers some sends with a 5xx or -32 first.
  if (FAULTS > 0) {
    const n = Math.round(EVENTS * FAULTS);
    for (let i = 0; i < n; i++) fake.forced.push(i % 2 ? { type: 'error', code: -32 } : { type: 'http', status: 503 });
  }

  const events = Array.from({ length: EVENTS }, (_, i) => textEvent({ appId: 'app-123', userId: `bench-user-${i % USERS}`, text: QUESTIONS[i % QUESTIONS.length], msgId: `bench-${i}` }));
  const every = REDELIVER > 0 ? Math.max(1, Math.round(1 / REDELIVER)) : 0;
  const redeliver = every ? events.filter((_, i) => i % every === 0) : [];
  const burstStart = performance.now();
  const client = await runClient({ url, sign, events: [...events, ...redeliver], concurrency: CONCURRENCY });
  const burstMs = performance.now() - burstStart;
  const ack = client.ack;
  const statuses = new Map(Object.entries(client.statuses).map(([k, v]) => [Number(k), v]));

  // Wait for the outbox to drain.
  const deadline = Date.now() + 300_000;
  for (;;) {
    const open = db.prepare(`SELECT
        (SELECT COUNT(*) FROM channel_inbox WHERE state IN ('received', 'processing')) +
        (SELECT COUNT(*) FROM channel_outbox WHERE state IN ('pending', 'sending')) AS n`).get() as { n: number };
    if (open.n === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const drainMs = performance.now() - burstStart;

  // Lost: an acknowledged unique event with no inbox row, or whose replies were not all delivered.
  const inbox = db.prepare("SELECT id, external_id, received_at, state FROM channel_inbox WHERE channel = 'zalo'").all() as Array<{ id: number; external_id: string; received_at: number; state: string }>;
  const byExternal = new Map(inbox.map((r) => [r.external_id, r]));
  const outbox = db.prepare("SELECT id, inbox_id, part, state, provider_message_id FROM channel_outbox WHERE channel = 'zalo'").all() as Array<{ id: number; inbox_id: number; part: number; state: string; provider_message_id: string | null }>;
  const outByInbox = new Map<number, typeof outbox>();
  for (const o of outbox) outByInbox.set(o.inbox_id, [...(outByInbox.get(o.inbox_id) ?? []), o]);
  const sentById = new Map<string, number>();
  const sentAt = new Map<string, number>();
  for (const m of fake.sent) {
    sentById.set(m.messageId, (sentById.get(m.messageId) ?? 0) + 1);
    sentAt.set(m.messageId, m.at);
  }
  let lost = 0;
  const e2e: number[] = [];
  for (const e of events) {
    const row = byExternal.get(String((e.message as { msg_id: string }).msg_id));
    const parts = row ? (outByInbox.get(row.id) ?? []) : [];
    const delivered = parts.filter((p) => p.state === 'sent' && p.provider_message_id && sentById.has(p.provider_message_id));
    if (!row || row.state !== 'answered' || parts.length === 0 || delivered.length !== parts.length) {
      lost++;
      continue;
    }
    const first = parts.sort((a, b) => a.part - b.part)[0];
    e2e.push(sentAt.get(first.provider_message_id!)! - row.received_at);
  }
  // Duplicates: provider messages that are not the one recorded message of an outbox row.
  const recorded = new Set(outbox.filter((o) => o.state === 'sent' && o.provider_message_id).map((o) => o.provider_message_id!));
  const duplicates = fake.sent.length - fake.sent.filter((m) => recorded.has(m.messageId)).length + (fake.sent.length - sentById.size);

  /** Tickets opened over Zalo at once and answered by a scripted officer (the ticket store, as the desk route calls it). */
  async function handoffPhase() {
    const province = assistant.config.province;
    const profile = assistant.profiles.get(province)!;
    assistant.profiles.set(province, { ...profile, handoff: { hours: parseOfficeHours({ 'mon-sat': ['00:00-23:59'], sun: ['00:00-23:59'] }, []), firstResponseMinutes: 30 } });
    const officer = await createUserStore(db).create('bench-officer', 'bench officer password', 'reviewer');
    const asks = Array.from({ length: TICKETS }, (_, i) => textEvent({ appId: 'app-123', userId: `bench-handoff-${i}`, text: 'Gặp cán bộ', msgId: `bench-handoff-${i}` }));
    const opening = performance.now();
    await runClient({ url, sign, events: asks, concurrency: CONCURRENCY });
    const openCount = db.prepare("SELECT COUNT(*) AS n FROM tickets WHERE channel = 'zalo' AND status = 'waiting'");
    for (const end = Date.now() + 120_000; (openCount.get() as { n: number }).n < TICKETS && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    const openedMs = performance.now() - opening;
    const rows = db.prepare("SELECT id, code FROM tickets WHERE channel = 'zalo' AND status = 'waiting' ORDER BY id").all() as Array<{ id: number; code: string }>;
    const sentAt = new Map<string, number>();
    for (const t of rows) {
      assistant.tickets.claim(officer, t.id, new Date());
      sentAt.set(t.code, Date.now());
      assistant.tickets.reply(officer, t.id, `Chào bạn, cán bộ trả lời yêu cầu ${t.code}.`, new Date());
      // One event-loop turn per reply, as separate HTTP requests from the desk would give.
      await new Promise((r) => setImmediate(r));
    }
    const arrived = () => rows.filter((t) => fake.sent.some((m) => m.text.includes(`yêu cầu ${t.code}`))).length;
    for (const end = Date.now() + 60_000; arrived() < rows.length && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
    const delivery: number[] = [];
    let lostReplies = 0;
    let duplicateReplies = 0;
    for (const t of rows) {
      const got = fake.sent.filter((m) => m.text.includes(`yêu cầu ${t.code}`));
      if (!got.length) lostReplies++;
      else delivery.push(got[0].at - sentAt.get(t.code)!);
      if (got.length > 1) duplicateReplies++;
    }
    delivery.sort((a, b) => a - b);
    return { tickets: rows.length, openedMs: Math.round(openedMs), delivery: { p50: percentile(delivery, 50), p95: percentile(delivery, 95), max: delivery[delivery.length - 1] }, lost: lostReplies + (TICKETS - rows.length), duplicates: duplicateReplies };
  }

  ack.sort((a, b) => a - b);
  e2e.sort((a, b) => a - b);
  const stats = runtime!.store.stats();
  // After the burst's figures are taken, so they count the burst only.
  const handoff = TICKETS > 0 ? await handoffPhase() : null;
  const result = {
    events: EVENTS,
    users: USERS,
    redelivered: redeliver.length,
    concurrency: CONCURRENCY,
    faults: Math.round(EVENTS * FAULTS),
    httpStatuses: Object.fromEntries(statuses),
    assistantStartupMs: Math.round(startupMs),
    burstMs: Math.round(burstMs),
    drainMs: Math.round(drainMs),
    webhookAck: { p50: percentile(ack, 50), p95: percentile(ack, 95), p99: percentile(ack, 99), max: ack[ack.length - 1] },
    endToEnd: { p50: percentile(e2e, 50), p95: percentile(e2e, 95), p99: percentile(e2e, 99), max: e2e[e2e.length - 1] },
    inbox: stats.inbox,
    outbox: stats.outbox,
    providerMessages: fake.sent.length,
    tokenRefreshes: fake.refreshCalls,
    lost,
    duplicates,
    handoff,
    machine: `${os.cpus().length} CPU, ${os.cpus()[0]?.model ?? ''}, node ${process.version}`,
  };
  await app.close();
  assistant.close();
  await fake.close();
  fs.rmSync(dataDir, { recursive: true, force: true });

  if (JSON_OUT) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  console.log(`Channels bench — ${result.machine}`);
  console.log(`  ${EVENTS} signed Zalo webhook events from ${USERS} users (+${result.redelivered} re-deliveries), ${CONCURRENCY} in flight from a separate process, faults injected: ${result.faults}`);
  console.log(`  HTTP statuses: ${JSON.stringify(result.httpStatuses)}   burst ${result.burstMs} ms, drained after ${result.drainMs} ms`);
  console.log(`  webhook ack latency   p50 ${fmt(result.webhookAck.p50)}   p95 ${fmt(result.webhookAck.p95)}   p99 ${fmt(result.webhookAck.p99)}   max ${fmt(result.webhookAck.max)}`);
  console.log(`  end-to-end latency    p50 ${fmt(result.endToEnd.p50)}   p95 ${fmt(result.endToEnd.p95)}   p99 ${fmt(result.endToEnd.p99)}   max ${fmt(result.endToEnd.max)}`);
  console.log(`  inbox ${JSON.stringify(result.inbox)}  outbox ${JSON.stringify(result.outbox)}  provider messages ${result.providerMessages}  token refreshes ${result.tokenRefreshes}`);
  console.log(`  messages lost: ${result.lost}   duplicates sent: ${result.duplicates}`);
  if (handoff) {
    console.log(`  handoff: ${TICKETS} users asked for a person at once; ${handoff.tickets} tickets open after ${handoff.openedMs} ms; one scripted officer answered each`);
    console.log(`  staff send → fake Zalo   p50 ${fmt(handoff.delivery.p50)}   p95 ${fmt(handoff.delivery.p95)}   max ${fmt(handoff.delivery.max)}   replies lost: ${handoff.lost}   duplicated: ${handoff.duplicates}`);
  }
  if (result.lost || result.duplicates || handoff?.lost || handoff?.duplicates) process.exitCode = 1;
}

(process.argv.includes('--client') ? clientMain() : main()).catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});

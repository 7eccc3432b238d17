import crypto from 'node:crypto';
import type { Pipeline } from '../../server/pipeline/pipeline.js';
import type { AdapterContext, ChannelAdapter, Plan } from './adapter.js';
import { backoffDelay } from './backoff.js';
import { detectKeyword } from './keywords.js';
import { createLoopControl, leaseHeartbeat } from './loop.js';
import { channelMessage, languageSetMessage } from './messages.js';
import { LeaseLostError, type ChannelStore, type Completion } from './store.js';
import type { ChannelHooks, ChannelLogger, ChannelName, InboxRow } from './types.js';
import { createWaker } from './waker.js';

export interface WorkerConfig {
  leaseMs: number;
  pollMs: number;
  maxProcessAttempts: number;
  userRateMax: number;
  userRateWindowMs: number;
  retryBaseMs: number;
  /** Longest the worker defers to in-flight webhooks between two messages. */
  deferMaxMs?: number;
}

/** The texts of channel payloads as the user will read them, for the review console. */
export function shownText(payloads: unknown[]): string {
  const texts: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') texts.push(x);
        else walk(x);
      }
    }
  };
  walk(payloads);
  return texts.join('\n\n— — —\n\n');
}

export interface WorkerDeps {
  /** Store the reply exactly as the channel will show it (Zalo text, SMS parts) with the answer. */
  recordShownReply?: (answerId: string, shown: string) => void;
  store: ChannelStore;
  pipeline: Pick<Pipeline, 'handle'>;
  adapters: ChannelAdapter[];
  config: WorkerConfig;
  log: ChannelLogger;
  hotline: string;
  /** The service notice shown now in a language (null: none); put before every answer. */
  notice?: (lang: string | null) => string | null;
  /** Province code passed to the pipeline (undefined: the assistant's default). */
  province?: string;
  hooks?: ChannelHooks;
  /** Called after replies were queued (wakes the sender). */
  onQueued?: () => void;
  /**
   * True while webhook requests are being answered. The worker then waits (at most
   * `config.deferMaxMs` per message) so that acknowledging Zalo and the gateway comes first.
   */
  webhooksBusy?: () => boolean;
  now?: () => number;
  isTest?: boolean;
}

/**
 * Turns inbox rows into answers. One row at a time, oldest first, never two rows of the same user
 * at once. The answer's replies are queued in the transaction that marks the row answered, so a
 * crash either leaves the row to be taken again (lease expiry) or has queued its replies exactly once.
 */
export function createInboxWorker(deps: WorkerDeps) {
  const { store, config, log } = deps;
  const now = deps.now ?? Date.now;
  const owner = `worker-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const adapters = new Map(deps.adapters.map((a) => [a.channel, a]));
  const channels = [...adapters.keys()] as ChannelName[];
  const hook = (p: Parameters<NonNullable<ChannelHooks['at']>>[0]) => deps.hooks?.at?.(p);
  const waker = createWaker();
  const control = createLoopControl(waker, loop);

  function plan(row: InboxRow, adapter: ChannelAdapter, user: ReturnType<ChannelStore['ensureUser']>, ctx: AdapterContext): Plan {
    const own = adapter.before(row, user, ctx);
    if (own) return own;
    if (row.kind !== 'text' || !row.text) return { type: 'none', outcome: 'ignored' };

    // Per-user rate limit over the messages received in the window before this one.
    const recent = store.countRecent(row, row.receivedAt - config.userRateWindowMs);
    if (recent >= config.userRateMax) {
      if (user.limitNoticeUntil !== null && row.receivedAt < user.limitNoticeUntil) return { type: 'none', outcome: 'limited' };
      const seconds = Math.ceil(config.userRateWindowMs / 1000);
      return {
        type: 'reply',
        outcome: 'limited',
        messages: adapter.notice(channelMessage(user.lang, 'please_wait', { seconds }), user, ctx),
        userUpdate: { limitNoticeUntil: row.receivedAt + config.userRateWindowMs },
      };
    }

    const kw = detectKeyword(row.text);
    if (kw?.kind === 'language') {
      const switched = { ...user, lang: kw.lang };
      return { type: 'reply', outcome: 'keyword', messages: adapter.notice(languageSetMessage(kw.lang), switched, ctx), userUpdate: { lang: kw.lang } };
    }
    if (kw?.kind === 'handoff') return { type: 'pipeline', text: row.text, lang: kw.lang, userUpdate: { lang: kw.lang } };
    return { type: 'pipeline', text: row.text, lang: user.lang };
  }

  async function handle(row: InboxRow): Promise<void> {
    const adapter = adapters.get(row.channel);
    if (!adapter) throw new Error(`no adapter for channel ${row.channel}`);
    const t = now();
    const user = store.ensureUser(row.channel, row.userId, t);
    const ctx: AdapterContext = { hotline: deps.hotline, now: t };
    hook('worker:claimed');

    if (row.attempts > config.maxProcessAttempts) {
      // A message that failed (or crashed the process) every time: apologise once, keep the rest going.
      log.error({ inbox: row.id, channel: row.channel, attempts: row.attempts }, 'channel message failed too many times');
      const messages = row.kind === 'text' ? adapter.notice(channelMessage(user.lang, 'failure', { hotline: deps.hotline }), user, ctx) : [];
      store.completeInbox(row, owner, { state: 'failed', outcome: 'error', error: 'too many attempts', outbox: messages }, now());
      deps.onQueued?.();
      return;
    }

    const p = plan(row, adapter, user, ctx);
    let completion: Completion;
    if (p.type === 'pipeline') {
      const lang = p.userUpdate && 'lang' in p.userUpdate ? p.userUpdate.lang : p.lang;
      const { answer } = await deps.pipeline.handle({
        text: p.text,
        channel: row.channel,
        userRef: user.userRef,
        conversationId: user.conversationId,
        ...(lang ? { lang } : {}),
        ...(deps.province ? { province: deps.province } : {}),
        ...(deps.isTest ? { isTest: true } : {}),
      });
      hook('worker:answered');
      // A person holds the conversation: the assistant says nothing (the staff reply comes through
      // the outbox on its own).
      const silent = answer.handoff?.status === 'live' && answer.text === '';
      const formatted = silent ? { messages: [], userUpdate: undefined } : adapter.answer(answer, { ...user, lang: lang ?? user.lang }, { ...ctx, notice: deps.notice?.(answer.lang) ?? null });
      deps.recordShownReply?.(answer.answerId, shownText(formatted.messages));
      completion = {
        state: 'answered',
        outcome: answer.kind,
        answerId: answer.answerId,
        outbox: formatted.messages,
        userUpdate: { ...p.userUpdate, ...formatted.userUpdate },
      };
    } else if (p.type === 'reply') {
      completion = { state: 'answered', outcome: p.outcome, outbox: p.messages, userUpdate: p.userUpdate, cancelPending: p.cancelPending };
    } else {
      completion = { state: 'answered', outcome: p.outcome, outbox: [], userUpdate: p.userUpdate };
    }
    store.completeInbox(row, owner, completion, now());
    hook('worker:committed');
    log.debug({ inbox: row.id, channel: row.channel, outcome: completion.outcome, replies: completion.outbox.length }, 'channel message processed');
    if (completion.outbox.length) deps.onQueued?.();
  }

  /** Takes and processes one due inbox row. False when there was none. */
  async function processOne(): Promise<boolean> {
    const row = store.claimInbox(owner, config.leaseMs, now(), channels);
    if (!row) return false;
    const stopBeat = leaseHeartbeat(config.leaseMs, () => store.renewInboxLease(row, owner, now() + config.leaseMs));
    try {
      await handle(row);
    } catch (err) {
      if (err instanceof LeaseLostError) {
        log.warn({ inbox: row.id }, 'inbox lease lost; another worker finished the row');
        return true;
      }
      const delay = backoffDelay(row.attempts, config.retryBaseMs, 60_000);
      log.error({ inbox: row.id, channel: row.channel, attempt: row.attempts, err: { message: (err as Error).message } }, 'channel message processing failed; will retry');
      store.retryInbox(row, owner, (err as Error).message.slice(0, 500), now() + delay);
    } finally {
      stopBeat();
    }
    return true;
  }

  async function loop(running: () => boolean): Promise<void> {
    while (running()) {
      let did = false;
      try {
        did = await processOne();
      } catch (err) {
        log.error({ err: { message: (err as Error).message } }, 'channel worker error');
      }
      if (did) {
        // Let webhooks and sends in between; acknowledging comes before answering.
        await new Promise((r) => setImmediate(r));
        const until = now() + (config.deferMaxMs ?? 250);
        while (running() && deps.webhooksBusy?.() && now() < until) await new Promise((r) => setTimeout(r, 2));
        continue;
      }
      const due = store.nextInboxDue(channels);
      const wait = due === null ? config.pollMs : Math.max(5, Math.min(config.pollMs, due - now() + 5));
      await waker.wait(wait);
    }
  }

  return {
    owner,
    processOne,
    kick: () => waker.kick(),
    start: control.start,
    stop: control.stop,
  };
}

export type InboxWorker = ReturnType<typeof createInboxWorker>;

import type { Assistant } from '../server/assistant.js';
import { createAnswerLog } from '../server/storage/answer-log.js';
import type { ChannelsConfig } from './config.js';
import type { ChannelAdapter } from './core/adapter.js';
import { createOutboxSender } from './core/sender.js';
import { createChannelStore } from './core/store.js';
import { createInboxCipher, loadOrCreateInboxKey } from './core/inbox-cipher.js';
import type { ChannelHooks, ChannelLogger, Transport } from './core/types.js';
import { createInboxWorker } from './core/worker.js';
import { createStaffReplyForwarder } from './core/staff-replies.js';
import { createSmsAdapter } from './sms/sms-adapter.js';
import { createSmsHttpTransport } from './sms/sms-http.js';
import { createSmppClient, type SmppClient } from './sms/smpp-client.js';
import { createDeliverHandler, createSmppTransport } from './sms/smpp-transport.js';
import { createZaloAdapter } from './zalo/zalo-adapter.js';
import { createZaloTransport } from './zalo/zalo-api.js';
import { createZaloTokenManager, type ZaloTokenManager } from './zalo/zalo-tokens.js';

export interface ChannelRuntimeOptions {
  assistant: Pick<Assistant, 'db' | 'pipeline' | 'profiles' | 'config'> & Partial<Pick<Assistant, 'controls' | 'deskEvents'>>;
  config: ChannelsConfig;
  log: ChannelLogger;
  hooks?: ChannelHooks;
  /** Mark the pipeline's answers as test traffic (bench, tests). */
  isTest?: boolean;
}

/** The hotline SMS and Zalo replies show: the active province's line, else the national one. */
export function provinceHotline(assistant: Pick<Assistant, 'profiles' | 'config'>): string {
  const profile = assistant.profiles.get(assistant.config.province) ?? assistant.profiles.get('national');
  return profile?.values.province_hotline || profile?.values.national_hotline || '';
}

/**
 * Everything the enabled channels need besides their HTTP routes: store, adapters, transports,
 * the inbox worker, the outbox sender, the SMPP session, the retention job.
 */
export function createChannelRuntime(opts: ChannelRuntimeOptions) {
  const { assistant, config, log } = opts;
  const store = createChannelStore(assistant.db, { cipher: createInboxCipher(loadOrCreateInboxKey(assistant.config.inboxKeyFile)) });
  const adapters: ChannelAdapter[] = [];
  const transports: Transport[] = [];
  let tokens: ZaloTokenManager | null = null;
  let smpp: SmppClient | null = null;
  let retentionTimer: NodeJS.Timeout | null = null;

  if (config.zalo) {
    const z = config.zalo;
    tokens = createZaloTokenManager({
      db: assistant.db,
      appId: z.appId,
      appSecret: z.appSecret ?? '',
      oauthBaseUrl: z.oauthBaseUrl,
      refreshMarginMs: z.refreshMarginMs,
      timeoutMs: z.requestTimeoutMs,
      seedRefreshToken: z.refreshTokenSeed,
      log,
    });
    adapters.push(createZaloAdapter({ maxChars: z.maxTextChars }));
    transports.push(
      createZaloTransport({
        apiBaseUrl: z.apiBaseUrl,
        timeoutMs: z.requestTimeoutMs,
        tokens,
        log,
        reconcile: z.reconcile,
        isKnownProviderId: (id) => store.isKnownProviderId('zalo', id),
      }),
    );
  }

  // Webhook requests in flight (counted by the routes' hooks): the worker defers to them.
  let webhooksInFlight = 0;
  // The worker wakes the sender; SMPP deliveries wake the worker.
  let kickSender = () => {};
  let kickWorker = () => {};

  if (config.sms) {
    adapters.push(createSmsAdapter(config.sms));
    if (config.sms.transport === 'http' && config.sms.http) {
      transports.push(createSmsHttpTransport(config.sms.http));
    } else if (config.sms.transport === 'smpp' && config.sms.smpp) {
      const onDeliver = createDeliverHandler({ store, log, onInbox: () => kickWorker() });
      smpp = createSmppClient({ config: config.sms.smpp, log, onDeliver });
      transports.push(createSmppTransport(smpp, config.sms.smpp));
    }
  }

  const c = config.core;
  const answerLog = createAnswerLog(assistant.db);
  const worker = createInboxWorker({
    store,
    pipeline: assistant.pipeline,
    recordShownReply: (answerId, shown) => answerLog.setShownReply(answerId, shown),
    adapters,
    config: {
      leaseMs: c.workerLeaseMs,
      pollMs: c.pollMs,
      maxProcessAttempts: c.maxProcessAttempts,
      userRateMax: c.userRateMax,
      userRateWindowMs: c.userRateWindowMs,
      retryBaseMs: c.backoffBaseMs,
    },
    log,
    hotline: provinceHotline(assistant),
    notice: (lang) => assistant.controls?.publicNotice(lang)?.text ?? null,
    hooks: opts.hooks,
    onQueued: () => kickSender(),
    webhooksBusy: () => webhooksInFlight > 0,
    isTest: opts.isTest,
  });
  const sender = createOutboxSender({
    store,
    transports,
    config: {
      leaseMs: c.sendLeaseMs,
      pollMs: c.pollMs,
      maxAttempts: c.sendMaxAttempts,
      backoffBaseMs: c.backoffBaseMs,
      backoffMaxMs: c.backoffMaxMs,
      concurrency: c.sendConcurrency,
      unknownOutcome: c.unknownOutcome,
      reconcileSkewMs: 5_000,
    },
    log,
    hooks: opts.hooks,
  });
  kickSender = () => sender.kick();
  kickWorker = () => worker.kick();
  const forwarder = createStaffReplyForwarder({ db: assistant.db, store, adapters, hotline: provinceHotline(assistant), log, hooks: opts.hooks });
  let forwardTimer: NodeJS.Timeout | null = null;
  let stopListening: (() => void) | null = null;
  /** Staff replies are written by the ticket module; this pass puts them in the outbox. */
  const forwardStaffReplies = (): number => {
    try {
      const n = forwarder.forward();
      if (n) kickSender();
      return n;
    } catch (err) {
      log.error({ err: { message: (err as Error).message } }, 'forwarding staff replies failed');
      return 0;
    }
  };

  function purge(): void {
    try {
      const n = store.purgeInactiveUsers(c.userRetentionDays * 86_400_000, Date.now());
      if (n) log.info({ users: n }, 'channel users past retention purged');
    } catch (err) {
      log.error({ err: { message: (err as Error).message } }, 'channel retention purge failed');
    }
  }

  return {
    store,
    worker,
    sender,
    tokens,
    smpp,
    enabled: adapters.length > 0,
    kickWorker: () => worker.kick(),
    forwardStaffReplies,
    /** Webhook routes call these around each request. */
    webhookStarted: () => void webhooksInFlight++,
    webhookFinished: () => void (webhooksInFlight = Math.max(0, webhooksInFlight - 1)),
    start(): void {
      if (!adapters.length) return;
      purge();
      retentionTimer = setInterval(purge, 3_600_000);
      retentionTimer.unref();
      worker.start();
      sender.start();
      smpp?.start();
      forwardStaffReplies();
      // A staff reply is forwarded as soon as it is written (the event comes after the commit);
      // the timer stays for replies written by another process and for any event missed.
      stopListening = assistant.deskEvents?.listen((e) => {
        if (e.type === 'ticket.message') forwardStaffReplies();
      }) ?? null;
      forwardTimer = setInterval(forwardStaffReplies, c.pollMs);
      forwardTimer.unref();
    },
    async stop(): Promise<void> {
      if (retentionTimer) clearInterval(retentionTimer);
      retentionTimer = null;
      if (forwardTimer) clearInterval(forwardTimer);
      forwardTimer = null;
      stopListening?.();
      stopListening = null;
      await worker.stop();
      await sender.stop();
      await smpp?.stop();
    },
  };
}

export type ChannelRuntime = ReturnType<typeof createChannelRuntime>;

import type { FastifyInstance } from 'fastify';
import type { Assistant } from '../server/assistant.js';
import type { ChannelsConfig } from './config.js';
import type { ChannelHooks, ChannelLogger } from './core/types.js';
import { createChannelRuntime, type ChannelRuntime } from './runtime.js';
import { smsHttpChannel } from './sms/sms-http.js';
import { zaloChannel } from './zalo/zalo-webhook.js';

export interface ChannelsPluginOptions {
  assistant: Pick<Assistant, 'db' | 'pipeline' | 'profiles' | 'config'> & Partial<Pick<Assistant, 'controls' | 'deskEvents'>>;
  config: ChannelsConfig;
  /** Operational logger (defaults to the app's). Message text and user ids never reach it. */
  log?: ChannelLogger;
  /** Tests and the bench: crash hooks, test-traffic marking, access to the runtime. */
  hooks?: ChannelHooks;
  isTest?: boolean;
  onRuntime?: (runtime: ChannelRuntime) => void;
}

/**
 * Zalo OA and SMS channels. Registers the routes of the enabled channels
 * (`POST /channels/zalo/webhook`, `GET|POST /channels/sms/inbound`), starts the inbox worker,
 * the outbox sender and the SMPP session when the app is ready, and stops them when it closes.
 * With nothing configured it registers nothing.
 */
export async function channelsPlugin(app: FastifyInstance, opts: ChannelsPluginOptions): Promise<void> {
  const log = opts.log ?? app.log;
  const runtime = createChannelRuntime({ assistant: opts.assistant, config: opts.config, log, hooks: opts.hooks, isTest: opts.isTest });
  opts.onRuntime?.(runtime);
  if (!runtime.enabled) return;
  // Count webhook requests in flight so that the worker lets them go first.
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/channels/')) return;
    runtime.webhookStarted();
    // 'close' fires exactly once, whether the response was sent or the client went away.
    reply.raw.once('close', runtime.webhookFinished);
  });
  if (opts.config.zalo) {
    await app.register(zaloChannel, { config: opts.config.zalo, store: runtime.store, log, onInbox: runtime.kickWorker });
  }
  if (opts.config.sms?.transport === 'http' && opts.config.sms.http) {
    await app.register(smsHttpChannel, { config: opts.config.sms.http, store: runtime.store, log, onInbox: runtime.kickWorker });
  }
  app.addHook('onReady', async () => {
    runtime.start();
    log.info({ zalo: Boolean(opts.config.zalo), sms: opts.config.sms?.transport ?? 'none' }, 'channels started');
  });
  app.addHook('onClose', async () => {
    await runtime.stop();
  });
}

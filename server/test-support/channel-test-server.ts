import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { createTempAssistant, type TempAssistant } from './temp-assistant.js';
import { channelsPlugin } from '../../channels/channels-plugin.js';
import { loadChannelsConfig, type ChannelsConfig } from '../../channels/config.js';
import type { ChannelHooks } from '../../channels/core/types.js';
import type { ChannelRuntime } from '../../channels/runtime.js';
import pino from 'pino';

/** Test support: the real app (server/app.ts) plus channelsPlugin, on 127.0.0.1 port 0. */

export interface ChannelsApp {
  app: FastifyInstance;
  base: string;
  runtime: ChannelRuntime;
  config: ChannelsConfig;
  /** Everything the channels' logger wrote (to check that no text or user id reaches it). */
  logLines: string[];
}

export const FAST_CORE_ENV: Record<string, string> = {
  CHANNELS_POLL_MS: '50',
  CHANNELS_BACKOFF_BASE_MS: '20',
  CHANNELS_BACKOFF_MAX_MS: '200',
  CHANNELS_SEND_LEASE_MS: '3000',
  CHANNELS_WORKER_LEASE_MS: '3000',
};

export function zaloEnv(fakeUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...FAST_CORE_ENV,
    ZALO_APP_ID: 'app-123',
    ZALO_OA_ID: 'oa-456',
    ZALO_OA_SECRET_KEY: 'oa-secret-key',
    ZALO_APP_SECRET: 'app-secret',
    ZALO_API_BASE_URL: fakeUrl,
    ZALO_OAUTH_BASE_URL: fakeUrl,
    ZALO_REFRESH_TOKEN: 'rt-seed',
    ZALO_REQUEST_TIMEOUT_MS: '1000',
    ...extra,
  };
}

export async function startChannelsApp(t: TempAssistant, env: Record<string, string>, opts: { hooks?: ChannelHooks } = {}): Promise<ChannelsApp> {
  const config = loadChannelsConfig(env);
  const logLines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  const app = await buildApp({ assistant: t.assistant });
  let runtime: ChannelRuntime | null = null;
  await app.register(channelsPlugin, { assistant: t.assistant, config, log, hooks: opts.hooks, isTest: true, onRuntime: (r) => (runtime = r) });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base, runtime: runtime!, config, logLines };
}

export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 10_000, everyMs = 20): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export { createTempAssistant };

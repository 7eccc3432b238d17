import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { PROJECT_ROOT } from '../project-root.js';
import { loadChannelsConfig, type ChannelsConfig } from '../../channels/config.js';
import { parseAllowedOrigins } from './allowed-origins.js';
import { ConfigError } from './config-error.js';
import { intFrom, numberFrom, type Env } from './env-values.js';
import { loadOpsConfig, type OpsConfig } from './ops-config.js';

export { PROJECT_ROOT, ConfigError, parseAllowedOrigins };
export { fastifyTrustProxy, parseTrustProxy, type OpsConfig } from './ops-config.js';

export type EmbedderConfig =
  | { kind: 'hashed'; dimension: number }
  | { kind: 'transformers'; modelsDir: string; model: string };

export interface Config {
  host: string;
  port: number;
  logLevel: string;
  dataDir: string;
  /** SQLite file for answers, feedback, users, procedure catalogue, inbox/outbox. */
  databasePath: string;
  /** Folder holding knowledge index snapshots and the CURRENT pointer. */
  indexDir: string;
  knowledgeDir: string;
  /** Catalogue imported on first start when the procedure table is empty (optional). */
  seedProceduresFile: string | null;
  province: string;
  embedder: EmbedderConfig;
  maxMessageChars: number;
  rateLimit: { max: number; windowMs: number };
  /** Below this retrieval confidence the assistant falls back instead of answering. */
  answerThreshold: number;
  /** Between this confidence and answerThreshold, with two or three plausible topics, the assistant asks which one is meant. */
  clarifyThreshold: number;
  /** Share of ordinary answers put in the review queue at random, so good answers are checked too. */
  reviewSampleRate: number;
  /** Answer records older than this are deleted by the retention job (aggregates are kept). */
  retentionDays: number;
  /** Set the Secure flag on staff cookies (serve staff pages over HTTPS). */
  secureCookies: boolean;
  /** Portal origins allowed to call the API from the widget (CORS). */
  allowedOrigins: string[];
  /** Server processes sharing the port; on 2 cores one process with the search thread does better (docs/benchmarks.md). */
  workers: number;
  /** Run the lexical and vector searches on a worker thread (on by default with 2+ cores). */
  searchThread: boolean;
  /** WAL checkpoints from a background thread every this many ms; 0 = SQLite's own, on commit. */
  checkpointIntervalMs: number;
  /** Zalo OA, SMS and the channel queues (every channel off unless configured). */
  channels: ChannelsConfig;
  /** Operations: scheduled backups, metrics access, proxy trust (TRUST_PROXY). */
  ops: OpsConfig;
  // --- Privacy and abuse hardening (docs/decisions/0011-privacy-hardening.md) ---
  /** Key sealing raw channel text in the inbox (created on first start); keep it out of database backups. */
  inboxKeyFile: string;
  /** Flood guard per client address, generous for carrier-grade NAT; `rateLimit` is per conversation. */
  addressRateLimitMax: number;
}

/** The sample catalogue shipped with the project (knowledge/procedures/NOTICE.md). */
function defaultSeedProcedures(root: string): string | null {
  const candidate = path.join(root, 'knowledge', 'procedures', 'dvc-procedures-2021.json');
  return fs.existsSync(candidate) ? candidate : null;
}

/**
 * Reads and validates every setting once, from the environment: server, data paths and channels.
 * Only the process entry points call it; everything else receives the result.
 */
export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(env.DATA_DIR ?? path.join(PROJECT_ROOT, 'data'));
  const knowledgeDir = path.resolve(env.KNOWLEDGE_DIR ?? path.join(PROJECT_ROOT, 'knowledge'));
  const province = env.PROVINCE ?? 'kon-tum';
  if (!/^[a-z0-9-]+$/.test(province)) throw new ConfigError(`PROVINCE must be a profile code like "son-la", got "${province}"`);
  if (!fs.existsSync(path.join(knowledgeDir, 'provinces', `${province}.yaml`))) {
    throw new ConfigError(`PROVINCE "${province}" has no profile at ${path.join(knowledgeDir, 'provinces', `${province}.yaml`)}`);
  }

  const embedderKind = env.EMBEDDER ?? (env.EMBEDDING_MODEL ? 'transformers' : 'hashed');
  let embedder: EmbedderConfig;
  if (embedderKind === 'hashed') {
    embedder = { kind: 'hashed', dimension: intFrom(env, 'HASHED_DIMENSION', 1024, 64, 8192) };
  } else if (embedderKind === 'transformers') {
    if (!env.EMBEDDING_MODEL) throw new ConfigError('EMBEDDER=transformers needs EMBEDDING_MODEL (a folder name under MODELS_DIR)');
    embedder = {
      kind: 'transformers',
      model: env.EMBEDDING_MODEL,
      modelsDir: path.resolve(env.MODELS_DIR ?? path.join(PROJECT_ROOT, 'models')),
    };
  } else {
    throw new ConfigError(`EMBEDDER must be "hashed" or "transformers", got "${embedderKind}"`);
  }

  const seed = env.SEED_PROCEDURES_FILE;
  return {
    host: env.HOST ?? '127.0.0.1',
    port: intFrom(env, 'PORT', 3000, 0, 65535),
    logLevel: env.LOG_LEVEL ?? 'info',
    dataDir,
    databasePath: path.resolve(env.DATABASE_PATH ?? path.join(dataDir, 'dvc.sqlite')),
    indexDir: path.resolve(env.INDEX_DIR ?? path.join(dataDir, 'index')),
    knowledgeDir,
    seedProceduresFile: seed === '' || seed === 'none' ? null : seed ? path.resolve(seed) : defaultSeedProcedures(PROJECT_ROOT),
    province,
    embedder,
    maxMessageChars: intFrom(env, 'MAX_MESSAGE_CHARS', 1000, 50, 20000),
    rateLimit: {
      max: intFrom(env, 'RATE_LIMIT_MAX', 30, 1, 100000),
      windowMs: intFrom(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 1000, 86_400_000),
    },
    answerThreshold: numberFrom(env, 'ANSWER_THRESHOLD', 0.5, 0, 1),
    // 0.4 from the tuning sets (decision 0019); 0 turns asking back off.
    clarifyThreshold: (() => {
      const answer = numberFrom(env, 'ANSWER_THRESHOLD', 0.5, 0, 1);
      const clarify = numberFrom(env, 'CLARIFY_THRESHOLD', Math.min(0.4, answer), 0, 1);
      if (clarify > answer) throw new ConfigError(`CLARIFY_THRESHOLD (${clarify}) must not be above ANSWER_THRESHOLD (${answer}): it is the lower edge of the band below answering`);
      return clarify;
    })(),
    reviewSampleRate: numberFrom(env, 'REVIEW_SAMPLE_RATE', 0.1, 0, 1),
    workers: env.WORKERS === 'auto' ? os.availableParallelism() : intFrom(env, 'WORKERS', 1, 1, 64),
    retentionDays: intFrom(env, 'RETENTION_DAYS', 365, 1, 36500),
    checkpointIntervalMs: intFrom(env, 'DB_CHECKPOINT_MS', 1000, 0, 3_600_000),
    searchThread: (() => {
      const v = env.SEARCH_THREAD ?? 'auto';
      if (v === 'auto') return os.availableParallelism() >= 2;
      if (v === 'on' || v === '1') return true;
      if (v === 'off' || v === '0') return false;
      throw new ConfigError(`SEARCH_THREAD must be "auto", "on" or "off", got "${v}"`);
    })(),
    secureCookies: env.SECURE_COOKIES === '1' || env.SECURE_COOKIES === 'true',
    allowedOrigins: parseAllowedOrigins(env.ALLOWED_ORIGINS),
    channels: loadChannelsConfig(env),
    ops: loadOpsConfig(env, dataDir),
    inboxKeyFile: path.resolve(env.INBOX_KEY_FILE ?? path.join(dataDir, 'inbox.key')),
    addressRateLimitMax: intFrom(env, 'RATE_LIMIT_ADDRESS_MAX', 600, 1, 1_000_000),
  };
}

/** The one line printed for a bad setting, whichever command reads the configuration. */
export function configErrorLine(err: ConfigError): string {
  return `Configuration error: ${err.setting}: ${err.why}`;
}

/**
 * For process entry points: the configuration, or `Configuration error: <setting>: <why>` on
 * standard error and exit code 2, before any work is done (no database, no index build).
 */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(configErrorLine(err));
      process.exit(2);
    }
    throw err;
  }
}

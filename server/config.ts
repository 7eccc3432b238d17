import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { parseAllowedOrigins } from './web/cors.js';
import { PROJECT_ROOT } from './project-root.js';

export { PROJECT_ROOT };

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

  // --- Privacy and abuse hardening (docs/decisions/0011-privacy-hardening.md) ---
  /** Key sealing raw channel text in the inbox (created on first start); keep it out of database backups. */
  inboxKeyFile: string;
  /**
   * Which proxies to believe about the client address (X-Forwarded-For): false, a number of hops
   * in front of the server, or the proxies' addresses/CIDR ranges. Fastify's `trustProxy`.
   */
  trustProxy: false | number | string[];
  /** Flood guard per client address, generous for carrier-grade NAT; `rateLimit` is per conversation. */
  addressRateLimitMax: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function intFrom(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${key} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function numberFrom(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new ConfigError(`${key} must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

const PROXY_ADDRESS_RE = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)(?:\/\d{1,3})?$/i;

/** TRUST_PROXY: "off" (default), a hop count ("1"), or proxy addresses/ranges ("10.0.0.5,192.168.0.0/16"). */
export function parseTrustProxy(raw: string | undefined): false | number | string[] {
  const v = (raw ?? '').trim();
  if (v === '' || v === 'off' || v === 'false' || v === '0') return false;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 10) throw new ConfigError(`TRUST_PROXY as a hop count must be between 0 and 10, got "${raw}"`);
    return hops;
  }
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const a of list) {
    if (a !== 'loopback' && a !== 'linklocal' && a !== 'uniquelocal' && !PROXY_ADDRESS_RE.test(a)) {
      throw new ConfigError(`TRUST_PROXY must be "off", a number of hops, or proxy addresses/CIDR ranges separated by commas, got "${a}"`);
    }
  }
  return list;
}

function defaultSeedProcedures(root: string): string | null {
  const candidate = path.resolve(root, '..', 'shared', 'data', 'procedures', 'dvc-procedures-2021.json');
  return fs.existsSync(candidate) ? candidate : null;
}

/** Reads configuration once from the environment; everything else receives the result. */
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
    // --- Privacy and abuse hardening (docs/decisions/0011-privacy-hardening.md) ---
    inboxKeyFile: path.resolve(env.INBOX_KEY_FILE ?? path.join(dataDir, 'inbox.key')),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    addressRateLimitMax: intFrom(env, 'RATE_LIMIT_ADDRESS_MAX', 600, 1, 1_000_000),
    allowedOrigins: (() => {
      try {
        return parseAllowedOrigins(env.ALLOWED_ORIGINS);
      } catch (err) {
        throw new ConfigError(`ALLOWED_ORIGINS: ${(err as Error).message}`);
      }
    })(),
  };
}

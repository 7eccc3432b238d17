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
  /** Operations (issue 17): scheduled backups, metrics access, proxy trust. */
  ops: OpsConfig;
}

// ---- Operations settings (backups, metrics, reverse proxy) ---------------------------------
// Kept in one block so a merge with another branch's TRUST_PROXY can keep exactly one.

export interface OpsConfig {
  /** Scheduled backups: folder, period and how many files to keep; null = no scheduled backups. */
  backup: { dir: string; everyHours: number; keep: number } | null;
  /** Bearer token for /metrics from non-local addresses; null = local addresses only. */
  metricsToken: string | null;
  /** Which peers may set X-Forwarded-For: none, the nearest N hops, or these proxy addresses/CIDRs. */
  trustProxy: false | { hops: number } | { addresses: string[] };
}

/** TRUST_PROXY: off (default), a hop count (1 = one nginx in front), or a comma list of proxy addresses. */
export function parseTrustProxy(raw: string | undefined): OpsConfig['trustProxy'] {
  const v = (raw ?? '').trim();
  if (v === '' || v === 'off' || v === '0' || v === 'false') return false;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 10) throw new ConfigError(`TRUST_PROXY hop count must be at most 10, got "${v}"`);
    return { hops };
  }
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const a of list) {
    // IPv4/IPv6 address, optionally with a /prefix; proxy-addr also knows these names.
    if (!/^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)$/.test(a)) {
      throw new ConfigError(`TRUST_PROXY must be off, a hop count or a comma list of proxy addresses, got "${a}"`);
    }
  }
  return { addresses: list };
}

/**
 * fastify's `trustProxy` for the setting. fastify 5 refuses a bare hop count (it would trust any
 * peer), so hops are given as a function: trust the nearest N entries. Use addresses where the
 * server can be reached by anything but the proxy.
 */
export function fastifyTrustProxy(setting: OpsConfig['trustProxy']): boolean | string[] | ((addr: string, hop: number) => boolean) {
  if (setting === false) return false;
  if ('hops' in setting) {
    const { hops } = setting;
    return (_addr: string, hop: number) => hop < hops;
  }
  return setting.addresses;
}

function loadOpsConfig(env: Env, dataDir: string): OpsConfig {
  const everyHours = numberFrom(env, 'BACKUP_EVERY_HOURS', 0, 0, 24 * 365);
  const keep = intFrom(env, 'BACKUP_KEEP', 7, 1, 10000);
  const dir = env.BACKUP_DIR ? path.resolve(env.BACKUP_DIR) : null;
  if (everyHours > 0 && !dir) throw new ConfigError('BACKUP_EVERY_HOURS needs BACKUP_DIR (the folder for the backup files)');
  if (dir && path.resolve(dir) === path.resolve(dataDir)) throw new ConfigError('BACKUP_DIR must not be the data folder itself');
  const token = env.METRICS_TOKEN ?? '';
  if (token !== '' && token.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters');
  return {
    backup: dir && everyHours > 0 ? { dir, everyHours, keep } : null,
    metricsToken: token === '' ? null : token,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  };
}
// ---- end of operations settings --------------------------------------------------------------

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
    ops: loadOpsConfig(env, dataDir),
    secureCookies: env.SECURE_COOKIES === '1' || env.SECURE_COOKIES === 'true',
    allowedOrigins: (() => {
      try {
        return parseAllowedOrigins(env.ALLOWED_ORIGINS);
      } catch (err) {
        throw new ConfigError(`ALLOWED_ORIGINS: ${(err as Error).message}`);
      }
    })(),
  };
}

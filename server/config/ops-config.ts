import path from 'node:path';
import { ConfigError } from './config-error.js';
import { intFrom, numberFrom, type Env } from './env-values.js';

// ---- Operations settings (backups, metrics, reverse proxy) ---------------------------------

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

export function loadOpsConfig(env: Env, dataDir: string): OpsConfig {
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

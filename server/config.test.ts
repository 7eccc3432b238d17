import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('works with no configuration at all (embedded defaults)', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.embedder).toEqual({ kind: 'hashed', dimension: 1024 });
    expect(c.province).toBe('kon-tum');
    expect(c.databasePath.endsWith('dvc.sqlite')).toBe(true);
    expect(c.workers).toBe(1);
    expect(loadConfig({ WORKERS: 'auto' }).workers).toBeGreaterThanOrEqual(1);
    expect(c.checkpointIntervalMs).toBe(1000);
    expect(loadConfig({ DB_CHECKPOINT_MS: '0' }).checkpointIntervalMs).toBe(0);
  });

  it('rejects bad values with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadConfig({ PROVINCE: 'atlantis' })).toThrow(/no profile/);
    expect(() => loadConfig({ PROVINCE: '../etc' })).toThrow(/PROVINCE/);
    expect(() => loadConfig({ EMBEDDER: 'magic' })).toThrow(/EMBEDDER/);
    expect(() => loadConfig({ EMBEDDER: 'transformers' })).toThrow(/EMBEDDING_MODEL/);
    expect(() => loadConfig({ ANSWER_THRESHOLD: '2' })).toThrow(/ANSWER_THRESHOLD/);
    expect(() => loadConfig({ CLARIFY_THRESHOLD: 'x' })).toThrow(/CLARIFY_THRESHOLD/);
    expect(() => loadConfig({ ANSWER_THRESHOLD: '0.3', CLARIFY_THRESHOLD: '0.4' })).toThrow(/must not be above ANSWER_THRESHOLD/);
    expect(loadConfig({ ANSWER_THRESHOLD: '0.3' }).clarifyThreshold).toBe(0.3);
    expect(() => loadConfig({ WORKERS: '0' })).toThrow(/WORKERS/);
    expect(() => loadConfig({ DB_CHECKPOINT_MS: '-5' })).toThrow(/DB_CHECKPOINT_MS/);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://portal.example.gov.vn/path' })).toThrow(/ALLOWED_ORIGINS/);
  });

  it('selects the model-folder embedder when EMBEDDING_MODEL is set', () => {
    const c = loadConfig({ EMBEDDING_MODEL: 'multilingual-e5-small', MODELS_DIR: '/srv/models' });
    expect(c.embedder).toEqual({ kind: 'transformers', model: 'multilingual-e5-small', modelsDir: '/srv/models' });
  });
});

describe('one validated configuration', () => {
  it('includes the channel settings, so a bad one fails with the rest, naming its setting', () => {
    expect(loadConfig({}).channels.zalo).toBeNull();
    try {
      loadConfig({ ZALO_OA_ID: 'x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).setting).toBe('ZALO_OA_ID');
      expect((err as ConfigError).why).toMatch(/^set but ZALO_APP_ID is not/);
    }
  });

  it('names the setting of every server-side error too', () => {
    const settingOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        return [(err as ConfigError).setting, (err as ConfigError).why];
      }
      return null;
    };
    expect(settingOf({ PORT: 'abc' })).toEqual(['PORT', 'must be an integer between 0 and 65535, got "abc"']);
    expect(settingOf({ ALLOWED_ORIGINS: '*' })?.[0]).toBe('ALLOWED_ORIGINS');
    expect(settingOf({ SEARCH_THREAD: 'maybe' })?.[0]).toBe('SEARCH_THREAD');
  });
});

describe('operations settings', () => {
  const base = { DATA_DIR: '/tmp/dvc-config-test' };
  it('TRUST_PROXY: off by default, a hop count, or proxy addresses; anything else is refused', async () => {
    const { fastifyTrustProxy } = await import('./config.js');
    expect(loadConfig(base).ops.trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: 'off' }).ops.trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: '1' }).ops.trustProxy).toEqual({ hops: 1 });
    expect(loadConfig({ ...base, TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).ops.trustProxy).toEqual({ addresses: ['127.0.0.1', '10.0.0.0/8'] });
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'yes please' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, TRUST_PROXY: '99' })).toThrow(/at most 10/);
    const hops = fastifyTrustProxy({ hops: 1 }) as (a: string, i: number) => boolean;
    expect([hops('x', 0), hops('x', 1)]).toEqual([true, false]);
  });

  it('scheduled backups need a folder; METRICS_TOKEN must be long enough', () => {
    expect(loadConfig(base).ops.backup).toBeNull();
    expect(loadConfig({ ...base, BACKUP_DIR: '/tmp/b', BACKUP_EVERY_HOURS: '6', BACKUP_KEEP: '4' }).ops.backup).toEqual({ dir: '/tmp/b', everyHours: 6, keep: 4 });
    expect(() => loadConfig({ ...base, BACKUP_EVERY_HOURS: '6' })).toThrow(/needs BACKUP_DIR/);
    expect(() => loadConfig({ ...base, BACKUP_DIR: '/tmp/dvc-config-test', BACKUP_EVERY_HOURS: '6' })).toThrow(/must not be the data folder/);
    expect(() => loadConfig({ ...base, BACKUP_DIR: '/tmp/b', BACKUP_EVERY_HOURS: '6', BACKUP_KEEP: '0' })).toThrow(/BACKUP_KEEP/);
    expect(() => loadConfig({ ...base, METRICS_TOKEN: 'short' })).toThrow(/at least 16/);
    expect(loadConfig({ ...base, METRICS_TOKEN: 'a-token-long-enough-123' }).ops.metricsToken).toBe('a-token-long-enough-123');
  });
});

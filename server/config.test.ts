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
    expect(() => loadConfig({ WORKERS: '0' })).toThrow(/WORKERS/);
    expect(() => loadConfig({ DB_CHECKPOINT_MS: '-5' })).toThrow(/DB_CHECKPOINT_MS/);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://portal.example.gov.vn/path' })).toThrow(/ALLOWED_ORIGINS/);
  });

  it('selects the model-folder embedder when EMBEDDING_MODEL is set', () => {
    const c = loadConfig({ EMBEDDING_MODEL: 'multilingual-e5-small', MODELS_DIR: '/srv/models' });
    expect(c.embedder).toEqual({ kind: 'transformers', model: 'multilingual-e5-small', modelsDir: '/srv/models' });
  });
});

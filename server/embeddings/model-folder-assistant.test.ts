import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModel } from '../../scripts/make-tiny-model.js';
import { createTempAssistant } from '../test-support/temp-assistant.js';
import { tempDir } from '../test-support/temp-dir.js';
import { readCurrentManifest } from '../knowledge/snapshot-paths.js';

let modelsDir: string;

beforeAll(async () => {
  modelsDir = tempDir('dvc-models-');
  await makeTinyModel(modelsDir, 'tiny-bert-test');
});
afterAll(() => fs.rmSync(modelsDir, { recursive: true, force: true }));

describe('the assistant on a model-folder embedder (generated tiny model)', () => {
  it('builds its index with the model, records the embedder, and answers', async () => {
    const t = await createTempAssistant({ EMBEDDING_MODEL: 'tiny-bert-test', MODELS_DIR: modelsDir });
    try {
      const manifest = readCurrentManifest(t.config.indexDir)!;
      expect(manifest.embedderId).toMatch(/^transformers:tiny-bert-test:/);
      expect(manifest.dimension).toBe(32);
      const { answer, record } = await t.assistant.pipeline.handle({ text: 'đăng ký khai sinh cho con', channel: 'api', isTest: true });
      expect(record.embedderId).toBe(manifest.embedderId);
      expect(answer.kind).not.toBe('safety');
    } finally {
      t.cleanup();
    }
  });

  it('rebuilds instead of mixing vectors when the configured embedder changes', async () => {
    const dataDir = tempDir();
    try {
      const hashed = await createTempAssistant({ DATA_DIR: dataDir });
      const firstId = readCurrentManifest(hashed.config.indexDir)!.embedderId;
      hashed.assistant.close();
      const model = await createTempAssistant({ DATA_DIR: dataDir, EMBEDDING_MODEL: 'tiny-bert-test', MODELS_DIR: modelsDir });
      const secondId = readCurrentManifest(model.config.indexDir)!.embedderId;
      expect(firstId).toMatch(/^hashed-v1/);
      expect(secondId).toMatch(/^transformers:/);
      expect(model.assistant.indexHolder.get().index.manifest.embedderId).toBe(secondId);
      model.assistant.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('fails to start with a clear message when the model folder is missing', async () => {
    await expect(createTempAssistant({ EMBEDDING_MODEL: 'multilingual-e5-small', MODELS_DIR: modelsDir })).rejects.toThrow(/multilingual-e5-small/);
  });
});

describe('upgrades', () => {
  it('rebuilds an index left by an older format instead of refusing to start', async () => {
    const dataDir = tempDir();
    try {
      const first = await createTempAssistant({ DATA_DIR: dataDir });
      const manifest = readCurrentManifest(first.config.indexDir)!;
      first.assistant.close();
      const file = `${first.config.indexDir}/${manifest.version}/manifest.json`;
      fs.writeFileSync(file, JSON.stringify({ ...manifest, format: manifest.format - 1 }));
      const second = await createTempAssistant({ DATA_DIR: dataDir });
      expect(readCurrentManifest(second.config.indexDir)!.format).toBe(manifest.format);
      expect((await second.assistant.pipeline.handle({ text: 'đăng ký khai sinh', channel: 'api', isTest: true })).answer.kind).toBe('answer');
      second.assistant.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

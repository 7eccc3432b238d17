import { cp, mkdtemp, rename, rm, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { env, pipeline } from '@huggingface/transformers';
import { makeTinyModel } from '../../scripts/make-tiny-model.js';
import type { Embedder } from './embedder.js';
import { createTransformersEmbedder, ModelNotInstalledError } from './transformers-embedder.js';

const MODEL = 'tiny-bert-test';
const E5_MODEL = 'tiny-e5-test';

const QUERIES = ['Làm thế nào để đăng ký khai sinh trực tuyến?', 'Lệ phí cấp lại căn cước công dân'];
const PASSAGES = [
  'Thủ tục đăng ký khai sinh: nộp tờ khai và giấy chứng sinh tại ủy ban nhân dân xã.',
  'Cấp đổi giấy phép lái xe trên cổng dịch vụ công quốc gia.',
  'Hồ sơ đăng ký kết hôn gồm tờ khai và giấy xác nhận tình trạng hôn nhân.',
];

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot / (norm(a) * norm(b));
}

function expectClose(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
}

describe('createTransformersEmbedder (tiny generated model, offline)', () => {
  let modelsDir: string;
  let embedder: Embedder;
  const opened: Embedder[] = [];
  // Any network attempt fails loudly and is recorded; the last test asserts there was none.
  let fetchSpy: MockInstance<typeof fetch>;

  type Options = Parameters<typeof createTransformersEmbedder>[0];

  async function open(model: string, extra: Partial<Options> = {}, dir = modelsDir) {
    const e = await createTransformersEmbedder({ modelsDir: dir, model, ...extra });
    opened.push(e);
    return e;
  }

  beforeAll(async () => {
    fetchSpy = vi
      .spyOn(globalThis, 'fetch')
      .mockImplementation(() => Promise.reject(new Error('network access attempted in test')));
    modelsDir = await mkdtemp(path.join(os.tmpdir(), 'dvc-embed-'));
    await makeTinyModel(modelsDir, MODEL);
    await makeTinyModel(modelsDir, E5_MODEL);
    embedder = await open(MODEL);
  });

  afterAll(async () => {
    for (const e of opened) await e.close?.();
    fetchSpy.mockRestore();
    if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
  });

  it('loads from the local folder and reports id and probed dimension', () => {
    expect(embedder.dimension).toBe(32);
    expect(embedder.id).toMatch(/^transformers:tiny-bert-test:[0-9a-f]{12}$/);
  });

  it('embeds Vietnamese queries and passages into unit vectors of the model dimension', async () => {
    const q = await embedder.embedQueries(QUERIES);
    const p = await embedder.embedPassages(PASSAGES);
    expect(q).toHaveLength(QUERIES.length);
    expect(p).toHaveLength(PASSAGES.length);
    for (const v of [...q, ...p]) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(embedder.dimension);
      expect(v.every(Number.isFinite)).toBe(true);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(await embedder.embedQueries([])).toEqual([]);
  });

  it('is deterministic and treats NFC and NFD Vietnamese alike', async () => {
    const [a] = await embedder.embedPassages([PASSAGES[0]]);
    const [b] = await embedder.embedPassages([PASSAGES[0]]);
    const [c] = await embedder.embedPassages([PASSAGES[0].normalize('NFD')]);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).toEqual(Array.from(c));
  });

  it('gives different texts different vectors (diacritics matter)', async () => {
    const vectors = await embedder.embedPassages([...PASSAGES, 'ma', 'má']);
    for (let i = 0; i < vectors.length; i++) {
      for (let j = i + 1; j < vectors.length; j++) {
        expect(cosine(vectors[i], vectors[j])).toBeLessThan(0.999);
      }
    }
  });

  it('returns the same vectors whatever the batch size (padding does not leak)', async () => {
    const texts = [...QUERIES, ...PASSAGES, 'xin chào'];
    const small = await open(MODEL, { batchSize: 2 });
    const batched = await small.embedPassages(texts);
    const single = await Promise.all(texts.map(async (t) => (await embedder.embedPassages([t]))[0]));
    expect(batched).toHaveLength(texts.length);
    batched.forEach((v, i) => expectClose(v, single[i]));
  });

  it('applies e5 "query: " / "passage: " prefixes by default for e5 models only', async () => {
    const e5 = await open(E5_MODEL);
    const plain = await open(E5_MODEL, { queryPrefix: '', passagePrefix: '' });
    const text = 'thủ tục đăng ký kết hôn';
    const [q] = await e5.embedQueries([text]);
    const [p] = await e5.embedPassages([text]);
    const [manualQ, manualP] = await plain.embedPassages([`query: ${text}`, `passage: ${text}`]);
    expectClose(q, manualQ);
    expectClose(p, manualP);
    expect(cosine(q, p)).toBeLessThan(0.999);

    // Non-e5 model: no prefix, so queries and passages embed identically.
    const [nq] = await embedder.embedQueries([text]);
    const [np] = await embedder.embedPassages([text]);
    expectClose(nq, np);
  });

  it('supports cls pooling', async () => {
    const cls = await open(MODEL, { pooling: 'cls' });
    const [a, b] = await cls.embedPassages(PASSAGES.slice(0, 2));
    expect(norm(a)).toBeCloseTo(1, 5);
    expect(cosine(a, b)).toBeLessThan(0.999);
    const [mean] = await embedder.embedPassages([PASSAGES[0]]);
    expect(cosine(a, mean)).toBeLessThan(0.999);
  });

  it('derives the id from the onnx bytes: same bytes same id, changed bytes new id', async () => {
    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'dvc-embed-id-'));
    try {
      await makeTinyModel(otherDir, MODEL);
      const sameBytes = await open(MODEL, {}, otherDir);
      expect(sameBytes.id).toBe(embedder.id);

      await makeTinyModel(otherDir, MODEL, { seed: 7 });
      const changed = await open(MODEL, {}, otherDir);
      expect(changed.id).not.toBe(embedder.id);
      expect(changed.id.startsWith('transformers:tiny-bert-test:')).toBe(true);
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('falls back to onnx/model_quantized.onnx when there is no fp32 file', async () => {
    const dir = path.join(modelsDir, 'quantized-only');
    await cp(path.join(modelsDir, MODEL), dir, { recursive: true });
    await rename(path.join(dir, 'onnx', 'model.onnx'), path.join(dir, 'onnx', 'model_quantized.onnx'));
    const q = await open('quantized-only');
    expect(q.dimension).toBe(32);
    // Same bytes under another file name: same hash part of the id.
    expect(q.id.split(':')[2]).toBe(embedder.id.split(':')[2]);
  });

  it('rejects a missing model folder with the path it looked in', async () => {
    const err = await createTransformersEmbedder({ modelsDir, model: 'not-there' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelNotInstalledError);
    expect((err as Error).message).toContain(path.join(modelsDir, 'not-there'));
    expect((err as Error).message).toContain('onnx/model.onnx');
  });

  it('rejects a folder without tokenizer.json, naming the file and the folder', async () => {
    const dir = path.join(modelsDir, 'no-tokenizer');
    await cp(path.join(modelsDir, MODEL), dir, { recursive: true });
    await unlink(path.join(dir, 'tokenizer.json'));
    const err = await createTransformersEmbedder({ modelsDir, model: 'no-tokenizer' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelNotInstalledError);
    expect((err as ModelNotInstalledError).missing).toEqual(['tokenizer.json']);
    expect((err as Error).message).toContain(dir);
    expect((err as Error).message).toContain('tokenizer.json');
  });

  it('rejects a folder without any onnx file', async () => {
    const dir = path.join(modelsDir, 'no-onnx');
    await cp(path.join(modelsDir, MODEL), dir, { recursive: true });
    await unlink(path.join(dir, 'onnx', 'model.onnx'));
    await expect(createTransformersEmbedder({ modelsDir, model: 'no-onnx' })).rejects.toThrow(
      /onnx\/model\.onnx \(or onnx\/model_quantized\.onnx\)/,
    );
  });

  it('rejects a hub model that is not installed quickly and without network access', async () => {
    const started = Date.now();
    const err = await createTransformersEmbedder({ modelsDir, model: 'Xenova/multilingual-e5-small' }).catch(
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err).toBeInstanceOf(ModelNotInstalledError);
    expect((err as Error).message).toContain(path.join(modelsDir, 'Xenova/multilingual-e5-small'));
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('leaves the library itself unable to download, even past our pre-checks', async () => {
    expect(env.allowRemoteModels).toBe(false);
    expect(env.useFSCache).toBe(false);
    // The library logs each local miss; keep the test output clean.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const started = Date.now();
      await expect(
        pipeline('feature-extraction', 'Xenova/not-installed', { dtype: 'fp32' }),
      ).rejects.toThrow(/allowRemoteModels=false/);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      warn.mockRestore();
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('rejects URLs and paths as model names', async () => {
    for (const model of ['https://huggingface.co/Xenova/multilingual-e5-small', '../outside', '/abs/model', 'a/b/c']) {
      await expect(createTransformersEmbedder({ modelsDir, model })).rejects.toThrow(/Invalid embedding model name/);
    }
  });

  it('refuses to embed after close', async () => {
    const e = await createTransformersEmbedder({ modelsDir, model: MODEL });
    await e.close?.();
    await expect(e.embedQueries(['xin chào'])).rejects.toThrow(/closed/);
  });

  it('never touched the network', () => {
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

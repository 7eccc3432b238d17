/**
 * Sentence embeddings computed locally with @huggingface/transformers (ONNX Runtime on CPU).
 *
 * Models are loaded ONLY from `<modelsDir>/<model>/`; nothing is ever downloaded. The
 * folder must hold a transformers.js-style export:
 *
 *   <modelsDir>/<model>/config.json
 *   <modelsDir>/<model>/tokenizer.json
 *   <modelsDir>/<model>/tokenizer_config.json
 *   <modelsDir>/<model>/onnx/model.onnx            (fp32, preferred)
 *                    or onnx/model_quantized.onnx  (int8, used when no fp32 file)
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  env,
  pipeline,
  type FeatureExtractionPipeline,
  type PretrainedModelOptions,
} from '@huggingface/transformers';
import type { Embedder } from './embedder.js';

// The library's generic `pipeline` signature maps every task to its pipeline class and
// is too large for tsc to check at a call site (TS2590), so we narrow it to the one task
// we use. The runtime function is unchanged.
const loadFeatureExtraction = pipeline as unknown as (
  task: 'feature-extraction',
  model: string,
  options: PretrainedModelOptions,
) => Promise<FeatureExtractionPipeline>;

export interface TransformersEmbedderOptions {
  /** Folder holding one sub-folder per model (MODELS_DIR). */
  modelsDir: string;
  /** Sub-folder name, e.g. "multilingual-e5-small" or "intfloat/multilingual-e5-small". */
  model: string;
  /** Prepended to every query; defaults to "query: " for e5 models, "" otherwise. */
  queryPrefix?: string;
  /** Prepended to every passage; defaults to "passage: " for e5 models, "" otherwise. */
  passagePrefix?: string;
  pooling?: 'mean' | 'cls';
  normalize?: boolean;
  /** Texts per forward pass; bounds peak memory on long ingest runs. */
  batchSize?: number;
}

/** Thrown when the model folder is absent or incomplete; carries what an operator needs. */
export class ModelNotInstalledError extends Error {
  constructor(
    readonly modelDir: string,
    readonly missing: readonly string[],
    message: string,
  ) {
    super(message);
    this.name = 'ModelNotInstalledError';
  }
}

const DEFAULT_BATCH_SIZE = 16;
const FP32_ONNX = 'onnx/model.onnx';
const QUANTIZED_ONNX = 'onnx/model_quantized.onnx';
const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;
const ID_HASH_LENGTH = 12;

// Same rule transformers.js uses (utils/hub.js isValidHfModelId) to decide whether a name
// is resolved under env.localModelPath. Anything else it would treat as a path relative
// to the process cwd, so we refuse such names instead of loading from a surprising place.
const MODEL_NAME_PATTERN = /^(\b[\w\-.]+\b\/)?\b[\w\-.]{1,96}\b$/;

function assertModelName(model: string): void {
  const ok =
    MODEL_NAME_PATTERN.test(model) &&
    !model.includes('..') &&
    !model.includes('--') &&
    !model.endsWith('.git') &&
    !model.endsWith('.ipynb');
  if (!ok) {
    throw new Error(
      `Invalid embedding model name "${model}". Use the name of a folder under the models ` +
        `directory, e.g. "multilingual-e5-small" or "intfloat/multilingual-e5-small" ` +
        `(letters, digits, ".", "_", "-", at most one "/"); URLs and paths are not accepted ` +
        `because models are never downloaded.`,
    );
  }
}

/** e5 models were trained with these markers; without them retrieval quality drops. */
function isE5(model: string): boolean {
  return /(^|[^a-z0-9])e5([^a-z0-9]|$)/i.test(model);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

interface ModelFiles {
  dir: string;
  onnxFile: string;
  /** transformers.js dtype whose file-name suffix selects `onnxFile`. */
  dtype: 'fp32' | 'q8';
}

function notInstalled(model: string, dir: string, missing: string[]): ModelNotInstalledError {
  return new ModelNotInstalledError(
    dir,
    missing,
    [
      `Embedding model "${model}" is not installed.`,
      `  Looked in: ${dir}`,
      `  Missing:   ${missing.join(', ')}`,
      `  Fix: put an ONNX export of the model in that folder (models are never downloaded at`,
      `  runtime). It must contain config.json, tokenizer.json, tokenizer_config.json and`,
      `  ${FP32_ONNX} (or ${QUANTIZED_ONNX}), e.g. the files of the Hugging Face repo`,
      `  "Xenova/multilingual-e5-small" copied from a machine with internet access.`,
    ].join('\n'),
  );
}

/** Checks the folder before the library sees it, so failures name files, not internals. */
async function locateModelFiles(modelsDir: string, model: string): Promise<ModelFiles> {
  const dir = path.join(modelsDir, model);
  if (!(await isDirectory(dir))) throw notInstalled(model, dir, ['the model folder itself']);

  const missing: string[] = [];
  for (const file of REQUIRED_FILES) {
    if (!(await isFile(path.join(dir, file)))) missing.push(file);
  }
  let onnx: Omit<ModelFiles, 'dir'> | undefined;
  if (await isFile(path.join(dir, FP32_ONNX))) {
    onnx = { onnxFile: path.join(dir, FP32_ONNX), dtype: 'fp32' };
  } else if (await isFile(path.join(dir, QUANTIZED_ONNX))) {
    onnx = { onnxFile: path.join(dir, QUANTIZED_ONNX), dtype: 'q8' };
  } else {
    missing.push(`${FP32_ONNX} (or ${QUANTIZED_ONNX})`);
  }
  if (missing.length > 0 || !onnx) throw notInstalled(model, dir, missing);
  return { dir, ...onnx };
}

/** Streams the file so hashing a several-hundred-MB model does not buffer it twice. */
async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * `env` is a process-wide singleton inside the library, so it is (re)asserted on every
 * factory call rather than once at import: importing this module must not change global
 * behaviour, and another module touching `env` cannot silently re-enable downloads for
 * our loads. Consequence: all embedders in one process should share one modelsDir, since
 * the library reads env.localModelPath while it loads.
 */
function configureOfflineEnv(modelsDir: string): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = modelsDir;
  env.useBrowserCache = false;
  // The file cache is consulted BEFORE the local folder; a stale copy in the library's
  // default cache (inside node_modules) could shadow the operator's files, so disable it.
  env.useFSCache = false;
  env.useCustomCache = false;
}

export async function createTransformersEmbedder(
  opts: TransformersEmbedderOptions,
): Promise<Embedder> {
  assertModelName(opts.model);
  const modelsDir = path.resolve(opts.modelsDir);
  const files = await locateModelFiles(modelsDir, opts.model);
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_BATCH_SIZE));
  const e5 = isE5(opts.model);
  const queryPrefix = opts.queryPrefix ?? (e5 ? 'query: ' : '');
  const passagePrefix = opts.passagePrefix ?? (e5 ? 'passage: ' : '');
  const pooling = opts.pooling ?? 'mean';
  const normalize = opts.normalize ?? true;

  const digest = await sha256File(files.onnxFile);
  configureOfflineEnv(modelsDir);
  const extractor = await loadFeatureExtraction('feature-extraction', opts.model, {
    dtype: files.dtype,
    // Belt and braces with env.allowRemoteModels: the library refuses any remote fetch.
    local_files_only: true,
  });

  let closed = false;

  async function embed(texts: string[], prefix: string): Promise<Float32Array[]> {
    if (closed) throw new Error(`Embedder for "${opts.model}" has been closed`);
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      // NFC: Vietnamese arrives both precomposed and decomposed (e.g. from PDFs and some
      // keyboards); vocabularies are built from precomposed text.
      const batch = texts.slice(start, start + batchSize).map((t) => prefix + t.normalize('NFC'));
      const output = await extractor(batch, { pooling, normalize });
      const [rows, dim] = output.dims;
      if (output.dims.length !== 2 || rows !== batch.length) {
        throw new Error(`Unexpected embedding output shape [${output.dims.join(', ')}]`);
      }
      const data =
        output.data instanceof Float32Array
          ? output.data
          : Float32Array.from(output.data as ArrayLike<number>);
      // slice (not subarray) so callers own independent vectors, not views of one buffer.
      for (let r = 0; r < rows; r++) vectors.push(data.slice(r * dim, (r + 1) * dim));
      output.dispose();
    }
    return vectors;
  }

  // The dimension is whatever the exported graph produces, not what config.json claims.
  const [probe] = await embed(['dimension probe'], passagePrefix);
  if (!probe || probe.length === 0) {
    await extractor.dispose();
    throw new Error(`Model "${opts.model}" in ${files.dir} produced an empty embedding`);
  }

  return {
    id: `transformers:${opts.model}:${digest.slice(0, ID_HASH_LENGTH)}`,
    dimension: probe.length,
    embedQueries: (texts) => embed(texts, queryPrefix),
    embedPassages: (texts) => embed(texts, passagePrefix),
    async close() {
      if (closed) return;
      closed = true;
      await extractor.dispose();
    },
  };
}

import type { EmbedderConfig } from '../config.js';
import type { Embedder } from './embedder.js';
import { createHashedEmbedder } from './hashed-embedder.js';
import { createTransformersEmbedder } from './transformers-embedder.js';

/** The configured embedder; the hashed one needs nothing on disk, the transformers one a local model folder. */
export async function createEmbedder(config: EmbedderConfig): Promise<Embedder> {
  if (config.kind === 'hashed') return createHashedEmbedder(config.dimension);
  return createTransformersEmbedder({ modelsDir: config.modelsDir, model: config.model });
}

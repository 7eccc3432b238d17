import type { EmbedderConfig } from '../config.js';
import type { Embedder } from './embedder.js';
import { createHashedEmbedder } from './hashed-embedder.js';

/**
 * The configured embedder; the hashed one needs nothing on disk, the transformers one a local
 * model folder. transformers.js and onnxruntime are loaded only when configured (~50 MB of RSS).
 */
export async function createEmbedder(config: EmbedderConfig): Promise<Embedder> {
  if (config.kind === 'hashed') return createHashedEmbedder(config.dimension);
  const { createTransformersEmbedder } = await import('./transformers-embedder.js');
  return createTransformersEmbedder({ modelsDir: config.modelsDir, model: config.model });
}

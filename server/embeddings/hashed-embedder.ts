import type { Embedder } from './embedder.js';
import { foldDiacritics, tokenize } from '../text/normalise.js';

/**
 * The built-in embedder: needs no model weights. A text becomes a signed feature-hashing
 * vector over folded syllables, syllable bigrams and character trigrams (which survive missing
 * diacritics and small typos), plus syllables with diacritics when the text has them.
 *
 * Passage vectors use only term frequencies so they never depend on the rest of the corpus:
 * unchanged chunks keep their vectors across incremental re-indexing. Rarity (IDF) is applied
 * to the query side only, from document frequencies the index records at build time.
 */
export const HASHED_EMBEDDER_VERSION = 'hashed-v1';

const WEIGHTS = { unigram: 1.0, bigram: 0.9, trigram: 0.35, accented: 0.5 } as const;

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Feature → weighted, sub-linear term frequency (a word repeated in a long section must not dominate). */
export function hashedFeatures(text: string): Map<string, number> {
  const counts = new Map<string, { n: number; w: number }>();
  const add = (key: string, w: number) => {
    const c = counts.get(key);
    if (c) c.n++;
    else counts.set(key, { n: 1, w });
  };
  const lower = text.normalize('NFC').toLowerCase();
  const accented = tokenize(lower);
  const folded = tokenize(foldDiacritics(lower));
  for (let i = 0; i < folded.length; i++) {
    const w = folded[i];
    add(`u:${w}`, WEIGHTS.unigram);
    if (i + 1 < folded.length) add(`b:${w} ${folded[i + 1]}`, WEIGHTS.bigram);
    const padded = `#${w}#`;
    if (w.length >= 3) for (let j = 0; j + 3 <= padded.length; j++) add(`t:${padded.slice(j, j + 3)}`, WEIGHTS.trigram);
  }
  for (const w of accented) if (w !== foldDiacritics(w)) add(`a:${w}`, WEIGHTS.accented);
  const features = new Map<string, number>();
  for (const [key, { n, w }] of counts) features.set(key, w * (1 + Math.log(n)));
  return features;
}

export interface HashedEmbedder extends Embedder {
  /** Bucket index and sign for a feature, shared with the index's document-frequency table. */
  bucketsOf(text: string): Int32Array;
  withIdf(idf: Float32Array | null): HashedEmbedder;
}

export function createHashedEmbedder(dimension = 1024, idf: Float32Array | null = null): HashedEmbedder {
  if (!Number.isInteger(dimension) || dimension < 16) throw new Error(`hashed embedder dimension must be an integer ≥ 16, got ${dimension}`);
  if (idf && idf.length !== dimension) throw new Error(`IDF table has ${idf.length} entries, expected ${dimension}`);

  const vectorize = (text: string, useIdf: boolean): Float32Array => {
    const v = new Float32Array(dimension);
    for (const [key, weight] of hashedFeatures(text)) {
      const h = fnv1a(key, 0x811c9dc5);
      const bucket = h % dimension;
      const sign = fnv1a(key, 0x9747b28c) & 1 ? 1 : -1;
      v[bucket] += sign * weight;
    }
    if (useIdf && idf) for (let i = 0; i < dimension; i++) v[i] *= idf[i];
    let norm = 0;
    for (let i = 0; i < dimension; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < dimension; i++) v[i] /= norm;
    return v;
  };

  const embedder: HashedEmbedder = {
    id: `${HASHED_EMBEDDER_VERSION}-d${dimension}`,
    dimension,
    async embedQueries(texts) {
      return texts.map((t) => vectorize(t, true));
    },
    async embedPassages(texts) {
      return texts.map((t) => vectorize(t, false));
    },
    bucketsOf(text) {
      const buckets = new Set<number>();
      for (const key of hashedFeatures(text).keys()) buckets.add(fnv1a(key, 0x811c9dc5) % dimension);
      return Int32Array.from(buckets);
    },
    withIdf(table) {
      return createHashedEmbedder(dimension, table);
    },
  };
  return embedder;
}

/** Smoothed inverse document frequency per bucket from per-bucket document counts. */
export function idfFromCounts(counts: Uint32Array, documents: number): Float32Array {
  const idf = new Float32Array(counts.length);
  for (let i = 0; i < counts.length; i++) idf[i] = Math.log(1 + (documents + 1) / (counts[i] + 1));
  return idf;
}

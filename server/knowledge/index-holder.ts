import fs from 'node:fs';
import path from 'node:path';
import type { Embedder } from '../embeddings/embedder.js';
import type { HashedEmbedder } from '../embeddings/hashed-embedder.js';
import { createTypoCorrector, type TypoCorrect } from '../text/typo.js';
import { tokenize } from '../text/normalise.js';
import { KnowledgeIndex } from './knowledge-index.js';
import { CURRENT_FILE, readCurrentVersion } from './snapshot-paths.js';

export interface LoadedIndex {
  index: KnowledgeIndex;
  embedder: Embedder;
  correct: TypoCorrect;
}

function isHashed(e: Embedder): e is HashedEmbedder {
  return typeof (e as HashedEmbedder).withIdf === 'function';
}

/**
 * Holds the current snapshot and swaps to a new one when ingestion moves the CURRENT pointer.
 * Refuses a snapshot built by a different embedder than the configured one.
 */
export function createIndexHolder(indexDir: string, embedder: Embedder, log: { info: (o: object, m: string) => void; error: (o: object, m: string) => void }) {
  const load = (version: string): LoadedIndex => {
    const index = KnowledgeIndex.open(indexDir, version);
    if (index.manifest.embedderId !== embedder.id) {
      index.close();
      throw new Error(`Index ${version} was built with embedder "${index.manifest.embedderId}" but "${embedder.id}" is configured: run "npm run ingest -- --force"`);
    }
    // Everything a question needs is computed here, before the index is served or reported ready.
    index.warm(tokenize);
    const queryEmbedder = isHashed(embedder) ? embedder.withIdf(index.idf) : embedder;
    const corrector = createTypoCorrector(index.vocab);
    return { index, embedder: queryEmbedder, correct: (t) => corrector.correct(t) };
  };

  const first = readCurrentVersion(indexDir);
  if (!first) throw new Error(`No knowledge index in ${indexDir}`);
  let current = load(first);
  const pointer = path.join(indexDir, CURRENT_FILE);

  const check = () => {
    const version = readCurrentVersion(indexDir);
    if (!version || version === current.index.version) return;
    try {
      const next = load(version);
      const old = current;
      current = next;
      log.info({ from: old.index.version, to: version }, 'knowledge index swapped');
      // Requests already holding the old index finish before it is closed.
      setTimeout(() => old.index.close(), 30_000).unref();
    } catch (err) {
      log.error({ err: (err as Error).message, version }, 'new knowledge index rejected; keeping the current one');
    }
  };
  fs.watchFile(pointer, { interval: 1000, persistent: false }, check);

  return {
    get: (): LoadedIndex => current,
    reloadNow: check,
    close: () => {
      fs.unwatchFile(pointer, check);
      current.index.close();
    },
  };
}

export type IndexHolder = ReturnType<typeof createIndexHolder>;

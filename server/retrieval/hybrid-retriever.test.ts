import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config.js';
import { readEvalSet } from '../../eval/eval-set.js';
import { listOwnSets } from '../../eval/set-files.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { loadConfidenceModel } from './confidence.js';
import { retrieve, DEFAULT_RETRIEVER_SETTINGS } from './hybrid-retriever.js';
import { loadLexicon } from './lexicon.js';
import { analyseQuery } from './query-analysis.js';

let t: TempAssistant;
beforeAll(async () => {
  t = await createTempAssistant();
});
afterAll(() => t.cleanup());

function questions(): string[] {
  return listOwnSets(path.join(PROJECT_ROOT, 'eval', 'sets')).flatMap((s) => readEvalSet(s.file).map((i) => i.q));
}

describe('hybrid retrieval', () => {
  it('returns exactly the ranking of measuring every document, while measuring only the ones that can still place', async () => {
    const { index, embedder, correct } = t.assistant.indexHolder.get();
    const lexicon = loadLexicon(t.config.knowledgeDir);
    const confidenceModel = loadConfidenceModel();
    const qs = questions();
    expect(qs.length).toBeGreaterThan(100);
    let compared = 0;
    for (const text of qs) {
      const q = analyseQuery(text, lexicon, { lang: 'vi', vocab: index.vocab, correct });
      const pruned = await retrieve(index, embedder, q, { ...DEFAULT_RETRIEVER_SETTINGS, confidenceModel });
      const everything = await retrieve(index, embedder, q, { ...DEFAULT_RETRIEVER_SETTINGS, keep: 10_000, confidenceModel });
      expect(pruned.candidates.length).toBeLessThanOrEqual(DEFAULT_RETRIEVER_SETTINGS.keep);
      const view = (cs: typeof pruned.candidates) => cs.map((c) => [c.doc.id, c.score, c.coverage, c.bigramCoverage]);
      expect(view(pruned.candidates), text).toEqual(view(everything.candidates.slice(0, DEFAULT_RETRIEVER_SETTINGS.keep)));
      expect(pruned.confidence).toBe(everything.confidence);
      if (everything.candidates.length > DEFAULT_RETRIEVER_SETTINGS.keep) compared++;
    }
    // The comparison means something only if many questions had more documents than are kept.
    expect(compared).toBeGreaterThan(qs.length / 2);
  });

  it('returns no candidates and zero confidence for a question with nothing to search for', async () => {
    const { index, embedder, correct } = t.assistant.indexHolder.get();
    const q = analyseQuery('???', loadLexicon(t.config.knowledgeDir), { lang: 'vi', vocab: index.vocab, correct });
    const r = await retrieve(index, embedder, q, { ...DEFAULT_RETRIEVER_SETTINGS, confidenceModel: loadConfidenceModel() });
    expect(r.ftsQuery).toBe('');
    expect(r.confidence).toBeLessThan(0.5);
  });
});

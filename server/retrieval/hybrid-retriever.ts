import type { Embedder } from '../embeddings/embedder.js';
import type { KnowledgeIndex, IndexedDoc } from '../knowledge/knowledge-index.js';
import { tokenize } from '../text/normalise.js';
import type { AnalysedQuery } from './query-analysis.js';
import { ftsQuery } from './query-analysis.js';

export interface Candidate {
  doc: IndexedDoc;
  /** Fused score (reciprocal rank fusion plus priors); only comparable within one query. */
  score: number;
  lexicalRank: number | null;
  vectorRank: number | null;
  lexicalScore: number;
  vectorScore: number;
  /** Share of the question's content words found in the document. */
  coverage: number;
  /** Section index of the best-matching chunk (-1 = overview). */
  bestSection: number;
}

export interface RetrievalResult {
  candidates: Candidate[];
  confidence: number;
  ftsQuery: string;
}

export interface RetrieverOptions {
  rrfK: number;
  lexicalLimit: number;
  vectorLimit: number;
  /** Topics that should win ties (from safety routing or the conversation). */
  preferTopics?: string[];
  /** Restrict to docs in these languages; by logical id the best-scoring version wins. */
  langs?: string[];
}

export const DEFAULT_RETRIEVER_OPTIONS: RetrieverOptions = { rrfK: 20, lexicalLimit: 60, vectorLimit: 40 };

/** How much of the question the document speaks about: the main guard against confident guesses. */
export function coverageOf(contentTokens: string[], docTokens: Set<string>): number {
  if (contentTokens.length === 0) return 0;
  let hit = 0;
  for (const t of contentTokens) if (docTokens.has(t)) hit++;
  return hit / contentTokens.length;
}

/**
 * Calibrated confidence in [0,1] from the top candidate: coverage of the question's words, the
 * vector similarity, and agreement of the two searches. Weights were fitted on the dev sets
 * (see docs/decisions/0003-retrieval-and-confidence.md).
 */
export function confidenceOf(top: Candidate | undefined): number {
  if (!top) return 0;
  const agreement = top.lexicalRank === 1 && top.vectorRank === 1 ? 1 : top.lexicalRank !== null && top.vectorRank !== null ? 0.5 : 0;
  const vec = Math.max(0, Math.min(1, top.vectorScore / 0.6));
  return Math.max(0, Math.min(1, 0.6 * top.coverage + 0.25 * vec + 0.15 * agreement));
}

export async function retrieve(
  index: KnowledgeIndex,
  embedder: Embedder,
  q: AnalysedQuery,
  stopwords: Set<string>,
  options: RetrieverOptions = DEFAULT_RETRIEVER_OPTIONS,
): Promise<RetrievalResult> {
  const match = ftsQuery(q, stopwords);
  const lexical = match ? index.lexicalSearch(match, options.lexicalLimit) : [];
  const [queryVector] = await embedder.embedQueries([q.embedText]);
  const vector = index.vectorSearch(queryVector, options.vectorLimit);

  const allowed = (doc: IndexedDoc) => !options.langs || options.langs.includes(doc.lang);
  // Both result lists are per chunk; a document keeps its best chunk. Language versions of the
  // same article share one logical id, so they are ranked together.
  const perDoc = new Map<string, { doc: IndexedDoc; lex?: { rank: number; score: number; section: number }; vec?: { rank: number; score: number; section: number } }>();
  const collect = (hits: typeof lexical, key: 'lex' | 'vec') => {
    let rank = 0;
    const seen = new Set<string>();
    for (const h of hits) {
      const doc = index.docs.get(h.docRowid);
      if (!doc || !allowed(doc) || doc.status === 'stale' || doc.status === 'draft') continue;
      if (seen.has(doc.id)) continue;
      seen.add(doc.id);
      rank++;
      const entry = perDoc.get(doc.id) ?? { doc };
      entry[key] = { rank, score: h.score, section: h.sectionIndex };
      perDoc.set(doc.id, entry);
    }
  };
  collect(lexical, 'lex');
  collect(vector, 'vec');

  const prefer = new Set(options.preferTopics ?? []);
  const candidates: Candidate[] = [...perDoc.values()].map(({ doc, lex, vec }) => {
    let score = (lex ? 1 / (options.rrfK + lex.rank) : 0) + (vec ? 1 / (options.rrfK + vec.rank) : 0);
    // Curated articles are written to answer citizens; long procedure records without a mapped
    // topic match many words by sheer length, so they need to win clearly to come first.
    if (doc.kind === 'procedure' && doc.topics.length === 0) score *= 0.75;
    if (doc.topics.some((t) => prefer.has(t))) score += 0.05;
    const coverage = coverageOf(q.contentTokens, index.docTokens(doc.rowid, tokenize));
    score *= 0.6 + 0.4 * coverage;
    return {
      doc,
      score,
      lexicalRank: lex?.rank ?? null,
      vectorRank: vec?.rank ?? null,
      lexicalScore: lex?.score ?? 0,
      vectorScore: vec?.score ?? 0,
      coverage,
      bestSection: (lex ?? vec)?.section ?? -1,
    };
  });
  candidates.sort((a, b) => b.score - a.score);
  return { candidates, confidence: confidenceOf(candidates[0]), ftsQuery: match };
}

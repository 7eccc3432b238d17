import type { Embedder } from '../embeddings/embedder.js';
import type { KnowledgeIndex, IndexedDoc } from '../knowledge/knowledge-index.js';
import { tokenize } from '../text/normalise.js';
import type { AnalysedQuery } from './query-analysis.js';
import { ftsQuery } from './query-analysis.js';
import { inlineChunkSearch, type ChunkSearch } from './chunk-search.js';
import { confidenceFrom, type ConfidenceFeatures, type ConfidenceModel } from './confidence.js';

export interface Candidate {
  doc: IndexedDoc;
  /** Fused score (reciprocal rank fusion plus priors); only comparable within one query. */
  score: number;
  lexicalRank: number | null;
  vectorRank: number | null;
  lexicalScore: number;
  vectorScore: number;
  /** Share of the question's content words found in the document, weighted by rarity. */
  coverage: number;
  /** Share of the question's adjacent word pairs found adjacent in the document. */
  bigramCoverage: number;
  features: ConfidenceFeatures;
  /** Section index of the best-matching chunk (-1 = overview). */
  bestSection: number;
}

export interface RetrievalResult {
  candidates: Candidate[];
  confidence: number;
  ftsQuery: string;
  /** Where the two searches ran: the search thread or inline on the event loop. */
  searchedOn: 'thread' | 'inline';
}

export interface RetrieverOptions {
  rrfK: number;
  lexicalLimit: number;
  vectorLimit: number;
  /** How many candidates to return (ranked, with their coverage measures). */
  keep: number;
  /** Topics that should win ties (from safety routing or the conversation). */
  preferTopics?: string[];
  /** Restrict to docs in these languages; by logical id the best-scoring version wins. */
  langs?: string[];
  /** Documents that may answer (a procedure only where it has a record for the asker's province or a national one). */
  eligible?: (doc: IndexedDoc) => boolean;
  confidenceModel: ConfidenceModel;
}

export const DEFAULT_RETRIEVER_SETTINGS = { rrfK: 20, lexicalLimit: 60, vectorLimit: 25, keep: 10 } as const;

/**
 * How much of the question the document speaks about — the main guard against confident
 * guesses. Each word counts by its rarity in the knowledge base; a word the knowledge base never
 * uses ("facebook", "visa", "xổ số") counts the most, since the question is then about something
 * we have no content for.
 */
export function coverageOf(
  contentTokens: string[],
  docTokens: Set<string>,
  weights: readonly number[],
  alternatives: Record<string, string[][]> = {},
  written: string[] = [],
  docExact: Set<string> = new Set(),
): { share: number; mass: number } {
  let hit = 0;
  let total = 0;
  for (let i = 0; i < contentTokens.length; i++) {
    const t = contentTokens[i];
    const w = weights[i];
    total += w;
    // A word typed with diacritics must match as written: "xổ số" is not "Xơ Đăng".
    const present = written[i] ? docExact.has(written[i]) : docTokens.has(t);
    if (present || (alternatives[t] ?? []).some((alt) => alt.every((a) => docTokens.has(a)))) hit += w;
  }
  return { share: total === 0 ? 0 : hit / total, mass: hit };
}

/** Covered rarity mass at which evidence counts as complete (about three distinctive words). */
const FULL_MASS = 12;

/**
 * Share of the question's word pairs found in the document. Only pairs the knowledge base uses
 * somewhere count (Vietnamese words are mostly two syllables; a pair straddling two words, like
 * "bao tam" in "khai báo tạm trú", is noise), and a pair also counts when the document uses a
 * synonym of it ("qua mạng" ~ "trực tuyến").
 */
function synonymPair(b: string, alternatives: Record<string, string[][]>): boolean {
  const [a, c] = b.split(' ');
  return Boolean(alternatives[a]?.length && alternatives[c]?.length);
}

export function bigramCoverageOf(bigrams: string[], docBigrams: Set<string>, docTokens: Set<string>, alternatives: Record<string, string[][]> = {}): number {
  if (bigrams.length === 0) return 0;
  let hit = 0;
  for (const b of bigrams) {
    if (docBigrams.has(b)) hit++;
    else {
      const alts = alternatives[b.slice(0, b.indexOf(' '))];
      if (alts?.some((alt) => (alt.length === 1 ? docTokens.has(alt[0]) : docBigrams.has(`${alt[0]} ${alt[1]}`)))) hit++;
    }
  }
  return hit / bigrams.length;
}

export async function retrieve(
  index: KnowledgeIndex,
  embedder: Embedder,
  q: AnalysedQuery,
  options: RetrieverOptions,
  search: ChunkSearch = inlineChunkSearch,
): Promise<RetrievalResult> {
  const match = ftsQuery(q, (t) => (index.vocab.get(t) ?? 0) / Math.max(1, index.manifest.chunks));
  const [queryVector] = await embedder.embedQueries([q.embedText]);
  const { lexical, vector, ran } = await search.search(index, { match, lexicalLimit: options.lexicalLimit, vector: queryVector, vectorLimit: options.vectorLimit });

  const allowed = (doc: IndexedDoc) => (!options.langs || options.langs.includes(doc.lang)) && (!options.eligible || options.eligible(doc));
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
  // The two searches agree when their first documents are about the same topic (an article and
  // the procedure record of the same service agree).
  const firstOf = (key: 'lex' | 'vec') => [...perDoc.values()].find((e) => e[key]?.rank === 1)?.doc;
  const lexFirst = firstOf('lex');
  const vecFirst = firstOf('vec');
  const sameSubject = (a: IndexedDoc, b: IndexedDoc | undefined) => b !== undefined && (a.id === b.id || a.topics.some((t) => b.topics.includes(t)));
  const chunks = Math.max(1, index.manifest.chunks);
  const weights = q.contentTokens.map((t) => Math.log(1 + chunks / (1 + (index.vocab.get(t) ?? 0))));
  const unknown = q.contentTokens.filter((t, i) => (q.contentWritten[i] ? !index.knownExactToken(q.contentWritten[i], tokenize) : !index.vocab.has(t)));
  const unknownShare = q.contentTokens.length ? unknown.length / q.contentTokens.length : 0;
  // A pair of two known words that never occur together straddles two words ("bao tam" in
  // "khai báo tạm trú") and is ignored; a pair with a word we never use ("xổ số") still counts.
  const knownWord = (w: string) => index.vocab.has(w);
  const bigrams = q.contentBigrams.filter((b) => {
    const [a, c] = b.split(' ');
    return index.knownBigram(b) || synonymPair(b, q.alternatives) || !knownWord(a) || !knownWord(c) || unknown.includes(a) || unknown.includes(c);
  });

  // The coverage measures are the costly part, and they can only lower a score (by up to 40%).
  // Documents are taken in order of their score before coverage; once `keep` finished candidates
  // beat the best a document could still reach, neither it nor any later one can enter the
  // results, so the first `keep` results are exactly those of measuring every document.
  const entries = [...perDoc.values()].map(({ doc, lex, vec }, order) => {
    let base = (lex ? 1 / (options.rrfK + lex.rank) : 0) + (vec ? 1 / (options.rrfK + vec.rank) : 0);
    // Curated articles are written to answer citizens; long procedure records without a mapped
    // topic match many words by sheer length, so they need to win clearly to come first.
    if (doc.kind === 'procedure' && doc.topics.length === 0) base *= 0.75;
    if (doc.topics.some((t) => prefer.has(t))) base += 0.05;
    return { doc, lex, vec, order, base };
  });
  entries.sort((a, b) => b.base - a.base || a.order - b.order);
  const finished: Array<Candidate & { order: number }> = [];
  const best: number[] = []; // finished scores, descending, at most `keep`
  for (const { doc, lex, vec, order, base } of entries) {
    if (best.length === options.keep && best[options.keep - 1] > base) break;
    // Language versions share a logical id: measure against the version that matches the question best.
    const versions = [...(index.byId.get(doc.id)?.values() ?? [doc])];
    let coverage = 0;
    let coveredMass = 0;
    let bigramCoverage = 0;
    for (const v of versions) {
      const c = coverageOf(q.contentTokens, index.docTokens(v.rowid, tokenize), weights, q.alternatives, q.contentWritten, index.docExactTokens(v.rowid, tokenize));
      coverage = Math.max(coverage, c.share);
      coveredMass = Math.max(coveredMass, Math.min(1, c.mass / FULL_MASS));
      bigramCoverage = Math.max(bigramCoverage, bigramCoverageOf(bigrams, index.docBigrams(v.rowid), index.docTokens(v.rowid, tokenize), q.alternatives));
    }
    const score = base * (0.6 + 0.4 * coverage);
    finished.push({
      order,
      doc,
      score,
      lexicalRank: lex?.rank ?? null,
      vectorRank: vec?.rank ?? null,
      lexicalScore: lex?.score ?? 0,
      vectorScore: vec?.score ?? 0,
      coverage,
      bigramCoverage,
      features: {
        coverage,
        bigramCoverage,
        vector: vec?.score ?? 0,
        unknownShare,
        agreement: sameSubject(doc, lexFirst) && sameSubject(doc, vecFirst) ? 1 : 0,
        coveredMass,
      },
      bestSection: (lex ?? vec)?.section ?? -1,
    });
    let at = best.findIndex((b) => b < score);
    if (at === -1) at = best.length;
    best.splice(at, 0, score);
    if (best.length > options.keep) best.pop();
  }
  // Ties keep the order in which the searches found the documents.
  finished.sort((a, b) => b.score - a.score || a.order - b.order);
  const candidates: Candidate[] = finished.slice(0, options.keep).map(({ order: _order, ...c }) => c);
  return { candidates, confidence: confidenceFrom(candidates[0]?.features, options.confidenceModel), ftsQuery: match, searchedOn: ran };
}

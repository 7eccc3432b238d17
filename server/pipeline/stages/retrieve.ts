import type { ChunkSearch } from '../../retrieval/chunk-search.js';
import type { ConfidenceModel } from '../../retrieval/confidence.js';
import { DEFAULT_RETRIEVER_SETTINGS, retrieve } from '../../retrieval/hybrid-retriever.js';
import type { ProcedureScope } from '../../knowledge/procedure-scope.js';
import { round } from '../composer.js';
import { CONTINUE, type Stage, type StageResult, type Turn } from '../turn.js';

export interface RetrieveStageDeps {
  confidenceModel: ConfidenceModel;
  /** Where the lexical and vector searches run (a worker thread, or inline). */
  search: ChunkSearch;
  /** Whose procedure records answer a province's citizens (its own, its successor's, national ones). */
  procedureScope: (province: string) => ProcedureScope;
}

/** Hybrid lexical + vector retrieval, fused and calibrated into one confidence. */
export function createRetrieveStage(deps: RetrieveStageDeps): Stage {
  return {
    name: 'retrieve',
    async run(turn: Turn, d: Record<string, unknown>): Promise<StageResult> {
      const { index, embedder } = turn.snapshot;
      const scope = deps.procedureScope(turn.provinceCode);
      const r = await retrieve(
        index,
        embedder,
        turn.query!,
        {
          ...DEFAULT_RETRIEVER_SETTINGS,
          confidenceModel: deps.confidenceModel,
          preferTopics: [...turn.verdict!.topics],
          // Procedures with no record for this province (or its successor) and no national one are never candidates.
          eligible: (doc) => index.eligible(doc.rowid, scope),
        },
        deps.search,
      );
      turn.candidates = r.candidates;
      turn.confidence = r.confidence;
      Object.assign(d, {
        fts: r.ftsQuery,
        searchedOn: r.searchedOn,
        confidence: r.confidence,
        top: r.candidates.slice(0, 5).map((c) => ({ id: c.doc.id, score: round(c.score), coverage: round(c.coverage), bigrams: round(c.bigramCoverage), vector: round(c.vectorScore), lex: c.lexicalRank, vec: c.vectorRank })),
      });
      return CONTINUE;
    },
  };
}

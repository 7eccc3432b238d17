import type { Db } from '../db/database.js';
import type { Embedder } from '../embeddings/embedder.js';
import { buildIndex, type BuildProgress, type BuildResult } from './index-builder.js';
import { loadKnowledge, type SourceProblem } from './knowledge-source.js';
import { readCatalogueFile, storeProcedures } from './procedures.js';

export class IngestError extends Error {
  constructor(readonly problems: SourceProblem[]) {
    super(`${problems.length} knowledge file(s) could not be read:\n${problems.map((p) => `  - ${p.file}: ${p.message}`).join('\n')}`);
  }
}

export interface IngestOptions {
  knowledgeDir: string;
  indexDir: string;
  db: Db;
  embedder: Embedder;
  officialUrl: string | null;
  seedProceduresFile: string | null;
  force?: boolean;
  /** Build from the good files even when some are broken (they are reported either way). */
  allowErrors?: boolean;
  onProgress?: (p: BuildProgress) => void;
}

export interface IngestReport {
  build: BuildResult;
  problems: SourceProblem[];
  seeded: number;
}

/** Seeds the sample catalogue on first use, reads all knowledge, builds a snapshot if anything changed. */
export async function ingest(opts: IngestOptions): Promise<IngestReport> {
  let seeded = 0;
  const count = (opts.db.prepare('SELECT COUNT(*) AS n FROM procedure_records').get() as { n: number }).n;
  if (count === 0 && opts.seedProceduresFile) {
    const report = readCatalogueFile(opts.seedProceduresFile, '2021');
    seeded = storeProcedures(opts.db, report.records).inserted;
  }
  const { docs, problems } = loadKnowledge({ knowledgeDir: opts.knowledgeDir, db: opts.db, officialUrl: opts.officialUrl });
  if (problems.length && !opts.allowErrors) throw new IngestError(problems);
  const build = await buildIndex({ indexDir: opts.indexDir, docs, embedder: opts.embedder, force: opts.force, onProgress: opts.onProgress });
  return { build, problems, seeded };
}

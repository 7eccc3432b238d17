import { loadConfigOrExit } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { createEmbedder } from '../server/embeddings/create-embedder.js';
import { ingest, IngestError } from '../server/knowledge/ingest.js';
import { loadProvinceProfile } from '../server/knowledge/province-profiles.js';
import { progressBar } from './progress.js';
import { runMain } from './run-main.js';

const USAGE = `Usage: npm run ingest [-- --force] [--allow-errors]
  Builds the knowledge index from knowledge/ and the imported procedure catalogue.
  Incremental: unchanged chunks keep their vectors; nothing is rebuilt when nothing changed.
  --force         rebuild even if nothing changed
  --allow-errors  build from the readable files even when some are broken (they are listed)`;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = args.filter((a) => !['--force', '--allow-errors'].includes(a));
  if (unknown.length) {
    console.error(`Unknown option(s): ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  const config = loadConfigOrExit();
  const db = openDatabase(config.databasePath);
  try {
    const embedder = await createEmbedder(config.embedder);
    const bar = progressBar('embedding');
    const national = loadProvinceProfile(config.knowledgeDir, 'national');
    const report = await ingest({
      knowledgeDir: config.knowledgeDir,
      indexDir: config.indexDir,
      db,
      embedder,
      officialUrl: national.values.national_portal_url || null,
      seedProceduresFile: config.seedProceduresFile,
      force: args.includes('--force'),
      allowErrors: args.includes('--allow-errors'),
      onProgress: (p) => p.phase === 'embed' && bar(p.done, p.total),
    });
    for (const p of report.problems) console.error(`skipped ${p.file}: ${p.message}`);
    if (report.seeded) console.log(`imported ${report.seeded} procedure records from ${config.seedProceduresFile}`);
    const m = report.build.manifest;
    if (!report.build.upToDate && report.build.damaged) console.error(`the current index was damaged (${report.build.damaged}): rebuilt it`);
    if (report.build.upToDate) console.log(`index ${m.version} is up to date (${m.docs} documents, ${m.chunks} chunks, ${m.embedderId})`);
    else console.log(`built index ${m.version}: ${m.docs} documents, ${m.chunks} chunks, ${m.reusedEmbeddings} vectors reused, ${m.embedderId}, ${m.buildMs} ms`);
    return report.problems.length ? 1 : 0;
  } catch (err) {
    if (err instanceof IngestError) {
      console.error(`${err.message}\nThe current index was left unchanged. Fix the files, or re-run with --allow-errors.`);
      return 1;
    }
    throw err;
  } finally {
    db.close();
  }
}

runMain(main);

/**
 * Imports a translated XLIFF 2.0 or CSV file as drafts awaiting review. Each segment is
 * checked (placeholders, Markdown structure, links, nothing empty); problems are printed per
 * segment id. Nothing is served before a reviewer approves it, and an approved translation is
 * never overwritten by an import (the import becomes a pending revision).
 *
 *   npx tsx scripts/translation-import.ts --lang bdq FILE [--translator NAME] [--format xliff|csv]
 *        [--no-draft-files] [--knowledge DIR] [--locales DIR] [--db FILE]
 *
 * Exit status: 0 all segments accepted, 1 some segments rejected (the valid ones are imported), 2 usage or file error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatImportReport, importTranslations, ImportError } from '../server/translation/import.js';
import { parseArgs, runCli, str, UsageError, withStore } from '../server/translation/cli.js';

const USAGE = 'Usage: translation-import --lang CODE FILE [--translator NAME] [--format xliff|csv] [--no-draft-files] [--knowledge DIR] [--locales DIR] [--db FILE]';

function main(): number {
  const args = parseArgs(process.argv.slice(2), ['lang', 'format', 'translator', 'knowledge', 'locales', 'db']);
  const lang = str(args, 'lang');
  const file = args.positional[0];
  const format = str(args, 'format');
  if (!lang || !file || (format && format !== 'xliff' && format !== 'csv')) throw new UsageError(USAGE);
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  return withStore(args, (paths, store) => {
    const report = importTranslations(fs.readFileSync(file, 'utf8'), {
      lang,
      paths,
      store,
      ...(format ? { format: format as 'xliff' | 'csv' } : {}),
      fileName: path.basename(file),
      translator: str(args, 'translator') ?? null,
      importedBy: process.env.USER ?? null,
      writeDraftFiles: !args.flags.has('no-draft-files'),
    });
    console.log(formatImportReport(report));
    return report.errors.length ? 1 : 0;
  });
}

runCli(main, [ImportError]);

/**
 * Exports what needs translating into a language (missing or stale strings and articles) as
 * XLIFF 2.0 or CSV, with translation-memory and glossary suggestions for the translator.
 *
 *   npx tsx scripts/translation-export.ts --lang bdq --format xliff|csv --out FILE
 *        [--all] [--no-suggestions] [--translator NAME] [--knowledge DIR] [--locales DIR] [--db FILE]
 *
 * The Vietnamese texts exported are kept in the database so the import can check the
 * translation against exactly what the translator saw.
 */
import fs from 'node:fs';
import { exportForTranslation } from '../server/translation/export.js';
import { parseArgs, runCli, str, UsageError, withStore } from '../server/translation/cli.js';

const USAGE = 'Usage: translation-export --lang CODE --format xliff|csv --out FILE [--all] [--no-suggestions] [--translator NAME] [--knowledge DIR] [--locales DIR] [--db FILE]';

function main(): number {
  const args = parseArgs(process.argv.slice(2), ['lang', 'format', 'out', 'translator', 'knowledge', 'locales', 'db']);
  if (args.flags.has('help')) {
    console.log(USAGE);
    return 0;
  }
  const lang = str(args, 'lang');
  const format = str(args, 'format') ?? 'xliff';
  const out = str(args, 'out');
  if (!lang || !out || (format !== 'xliff' && format !== 'csv')) throw new UsageError(USAGE);
  return withStore(args, (paths, store) => {
    const r = exportForTranslation({
      lang,
      paths,
      store,
      format,
      scope: args.flags.has('all') ? 'all' : 'needed',
      suggestions: !args.flags.has('no-suggestions'),
      translator: str(args, 'translator') ?? null,
    });
    fs.writeFileSync(out, r.text);
    const withSuggestions = r.doc.units.filter((u) => u.suggestions.length > 0).length;
    console.log(`exported ${r.units} segments for ${lang} to ${out}: ${r.strings} strings, ${r.articles} articles; ${withSuggestions} segments with suggestions`);
    return 0;
  });
}

runCli(main);

/**
 * Review from the command line (the staff console uses the same functions through
 * /staff/api/translations/*): list pending translations, show one beside its Vietnamese
 * source with a line diff, approve or reject it.
 *
 *   npx tsx scripts/translation-review.ts list [--lang CODE]
 *   npx tsx scripts/translation-review.ts show ID
 *   npx tsx scripts/translation-review.ts approve ID --reviewer NAME
 *   npx tsx scripts/translation-review.ts reject ID --reviewer NAME --reason TEXT
 *        [--knowledge DIR] [--locales DIR] [--db FILE]
 *
 * Approval writes the served file (knowledge/articles/<lang>/<id>.md, or
 * server/i18n/locales/<lang>/<ns>.json); a reviewer cannot approve their own translation.
 */
import { formatDiff, hasChanges } from '../server/translation/diff.js';
import { approveRevision, listPending, rejectRevision, showRevision } from '../server/translation/review.js';
import { parseArgs, runCli, str, UsageError, withStore } from '../server/translation/cli.js';

const USAGE = 'Usage: translation-review list [--lang CODE] | show ID | approve ID --reviewer NAME | reject ID --reviewer NAME --reason TEXT';

function main(): number {
  const args = parseArgs(process.argv.slice(2), ['lang', 'reviewer', 'reason', 'knowledge', 'locales', 'db']);
  const [command, rawId] = args.positional;
  const id = Number(rawId);
  if (!command || (command !== 'list' && !Number.isInteger(id))) throw new UsageError(USAGE);
  return withStore(args, (paths, store) => {
    if (command === 'list') {
      const lang = str(args, 'lang');
      const items = listPending(store, paths, lang ? { lang } : {});
      if (!items.length) console.log('nothing waits for review');
      for (const p of items) {
        const flags = [p.overApproved ? 'replaces an approved translation' : '', p.sourceChanged ? 'Vietnamese changed since' : ''].filter(Boolean).join('; ');
        console.log(`#${p.id}  ${p.lang}  ${p.kind.padEnd(7)} ${p.itemId}  by ${p.translator}, ${p.createdAt.slice(0, 10)}${flags ? `  (${flags})` : ''}`);
      }
      return 0;
    }
    if (command === 'show') {
      const v = showRevision(store, paths, id);
      console.log(`#${v.revision.id} ${v.revision.lang} ${v.revision.kind} ${v.revision.itemId} — ${v.revision.status}, translated by ${v.revision.translator}`);
      console.log(v.sourceChanged ? '\nThe Vietnamese text changed since this was translated (- then, + now):' : '\nThe Vietnamese text is unchanged since this was translated.');
      if (hasChanges(v.sourceDiff)) console.log(formatDiff(v.sourceDiff.filter((l) => l.op !== ' ')));
      console.log('\nSegments (Vietnamese → translation):');
      for (const s of v.segments) console.log(`  [${s.unit}] ${s.source}\n      → ${s.target}`);
      if (v.translationDiff) console.log(`\nAgainst the translation served now:\n${formatDiff(v.translationDiff.filter((l) => l.op !== ' '))}`);
      return 0;
    }
    const reviewer = str(args, 'reviewer');
    if (!reviewer) throw new UsageError(`${command} needs --reviewer NAME`);
    if (command === 'approve') {
      const r = approveRevision(store, paths, id, { reviewer: { username: reviewer } });
      console.log(`approved #${id}: wrote ${r.file}${r.stale ? ' — the Vietnamese text changed since; it is served only after it is translated again (stale)' : ''}`);
      console.log(r.revision.kind === 'article' ? 'Run `npm run ingest` to serve it.' : 'Restart the assistant to serve it.');
      return 0;
    }
    if (command === 'reject') {
      rejectRevision(store, paths, id, { reviewer: { username: reviewer }, reason: str(args, 'reason') ?? '' });
      console.log(`rejected #${id}`);
      return 0;
    }
    throw new UsageError(USAGE);
  });
}

runCli(main);

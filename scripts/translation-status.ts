/**
 * Prints, per language, how complete its pack is: strings translated / total (stale, missing)
 * and articles approved / draft / stale / missing, plus translations waiting for review.
 *
 *   npx tsx scripts/translation-status.ts [--lang CODE] [--list] [--json] [--init]
 *                                         [--knowledge DIR] [--locales DIR] [--db FILE]
 *
 * --list  also list the stale and missing items of each language
 * --init  create the pack folder and manifest of every ethnic language a province offers
 */
import { allPacks, initPack, packCompleteness, profileEthnicLanguages } from '../server/translation/packs.js';
import { openStore, parseArgs, pathsFrom, str, UsageError } from '../server/translation/cli.js';

function main(): number {
  const args = parseArgs(process.argv.slice(2), ['lang', 'knowledge', 'locales', 'db']);
  const paths = pathsFrom(args);
  if (args.flags.has('init')) {
    for (const code of profileEthnicLanguages(paths.knowledgeDir)) if (initPack(paths, code)) console.log(`created pack ${code}`);
  }
  const lang = str(args, 'lang');
  const packs = lang ? [packCompleteness(paths, lang)] : allPacks(paths);
  let pending: Array<{ lang: string; kind: string; n: number }> = [];
  if (!args.flags.has('no-db')) {
    try {
      const { db, store } = openStore(args);
      pending = store.pendingCounts();
      db.close();
    } catch {
      /* no database yet: nothing pending */
    }
  }
  if (args.flags.has('json')) {
    console.log(JSON.stringify({ packs, pending }, null, 2));
    return 0;
  }
  const pad = (s: string | number, n: number) => String(s).padEnd(n);
  console.log(`${pad('lang', 6)}${pad('name', 22)}${pad('script', 7)}${pad('strings', 18)}${pad('articles (appr/draft/stale/missing)', 37)}pending review`);
  for (const p of packs) {
    const s = `${p.strings.translated}/${p.strings.total}${p.strings.stale ? ` (${p.strings.stale} stale)` : ''}`;
    const a = `${p.articles.approved}/${p.articles.total}  ${p.articles.approved}/${p.articles.draft}/${p.articles.stale}/${p.articles.missing}`;
    const pend = pending.filter((x) => x.lang === p.lang).map((x) => `${x.n} ${x.kind}${x.n === 1 ? '' : 's'}`).join(', ') || '-';
    console.log(`${pad(p.lang, 6)}${pad(p.name.slice(0, 21), 22)}${pad(p.script, 7)}${pad(s, 18)}${pad(a, 37)}${pend}`);
    if (args.flags.has('list')) {
      if (p.staleStrings.length) console.log(`      stale strings (${p.staleStrings.length}): ${p.staleStrings.join(', ')}`);
      if (p.missingStrings.length) console.log(`      missing strings: ${p.missingStrings.length}`);
      if (p.staleArticles.length) console.log(`      stale articles (${p.staleArticles.length}): ${p.staleArticles.join(', ')}`);
      if (p.draftArticles.length) console.log(`      draft articles (${p.draftArticles.length}): ${p.draftArticles.join(', ')}`);
      if (p.missingArticles.length) console.log(`      missing articles: ${p.missingArticles.length}`);
    }
  }
  return 0;
}

try {
  process.exit(main());
} catch (err) {
  console.error(err instanceof UsageError ? `${err.message}` : (err as Error).message);
  process.exit(2);
}

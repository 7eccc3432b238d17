import { performance } from 'node:perf_hooks';
import { createTypoCorrector } from '../server/text/typo.js';
import { pseudoWords } from '../server/text/pseudo-words.js';
import { runMain } from './run-main.js';

/**
 * How long the typo corrector takes to build over a large vocabulary and to answer queries, as
 * figures (the unit test checks only that it corrects). Usage: npm run bench:typo [-- WORDS]
 */
runMain(async () => {
  const size = Number(process.argv[2] ?? 20_000);
  if (!Number.isInteger(size) || size < 100) throw new Error('WORDS must be a whole number of at least 100');
  const words = pseudoWords(size);
  const vocab = new Map(words.map((w, i) => [w, 1 + (i % 1000)]));
  const t0 = performance.now();
  const c = createTypoCorrector(vocab);
  const built = performance.now() - t0;
  const queries = words.slice(0, 2000).map((w, i) => (i % 2 ? `${w}z` : w.slice(1)));
  const t1 = performance.now();
  let found = 0;
  for (const q of queries) if (c.correct(q)) found++;
  const queried = performance.now() - t1;
  console.log(`typo corrector, ${size} words: built in ${built.toFixed(0)} ms; ${queries.length} queries in ${queried.toFixed(0)} ms (${((queried / queries.length) * 1000).toFixed(0)} µs each), ${found} corrected`);
  return 0;
});

import path from 'node:path';
import { PROJECT_ROOT } from '../server/config.js';
import { EvalSetError } from './eval-set.js';
import { printReport } from './print-report.js';
import { loadSets, runEval } from './run-eval.js';
import { defaultSets, setFileFor, type SetFile } from './set-files.js';

const USAGE = `Usage: npm run eval -- [--set FILE]... [--json] [--threshold X] [--no-failures]
  Default sets: ../shared/eval/dev-questions.jsonl and ../shared/eval/real-faq-dev.jsonl (when
  present), then eval/sets/tuning/*.jsonl and eval/sets/held-out/*.jsonl.
  A set's role (tuning or held-out) is its folder under eval/sets; other files count as tuning.
  --json         print exactly one JSON object on stdout
  --threshold    answer/fallback threshold to evaluate (default: the configured one)
  --no-failures  leave out the list of failed questions
  --answers FILE write every answer (JSONL) to FILE, to read answers before and after a change`;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const sets: SetFile[] = [];
  let threshold: number | undefined;
  let answersFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--set') {
      const file = args[++i];
      if (!file) {
        console.error(`--set needs a file\n${USAGE}`);
        return 2;
      }
      sets.push(setFileFor(path.resolve(file)));
    } else if (args[i] === '--threshold') threshold = Number(args[++i]);
    else if (args[i] === '--answers') {
      answersFile = args[++i];
      if (!answersFile) {
        console.error(`--answers needs a file\n${USAGE}`);
        return 2;
      }
    }
    else if (args[i] !== '--json' && args[i] !== '--no-failures') {
      console.error(`Unknown argument "${args[i]}"\n${USAGE}`);
      return 2;
    }
  }
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) {
    console.error('--threshold must be a number between 0 and 1');
    return 2;
  }
  let loaded;
  try {
    loaded = loadSets(sets.length ? sets : defaultSets(PROJECT_ROOT));
  } catch (err) {
    if (err instanceof EvalSetError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const run = await runEval(loaded, { threshold, answersFile: answersFile && path.resolve(answersFile) });
  if (args.includes('--json')) console.log(JSON.stringify(run));
  else console.log(printReport(run, !args.includes('--no-failures')));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);

import fs from 'node:fs';
import { loadConfigOrExit } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { exportRecords, toCsv, toJsonl } from '../server/review/export.js';
import { FilterError, type AnswerFilters } from '../server/review/filters.js';
import { isOutcome, OUTCOMES } from '../server/domain/outcomes.js';

const USAGE = `Usage: npm run export -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format csv|jsonl] [--out FILE]
  [--channel C] [--province P] [--kind K] [--outcome O] [--review unreviewed|reviewed|correct|…] [--include-test]
  Writes redacted answer records (questions were redacted before storage).`;

function main(): number {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const format = opt('--format') ?? 'csv';
  if (format !== 'csv' && format !== 'jsonl') {
    console.error(`--format must be csv or jsonl\n${USAGE}`);
    return 2;
  }
  const outcome = opt('--outcome');
  if (outcome !== undefined && !isOutcome(outcome)) {
    console.error(`--outcome must be one of ${OUTCOMES.join(', ')}\n${USAGE}`);
    return 2;
  }
  const filters: AnswerFilters = {
    from: opt('--from'),
    to: opt('--to'),
    channel: opt('--channel'),
    province: opt('--province'),
    kind: opt('--kind'),
    outcome,
    review: opt('--review') as AnswerFilters['review'],
    includeTest: args.includes('--include-test'),
  };
  const db = openDatabase(loadConfigOrExit().databasePath);
  try {
    const records = exportRecords(db, filters);
    const out = opt('--out');
    const fd = out ? fs.openSync(out, 'w') : 1;
    let n = 0;
    const counted = (function* () {
      for (const r of records) {
        n++;
        yield r;
      }
    })();
    for (const chunk of format === 'csv' ? toCsv(counted) : toJsonl(counted)) fs.writeSync(fd, chunk);
    if (out) fs.closeSync(fd);
    console.error(`${n} record(s) exported${out ? ` to ${out}` : ''}.`);
    return 0;
  } catch (err) {
    if (err instanceof FilterError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  } finally {
    db.close();
  }
}

process.exit(main());

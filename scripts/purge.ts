import { loadConfigOrExit } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { purgeOlderThan } from '../server/review/retention.js';

/** Deletes answer records older than RETENTION_DAYS (or --days N), keeping daily aggregates. */
function main(): number {
  const args = process.argv.slice(2);
  const i = args.indexOf('--days');
  const config = loadConfigOrExit();
  const days = i >= 0 ? Number(args[i + 1]) : config.retentionDays;
  if (!Number.isInteger(days) || days < 1) {
    console.error('Usage: npm run purge [-- --days N]   (N ≥ 1; default RETENTION_DAYS)');
    return 2;
  }
  const db = openDatabase(config.databasePath);
  try {
    const r = purgeOlderThan(db, days);
    console.log(`Purged ${r.answers} answer(s), ${r.conversations} conversation(s), ${r.safetyEvents} safety event(s) older than ${r.cutoff}; daily counts kept.`);
    return 0;
  } finally {
    db.close();
  }
}

process.exit(main());

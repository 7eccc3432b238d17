import { loadConfigOrExit } from '../server/config.js';
import { backupDatabase, BackupError } from '../server/ops/backup.js';

/** npm run backup -- FILE : a consistent copy of the database while the server keeps serving. */
async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || file.startsWith('-')) {
    console.error('Usage: npm run backup -- FILE   (a new file; the database is copied with SQLite\'s online backup)');
    return 2;
  }
  const config = loadConfigOrExit();
  try {
    const r = await backupDatabase(config.databasePath, file);
    console.log(`Backup written to ${r.file}: ${(r.bytes / 1048576).toFixed(1)} MB, schema version ${r.schemaVersion}, ${Math.round(r.ms)} ms.`);
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      console.error(`Backup failed: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

process.exit(await main());

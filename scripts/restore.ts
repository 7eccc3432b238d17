import { loadConfigOrExit } from '../server/config.js';
import { restoreDatabase, BackupError } from '../server/ops/backup.js';

/** npm run restore -- FILE : a backup becomes the database of an empty data folder (DATA_DIR). */
async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || file.startsWith('-')) {
    console.error('Usage: npm run restore -- FILE   (into an empty data folder; start the server afterwards)');
    return 2;
  }
  const config = loadConfigOrExit();
  try {
    const r = await restoreDatabase(file, config.databasePath, config.indexDir);
    console.log(`Restored ${file} to ${r.file} (schema version ${r.schemaVersion}, ${Math.round(r.ms)} ms). Start the server: migrations run and the knowledge index is rebuilt. Messages still waiting in the channel inbox are sealed with the old server's key: copy its INBOX_KEY_FILE to ${config.inboxKeyFile} before starting.`);
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      console.error(`Restore failed: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

process.exit(await main());

/**
 * Loads a scam host list into the application database.
 *
 *   npm run blocklist:update -- FILE [--source NAME] [--licence TEXT] [--db PATH]
 *
 * Prints added / skipped / invalid counts. Exits with status 1 and a message
 * for a missing, empty or binary file, and with status 2 for bad arguments.
 */
import path from 'node:path';
import { loadConfigOrExit } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { BlocklistFileError, createBlocklist, readBlocklistFile } from '../server/safety/blocklist.js';

const USAGE = `Usage: npm run blocklist:update -- FILE [--source NAME] [--licence TEXT] [--db PATH]
  FILE       host list, one host per line (# comments and blank lines skipped)
  --source   name recorded with each entry (default: the file name)
  --licence  licence of the list, recorded in blocklist_sources (default: "unknown")
  --db       SQLite database (default: the configured DATABASE_PATH)`;

class UsageError extends Error {}

interface Args {
  file: string;
  source: string;
  licence: string;
  db: string | null;
}

function parseArgs(argv: string[]): Args {
  let file: string | null = null;
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (a === '--source' || a === '--licence' || a === '--license' || a === '--db') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${a} needs a value`);
      opts[a === '--license' ? 'licence' : a.slice(2)] = value;
    } else if (a.startsWith('--')) {
      throw new UsageError(`Unknown option ${a}`);
    } else if (file === null) {
      file = a;
    } else {
      throw new UsageError(`Only one FILE may be given (got "${file}" and "${a}")`);
    }
  }
  if (!file) throw new UsageError('FILE is missing');
  return { file: path.resolve(file), source: opts.source ?? path.basename(file), licence: opts.licence ?? 'unknown', db: opts.db ?? null };
}


function databasePath(explicit: string | null): string {
  if (explicit) return path.resolve(explicit);
  // Only the database location is needed; fall back to the default layout if the
  // rest of the configuration (e.g. the province profile) is not valid here.
  try {
    return loadConfigOrExit().databasePath;
  } catch {
    return path.resolve(process.env.DATABASE_PATH ?? path.join(process.env.DATA_DIR ?? 'data', 'dvc.sqlite'));
  }
}

function main(): number {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let hosts: string[];
  try {
    hosts = readBlocklistFile(args.file);
  } catch (err) {
    if (err instanceof BlocklistFileError) {
      console.error(`blocklist:update: ${err.message}`);
      return 1;
    }
    throw err;
  }
  const dbFile = databasePath(args.db);
  const db = openDatabase(dbFile);
  try {
    const blocklist = createBlocklist(db);
    const result = blocklist.load(hosts, args.source, args.licence);
    console.log(`Loaded ${path.basename(args.file)} into ${dbFile} (source "${args.source}")`);
    console.log(`added: ${result.added}  skipped: ${result.skipped}  invalid: ${result.invalid}  total in list: ${blocklist.size()}`);
    if (result.added + result.skipped === 0) {
      console.error('blocklist:update: no valid host in the file');
      return 1;
    }
    return 0;
  } finally {
    db.close();
  }
}

process.exitCode = main();

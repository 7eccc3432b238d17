/** Shared option handling of the scripts/translation-*.ts command-line tools. */
import path from 'node:path';
import { loadConfig } from '../config.js';
import { openDatabase, type Db } from '../db/database.js';
import { DEFAULT_LOCALES_DIR, type PackPaths } from './packs.js';
import { createTranslationStore, type TranslationStore } from './store.js';

export interface CliArgs {
  flags: Map<string, string | true>;
  positional: string[];
}

export function parseArgs(argv: readonly string[], withValue: readonly string[]): CliArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) flags.set(name, a.slice(eq + 1));
      else if (withValue.includes(name)) {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
        flags.set(name, v);
        i++;
      } else flags.set(name, true);
    } else positional.push(a);
  }
  return { flags, positional };
}

export class UsageError extends Error {}

export function str(args: CliArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** Paths from --knowledge / --locales, else the configured knowledge folder and the project's locales. */
export function pathsFrom(args: CliArgs): PackPaths {
  const knowledge = str(args, 'knowledge');
  return {
    knowledgeDir: knowledge ? path.resolve(knowledge) : loadConfig().knowledgeDir,
    localesDir: path.resolve(str(args, 'locales') ?? DEFAULT_LOCALES_DIR),
  };
}

/** The application database (--db FILE, else DATABASE_PATH / DATA_DIR from the configuration). */
export function openStore(args: CliArgs): { db: Db; store: TranslationStore } {
  const file = str(args, 'db') ?? loadConfig().databasePath;
  const db = openDatabase(file);
  return { db, store: createTranslationStore(db) };
}

/** Runs `fn` with the pack paths and the translation store (see pathsFrom, openStore), closing the database after it. */
export function withStore<T>(args: CliArgs, fn: (paths: PackPaths, store: TranslationStore) => T): T {
  const paths = pathsFrom(args);
  const { db, store } = openStore(args);
  try {
    return fn(paths, store);
  } finally {
    db.close();
  }
}

/**
 * Runs a command's main() and exits with the status it returns. A thrown error prints its
 * message and exits with 2 when it is about how the command was called or its input
 * (UsageError, or one of `usageErrors`), else with 1.
 */
export function runCli(main: () => number, usageErrors: ReadonlyArray<abstract new (...args: never[]) => Error> = []): void {
  try {
    process.exit(main());
  } catch (err) {
    console.error((err as Error).message);
    process.exit(err instanceof UsageError || usageErrors.some((kind) => err instanceof kind) ? 2 : 1);
  }
}

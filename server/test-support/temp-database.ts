import fs from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { openDatabase, type Db } from '../db/database.js';
import { tempDir } from './temp-dir.js';

/**
 * For a test file: returns a function that opens a migrated application database in a fresh
 * folder, with `extraSql` run on it; the folders are removed after the file's tests.
 */
export function tempDatabases(extraSql = ''): () => Db {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  return () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = openDatabase(path.join(dir, 'dvc.sqlite'));
    if (extraSql) db.exec(extraSql);
    return db;
  };
}

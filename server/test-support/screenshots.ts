import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where browser tests save screenshots: docs/screenshots when UPDATE_SCREENSHOTS=1 (to refresh
 * the pictures in the docs), otherwise a temporary folder, so a test run leaves the tree clean.
 */
export function screenshotDir(): string {
  if (process.env.UPDATE_SCREENSHOTS === '1') return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
  const dir = path.join(os.tmpdir(), 'dvc-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

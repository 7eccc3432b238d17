import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project folder, found by walking up to our package.json. Shipped data (knowledge, locales,
 * migrations, client sources) is located from here rather than from each module's own folder, so
 * the same code runs from the TypeScript sources (tests, scripts) and compiled into `dist/`
 * (`npm start`).
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'dvc-assistant') return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the dvc-assistant package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. `projectPath('server', 'db', 'migrations')`. */
export function projectPath(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}

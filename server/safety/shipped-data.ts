import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file under knowledge/dictionaries/ shipped with the project (the safety stage's default data). */
export function shippedDictionaryPath(...parts: string[]): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'knowledge', 'dictionaries', ...parts);
}

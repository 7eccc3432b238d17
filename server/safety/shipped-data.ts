import { projectPath } from '../project-root.js';

/** A file under knowledge/dictionaries/ shipped with the project (the safety stage's default data). */
export function shippedDictionaryPath(...parts: string[]): string {
  return projectPath('knowledge', 'dictionaries', ...parts);
}

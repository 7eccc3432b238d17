import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';

/**
 * Data the team keeps beside the project in `../shared` and does not ship (evaluation sets,
 * originals of shipped copies, the coverage map). A clone with nothing beside it still runs
 * every other test; these say in their name why they were skipped.
 */
export interface SharedData {
  path: string;
  present: boolean;
  /** Appended to a test's name: empty when present, the reason when skipped. */
  note: string;
}

export function sharedData(relative: string): SharedData {
  const p = path.resolve(PROJECT_ROOT, '..', 'shared', relative);
  const present = fs.existsSync(p);
  return { path: p, present, note: present ? '' : ` [skipped: needs ../shared/${relative}, team data not shipped with the project]` };
}

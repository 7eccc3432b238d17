import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_BLOCKLIST_PATH, readBlocklistFile } from './blocklist.js';

interface Blocklist {
  size(): number;
  load(hosts: Iterable<string>, source: string, licence: string): { added: number; skipped: number; invalid: number };
}

/** Loads the shipped scam blocklist into an empty database, so a fresh install is protected at once. */
export function ensureBlocklistLoaded(blocklist: Blocklist, log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void }, file: string = DEFAULT_BLOCKLIST_PATH): void {
  if (blocklist.size() > 0) return;
  if (!fs.existsSync(file)) {
    log.warn({ file }, 'scam blocklist file missing: links are classified by heuristics only');
    return;
  }
  const licenceFile = path.join(path.dirname(file), 'LICENSE-chongluadao-blocklist.txt');
  const licence = fs.existsSync(licenceFile) ? 'BSD-3-Clause (see LICENSE-chongluadao-blocklist.txt)' : 'see provenance';
  const counts = blocklist.load(readBlocklistFile(file), path.basename(file), licence);
  log.info({ file: path.basename(file), ...counts }, 'scam blocklist loaded');
}

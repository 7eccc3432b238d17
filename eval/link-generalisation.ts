import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { createBlocklist, DEFAULT_BLOCKLIST_PATH, readBlocklistFile, splitHoldout } from '../server/safety/blocklist.js';
import { evaluateLinkClassifier } from '../server/safety/link-eval.js';
import { createSafetyChecker, loadOfficialDomains } from '../server/safety/safety-check.js';

export interface LinkFigures {
  detectionRate: number;
  falseAlarmRate: number;
  heldOut: number;
  official: number;
}

/**
 * How well link checks generalise to scam hosts they have never seen: every 10th blocklist entry
 * is held out of the loaded list (a fixed rule), then classified by the heuristics alone.
 */
export function measureLinkGeneralisation(): LinkFigures {
  const hosts = readBlocklistFile(DEFAULT_BLOCKLIST_PATH);
  const { loaded, heldOut } = splitHoldout(hosts, 10);
  const db = openDatabase(':memory:');
  try {
    const blocklist = createBlocklist(db);
    blocklist.load(loaded, 'holdout-eval', 'BSD-3-Clause');
    const checker = createSafetyChecker({ blocklist, officialDomains: loadOfficialDomains() });
    const officialHosts = fs
      .readFileSync(path.join(PROJECT_ROOT, 'knowledge', 'dictionaries', 'official-hosts-sample.txt'), 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const r = evaluateLinkClassifier({ heldOutScamHosts: heldOut, officialHosts, checker });
    return { detectionRate: r.detectionRate, falseAlarmRate: r.falseAlarmRate, heldOut: heldOut.length, official: officialHosts.length };
  } finally {
    db.close();
  }
}

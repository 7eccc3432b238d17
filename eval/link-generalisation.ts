import { openDatabase } from '../server/db/database.js';
import { createBlocklist, DEFAULT_BLOCKLIST_PATH, readBlocklistFile, splitHoldout } from '../server/safety/blocklist.js';
import { evaluateLinkClassifier, readOfficialHostSample, splitHoldoutByDomain } from '../server/safety/link-eval.js';
import { createSafetyChecker, loadOfficialDomains } from '../server/safety/safety-check.js';

export interface LinkFigures {
  /** Every 10th entry held out: its parent domain or a sibling is often still loaded. */
  detectionRate: number;
  /** Every 10th registrable domain held out with all its hosts: the heuristics alone. */
  unseenDomainDetectionRate: number;
  falseAlarmRate: number;
  heldOut: number;
  heldOutDomains: number;
  official: number;
}

/**
 * How well link checks generalise to scam hosts they have never seen: every 10th blocklist entry
 * is held out of the loaded list (a fixed rule), then classified by the heuristics alone.
 */
export function measureLinkGeneralisation(): LinkFigures {
  const hosts = readBlocklistFile(DEFAULT_BLOCKLIST_PATH);
  const officialHosts = readOfficialHostSample();
  const run = (split: { loaded: string[]; heldOut: string[] }) => {
    const db = openDatabase(':memory:');
    try {
      const blocklist = createBlocklist(db);
      blocklist.load(split.loaded, 'holdout-eval', 'BSD-3-Clause');
      const checker = createSafetyChecker({ blocklist, officialDomains: loadOfficialDomains() });
      return evaluateLinkClassifier({ heldOutScamHosts: split.heldOut, officialHosts, checker });
    } finally {
      db.close();
    }
  };
  const byEntry = splitHoldout(hosts, 10);
  const byDomain = splitHoldoutByDomain(hosts, 10);
  const entry = run(byEntry);
  const domain = run(byDomain);
  return {
    detectionRate: entry.detectionRate,
    unseenDomainDetectionRate: domain.detectionRate,
    falseAlarmRate: Math.max(entry.falseAlarmRate, domain.falseAlarmRate),
    heldOut: byEntry.heldOut.length,
    heldOutDomains: byDomain.heldOut.length,
    official: officialHosts.length,
  };
}

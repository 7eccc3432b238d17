/**
 * Measures the link classifier: how many scam hosts it catches that the
 * loaded blocklist does not contain (so the figure is about the heuristics),
 * and how many real official hosts it wrongly flags.
 */
import { shippedDictionaryPath } from './shipped-data.js';
import { normaliseBlocklistEntry, readBlocklistFile } from './blocklist.js';
import { registrableDomain, type LinkVerdict } from './links.js';

export const DEFAULT_OFFICIAL_HOSTS_SAMPLE_PATH = shippedDictionaryPath('official-hosts-sample.txt');

export interface LinkEvalInput {
  heldOutScamHosts: readonly string[];
  officialHosts: readonly string[];
  checker: { classifyHost(host: string): { verdict: LinkVerdict } };
}

export interface LinkEvalResult {
  /** Share of held-out scam hosts classified known_scam or suspicious. */
  detectionRate: number;
  /** Share of official hosts classified anything but official. */
  falseAlarmRate: number;
  /** Hosts evaluated in total (scam + official). */
  n: number;
  nScam: number;
  nOfficial: number;
  scamVerdicts: Record<LinkVerdict, number>;
  /** The official hosts that were flagged, to fix the allow-list or the heuristics. */
  falseAlarms: string[];
}

function emptyCounts(): Record<LinkVerdict, number> {
  return { official: 0, known_scam: 0, suspicious: 0, unknown: 0 };
}

export function evaluateLinkClassifier({ heldOutScamHosts, officialHosts, checker }: LinkEvalInput): LinkEvalResult {
  const scamVerdicts = emptyCounts();
  for (const host of heldOutScamHosts) scamVerdicts[checker.classifyHost(host).verdict]++;
  const falseAlarms = officialHosts.filter((h) => checker.classifyHost(h).verdict !== 'official');
  const nScam = heldOutScamHosts.length;
  const nOfficial = officialHosts.length;
  return {
    detectionRate: nScam === 0 ? 0 : (scamVerdicts.known_scam + scamVerdicts.suspicious) / nScam,
    falseAlarmRate: nOfficial === 0 ? 0 : falseAlarms.length / nOfficial,
    n: nScam + nOfficial,
    nScam,
    nOfficial,
    scamVerdicts,
    falseAlarms,
  };
}

/** Reads the official host sample (same format as a blocklist file). */
export function readOfficialHostSample(file: string = DEFAULT_OFFICIAL_HOSTS_SAMPLE_PATH): string[] {
  return readBlocklistFile(file);
}

/**
 * Stricter hold-out: every `every`-th registrable domain is held out with all
 * its hosts (www.x.com goes with x.com), so no held-out host has a listed
 * parent or twin and the figure shows what the heuristics catch on domains
 * the list has never seen. Invalid lines are dropped.
 */
export function splitHoldoutByDomain(hosts: readonly string[], every = 10): { loaded: string[]; heldOut: string[] } {
  if (!Number.isInteger(every) || every < 2) throw new Error('splitHoldoutByDomain: "every" must be an integer ≥ 2');
  const families = new Map<string, string[]>();
  for (const line of hosts) {
    const host = normaliseBlocklistEntry(line);
    if (!host) continue;
    const family = registrableDomain(host);
    const members = families.get(family);
    if (members) members.push(host);
    else families.set(family, [host]);
  }
  const loaded: string[] = [];
  const heldOut: string[] = [];
  [...families.values()].forEach((members, i) => ((i + 1) % every === 0 ? heldOut : loaded).push(...members));
  return { loaded, heldOut };
}

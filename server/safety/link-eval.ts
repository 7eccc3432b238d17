/**
 * Measures the link classifier: how many scam hosts it catches that the
 * loaded blocklist does not contain (so the figure is about the heuristics),
 * and how many real official hosts it wrongly flags.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBlocklistFile } from './blocklist.js';
import type { LinkVerdict } from './links.js';

export const DEFAULT_OFFICIAL_HOSTS_SAMPLE_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'knowledge',
  'dictionaries',
  'official-hosts-sample.txt',
);

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

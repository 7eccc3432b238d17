/**
 * The safety stage: runs on every message before retrieval and returns a
 * verdict that is safe to store (redacted text, kinds and hosts only — never a
 * detected value) and says where the message goes next.
 */
import { detectAbuse, type AbuseVerdict } from './abuse.js';
import { normaliseHost } from './host-name.js';
import { classifyHost, extractLinks, type HostClassification, type HostLookup, type LinkReason, type LinkVerdict } from './links.js';
import { matchOfficial, withExtraDomains, type OfficialDomains } from './official-domains.js';
import { detectScamScenario, type ScamScenario } from './scam-scenarios.js';
import { detectSensitive, type SensitiveKind } from './sensitive-data.js';

export { DEFAULT_OFFICIAL_DOMAINS_PATH, loadOfficialDomains, type OfficialDomains } from './official-domains.js';

export type SafetyRoute = 'continue' | 'safety' | 'refuse';

export interface SafetyLink {
  host: string;
  verdict: LinkVerdict;
  reasons: LinkReason[];
  officialAlternative?: string;
  /** The app the host pretends to be (VNeID), to be installed from the stores. */
  officialApp?: string;
}

export interface SafetyVerdict {
  /** The message with every detected secret replaced by its placeholder; the only form to pass on or store. */
  redactedText: string;
  /**
   * The redacted text with its links cut out: the links are judged here, and as search words they
   * would only pull in the fake-site article. Computed from the same extraction, so links are
   * read once per turn.
   */
  textWithoutLinks: string;
  sensitive: Array<{ kind: SensitiveKind; placeholder: string }>;
  links: SafetyLink[];
  scam: ScamScenario | null;
  abuse: AbuseVerdict | null;
  /**
   * refuse: abuse (hacking, prompt injection, insults).
   * safety: a secret was sent, a link is not official, or a scam is being reported.
   * continue: nothing risky (official links only → add a short confirmation).
   */
  route: SafetyRoute;
  /** Security topics to prefer when answering, most relevant first. */
  topics: string[];
}

export interface SafetyDeps {
  blocklist: HostLookup;
  officialDomains: OfficialDomains;
  /** The active province's own official domains (profile field `official_domains`). */
  extraOfficialDomains?: string[];
}

export interface SafetyChecker {
  check(text: string): SafetyVerdict;
  /** Classification of one host with the same data (used by the link evaluation). */
  classifyHost(host: string): HostClassification;
}

export function createSafetyChecker(deps: SafetyDeps): SafetyChecker {
  const official = withExtraDomains(deps.officialDomains, deps.extraOfficialDomains ?? []);
  const ctx = { blocklist: deps.blocklist, official };

  // Contact addresses on official domains (dichvucong@chinhphu.vn) are public, not personal data.
  const isPublicEmail = (address: string): boolean => {
    const host = normaliseHost(address.slice(address.lastIndexOf('@') + 1));
    return host !== null && matchOfficial(host, official) !== null && !host.includes('xn--');
  };

  const classify = (host: string): HostClassification => classifyHost(host, ctx);

  return {
    classifyHost: classify,
    check(text: string): SafetyVerdict {
      const { redacted, items } = detectSensitive(text, { isPublicEmail });
      // Links are read from the redacted text, so a secret inside a URL never reaches the verdict.
      const seen = new Set<string>();
      const links: SafetyLink[] = [];
      const extracted = extractLinks(redacted);
      for (const link of extracted) {
        if (seen.has(link.host)) continue;
        seen.add(link.host);
        const c = classify(link.host);
        links.push({
          host: c.host,
          verdict: c.verdict,
          reasons: c.reasons,
          ...(c.officialAlternative ? { officialAlternative: c.officialAlternative } : {}),
          ...(c.officialApp ? { officialApp: c.officialApp } : {}),
        });
      }
      const scam = detectScamScenario(redacted);
      const abuse = detectAbuse(redacted);

      const topics: string[] = [...(scam?.topics ?? [])];
      if (items.some((i) => i.kind === 'OTP' || i.kind === 'PASSWORD')) topics.push('security.otp');
      if (links.some((l) => l.verdict !== 'official')) topics.push('security.fake-website');

      // A name alone is stored redacted but is no reason to hold back the answer ("tôi tên là …, hỏi về hộ chiếu").
      const risky = items.some((i) => i.kind !== 'NAME') || links.some((l) => l.verdict !== 'official') || scam?.risk === true;
      const route: SafetyRoute = abuse ? 'refuse' : risky ? 'safety' : 'continue';
      return {
        redactedText: redacted,
        textWithoutLinks: extracted.reduce((rest, l) => rest.split(l.raw).join(' '), redacted),
        sensitive: items.map(({ kind, placeholder }) => ({ kind, placeholder })),
        links,
        scam,
        abuse,
        route,
        topics: [...new Set(topics)],
      };
    },
  };
}

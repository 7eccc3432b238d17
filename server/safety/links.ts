/**
 * Finds links in a message, however they are written, and says whether each
 * host is official, a known scam, suspicious (with reasons) or unknown.
 *
 * Decisions:
 * - A bare domain needs a known TLD, so "v.v.", "1.5", "TP.HCM", "CT01.docx"
 *   and "hoso.zip" are not links (zip/mov are left out of the TLD list), and a
 *   real label before its suffix: "com.vn" or "gov.vn" alone is not a site, and a
 *   plain dot with a space on one side only ends a sentence or starts a suffix
 *   ("đuôi .com.vn", "due date. Is it…"), it does not join labels.
 * - E-mail addresses are not links (the sensitive-data detector handles them).
 * - Internationalised (xn--) labels are never official, even under gov.vn: no
 *   agency uses them and they are the tool of homograph attacks.
 * - The allow-list wins over the blocklist: a false "scam" label on the real
 *   portal would do more harm than a stale blocklist entry.
 */
import { domainToUnicode } from 'node:url';
import { isIPv4, isIPv6 } from 'node:net';
import {
  ADDRESS_ABBREVIATIONS,
  KNOWN_TLDS,
  MULTI_LABEL_SUFFIXES,
  UNCOMMON_TLDS,
  URL_SHORTENERS,
  WORD_LIKE_TLDS,
} from './domain-data.js';
import { DEFANGED_DOT_RE, normaliseHost } from './host-name.js';
import { editDistance, isMixedScript, skeleton, toLatinLookalike } from './confusables.js';
import {
  matchOfficial,
  officialAlternativeFor,
  officialHostList,
  withExtraDomains,
  type OfficialDomains,
} from './official-domains.js';

export { normaliseHost };

export interface ExtractedLink {
  /** The link as written in the message (defanged forms included). */
  raw: string;
  /** Lower-case ASCII (punycode) host, the form DNS and the blocklist use. */
  host: string;
  /** The same host with punycode decoded, for display. */
  unicodeHost: string;
  start: number;
  end: number;
}

export type LinkVerdict = 'official' | 'known_scam' | 'suspicious' | 'unknown';

/** An i18n key in the `safety` namespace plus its interpolation params. */
export interface LinkReason {
  key: string;
  [param: string]: string;
}

export interface HostClassification {
  host: string;
  verdict: LinkVerdict;
  reasons: LinkReason[];
  officialAlternative?: string;
  /** The official app the host pretends to be (VNeID): installed from the stores, it has no address to offer. */
  officialApp?: string;
}

export interface HostLookup {
  has(host: string): boolean;
}

export interface ClassifyContext {
  blocklist: HostLookup;
  official: OfficialDomains;
  /** A province's own official domains (suffix rules), added to the national list. */
  extraOfficialDomains?: readonly string[];
}

const SPACE = '[ \\t\\u00a0]';
// "." and the ways people defang or mistype it: [.] (.) {.} [dot] " dot ", full-width dots.
// A bracketed dot is deliberate, so spaces around it do not matter. A plain dot joins labels
// only with no space on either side or a space on both ("dichvucong . gov . vn"): a space on
// one side only is punctuation, as in "đuôi .com.vn" or "ending in .com. Is that real?".
const PLAIN_DOT = '[.\\u3002\\uff0e\\uff61]';
const DOT = `(?:${SPACE}*(?:\\[\\.\\]|\\(\\.\\)|\\{\\.\\}|\\[dot\\]|\\(dot\\)|\\{dot\\})${SPACE}*|${PLAIN_DOT}(?!${SPACE})|${SPACE}+${PLAIN_DOT}${SPACE}+|${SPACE}+dot${SPACE}+)`;
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}\\-]{0,61}[\\p{L}\\p{N}])?';
const PATH = `(?::\\d{2,5})?(?:[/?#][^\\s<>"'\`]*)?`;

const SCHEME_URL_RE = /(?<![\p{L}\p{N}])(?:h(?:tt|xx|tx|xt)ps?|fxp|ftp)(?:\[:\]|:)\/\/[^\s<>"'`]+/giu;
const BARE_HOST_RE = new RegExp(`(?<![\\p{L}\\p{N}@._\\-/\\\\])(${LABEL}(?:${DOT}${LABEL})+)(${PATH})`, 'giu');
const DOT_SPLIT_RE = new RegExp(DOT, 'giu');
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_RE = new RegExp(`(?<![\\p{N}.])(${OCTET}(?:\\.${OCTET}){3})(?![\\p{N}]|\\.\\p{N})(${PATH})`, 'gu');
const TRAILING_PUNCT_RE = /[.,;:!?)\]}'"»”’…]+$/u;

function tldOf(host: string): string {
  return host.slice(host.lastIndexOf('.') + 1);
}

function isKnownTld(tld: string): boolean {
  return KNOWN_TLDS.has(tld) || tld.startsWith('xn--');
}

function hostFromAuthority(urlTail: string): string | null {
  const refanged = urlTail.replace(DEFANGED_DOT_RE, '.').replace(/\[:\]/g, ':');
  let authority = refanged.split(/[/?#]/)[0];
  authority = authority.slice(authority.lastIndexOf('@') + 1); // http://dichvucong.gov.vn@evil.com → evil.com
  const ipv6 = /^\[([0-9a-f:.]+)\]/i.exec(authority);
  if (ipv6) return normaliseHost(ipv6[1]);
  return normaliseHost(authority.replace(/:\d*$/, '').replace(TRAILING_PUNCT_RE, ''));
}

function toLink(raw: string, host: string, start: number): ExtractedLink {
  return { raw, host, unicodeHost: domainToUnicode(host) || host, start, end: start + raw.length };
}

function trimRaw(raw: string): string {
  return raw.replace(TRAILING_PUNCT_RE, '');
}

/**
 * Chooses the labels of a bare host candidate that form a plausible domain,
 * dropping words glued on after it ("dichvucong.gov.vn.Sau"), or null.
 */
function plausibleBareLabels(labels: string[], hasPath: boolean): string[] | null {
  for (let n = labels.length; n >= 2; n--) {
    const kept = labels.slice(0, n);
    const tldRaw = kept[n - 1];
    const tld = tldRaw.toLowerCase();
    if (!isKnownTld(tld)) continue;
    const first = kept[0].toLowerCase();
    const asHost = kept.join('.').toLowerCase();
    const explicit = hasPath && n === labels.length;
    if (n === 2 && ADDRESS_ABBREVIATIONS.has(first) && !explicit) return null;
    if (n === 2 && first.length === 1 && !URL_SHORTENERS.has(asHost) && !explicit) return null;
    // "xong.Có" — a sentence typed without a space after the full stop.
    if (WORD_LIKE_TLDS.has(tld) && /^\p{Lu}\p{Ll}/u.test(tldRaw) && !explicit) return null;
    if (/^\d+$/.test(tld)) return null;
    // A suffix alone ("com.vn", "gov.vn") names no site: there is no real label before it.
    if (MULTI_LABEL_SUFFIXES.has(asHost)) return null;
    return kept;
  }
  return null;
}

/** Finds URLs, bare and defanged domains and IP addresses in `text`. */
export function extractLinks(input: string): ExtractedLink[] {
  const text = input.normalize('NFC');
  const links: ExtractedLink[] = [];
  const taken: Array<[number, number]> = [];
  const free = (s: number, e: number): boolean => taken.every(([a, b]) => e <= a || s >= b);

  for (const m of text.matchAll(SCHEME_URL_RE)) {
    const raw = trimRaw(m[0]);
    const host = hostFromAuthority(raw.slice(raw.indexOf('//') + 2));
    taken.push([m.index, m.index + raw.length]);
    if (host) links.push(toLink(raw, host, m.index));
  }
  for (const m of text.matchAll(IPV4_RE)) {
    const raw = trimRaw(m[0]);
    if (!free(m.index, m.index + raw.length)) continue;
    taken.push([m.index, m.index + raw.length]);
    links.push(toLink(raw, m[1], m.index));
  }
  for (const m of text.matchAll(BARE_HOST_RE)) {
    if (!free(m.index, m.index + m[0].length)) continue;
    const hostPart = m[1];
    const labels = hostPart.split(DOT_SPLIT_RE);
    const kept = plausibleBareLabels(labels, m[2].length > 0);
    if (!kept) continue;
    let raw: string;
    if (kept.length === labels.length) {
      raw = trimRaw(m[0]);
    } else {
      // Cut the raw text just after the last kept label.
      let at = 0;
      for (let i = 0; i < kept.length; i++) at = hostPart.indexOf(kept[i], at) + kept[i].length;
      raw = hostPart.slice(0, at);
    }
    const host = normaliseHost(kept.join('.'));
    if (!host) continue;
    taken.push([m.index, m.index + raw.length]);
    links.push(toLink(raw, host, m.index));
  }
  return links.sort((a, b) => a.start - b.start);
}

/** The label just left of the public suffix ("dichvucong" in dichvucong.gov.vn, "abc" in x.abc.com). */
export function registrableLabelIndex(labels: string[]): number {
  const lastTwo = labels.slice(-2).join('.');
  return labels.length >= 3 && MULTI_LABEL_SUFFIXES.has(lastTwo) ? labels.length - 3 : labels.length - 2;
}

export function registrableDomain(host: string): string {
  const labels = host.split('.');
  return labels.slice(Math.max(0, registrableLabelIndex(labels))).join('.');
}

// "thue" (tax) is also in "cho thuê" (for rent); a rental site is not posing as the tax office.
const WORD_EXCEPTIONS: Readonly<Record<string, readonly string[]>> = { thue: ['chothue'] };

function containsWord(labelSkeleton: string, labelPlain: string, word: string): 'exact' | 'lookalike' | null {
  const exceptions = WORD_EXCEPTIONS[word] ?? [];
  const plain = exceptions.reduce((s, e) => s.split(e).join(' '), labelPlain);
  if (plain.includes(word)) return 'exact';
  const skel = exceptions.reduce((s, e) => s.split(skeleton(e)).join(' '), labelSkeleton);
  if (skel.includes(skeleton(word))) return 'lookalike';
  return null;
}

interface OfficialName {
  name: string;
  host: string;
}

function officialNames(official: OfficialDomains): OfficialName[] {
  return officialHostList(official).map((host) => {
    const labels = host.split('.');
    return { name: labels[Math.max(0, registrableLabelIndex(labels))], host: registrableDomain(host) };
  });
}

function lookalikeThreshold(name: string): number {
  if (name.length >= 8) return 2;
  if (name.length >= 5) return 1;
  return 0;
}

/**
 * A long official name hidden with one typo inside a longer label
 * ("dichvuconq-online" → "dichvuconqonline" holds "dichvuconq").
 */
function containsNearly(label: string, name: string): boolean {
  if (name.length < 8 || label.length <= name.length) return false;
  for (let len = name.length - 1; len <= name.length + 1; len++) {
    for (let i = 0; i + len <= label.length; i++) {
      if (editDistance(label.slice(i, i + len), name, 1) <= 1) return true;
    }
  }
  return false;
}

function heuristicReasons(host: string, official: OfficialDomains): { reasons: LinkReason[]; alternative?: string; app?: string } {
  const reasons: LinkReason[] = [];
  let alternative: string | undefined;
  let app: string | undefined;
  if (isIPv4(host) || isIPv6(host)) return { reasons: [{ key: 'reason.ip_address' }] };

  const labels = host.split('.');
  const unicodeLabels = (domainToUnicode(host) || host).split('.');
  const suffixStart = registrableLabelIndex(labels) + 1;
  const nameLabels = unicodeLabels.slice(0, suffixStart);

  // "dichvucong.gov.vn.abc.com", "gov-vn.xyz", "dichvucong.gov.com": the official suffix worn as a disguise.
  const govVnInside = labels.some((l, i) => l === 'gov' && labels[i + 1] === 'vn' && i + 2 < labels.length);
  const fakeGovSuffix = govVnInside || labels.slice(0, suffixStart).some((l) => /gov-?vn|^gov$/.test(l));
  if (fakeGovSuffix) reasons.push({ key: 'reason.fake_gov_suffix' });
  // The same trick with a named official domain: "csgt.vn.thanhtoan.info".
  for (const officialHost of officialHostList(official)) {
    if (`.${host}.`.includes(`.${officialHost}.`) && !host.endsWith(`.${officialHost}`) && host !== officialHost) {
      reasons.push({ key: 'reason.official_domain_inside', official: officialHost });
      alternative ??= officialHost;
    }
  }

  const seenWords = new Set<string>();
  for (const label of nameLabels) {
    const plain = toLatinLookalike(label).replace(/[-_]/g, '');
    const skel = skeleton(label);
    for (const word of official.governmentWords) {
      if (seenWords.has(word) || (word === 'gov' && fakeGovSuffix)) continue;
      const found = containsWord(skel, plain, word);
      if (!found) continue;
      seenWords.add(word);
      reasons.push({ key: found === 'exact' ? 'reason.gov_word_outside_gov_vn' : 'reason.lookalike_spelling', word });
      const appName = official.appOnly?.find((a) => a.word === word)?.name;
      if (appName) app ??= appName;
      else alternative ??= officialAlternativeFor(word, official);
    }
  }

  const seenNames = new Set<string>();
  for (const label of nameLabels) {
    const plain = toLatinLookalike(label).replace(/[-_]/g, '');
    const skel = skeleton(label);
    for (const { name, host: officialHost } of officialNames(official)) {
      if (seenNames.has(officialHost) || seenWords.has(name)) continue;
      let key: string | null = null;
      if (plain === name) key = 'reason.official_name_other_domain';
      else if (skel === skeleton(name)) key = 'reason.lookalike_official';
      else {
        const max = lookalikeThreshold(name);
        if (max > 0 && (editDistance(plain, name, max) <= max || containsNearly(plain, name))) key = 'reason.lookalike_official';
      }
      if (!key) continue;
      seenNames.add(officialHost);
      reasons.push({ key, official: officialHost });
      alternative ??= officialHost;
    }
  }

  if (URL_SHORTENERS.has(registrableDomain(host)) || URL_SHORTENERS.has(host)) reasons.push({ key: 'reason.url_shortener' });
  const tld = tldOf(host);
  if (UNCOMMON_TLDS.has(tld)) reasons.push({ key: 'reason.uncommon_tld', tld });
  if (labels.some((l) => l.startsWith('xn--'))) reasons.push({ key: 'reason.punycode', unicode: unicodeLabels.join('.') });
  if (unicodeLabels.some(isMixedScript)) reasons.push({ key: 'reason.mixed_script' });
  return { reasons, alternative, ...(app ? { app } : {}) };
}

/** Classifies one host (any form: Unicode, punycode, with or without a trailing dot). */
export function classifyHost(rawHost: string, ctx: ClassifyContext): HostClassification {
  const host = normaliseHost(rawHost);
  if (!host) return { host: rawHost, verdict: 'unknown', reasons: [{ key: 'reason.invalid_host' }] };
  const official = withExtraDomains(ctx.official, ctx.extraOfficialDomains);

  const rule = matchOfficial(host, official);
  const idn = host.split('.').some((l) => l.startsWith('xn--'));
  if (rule && !idn) return { host, verdict: 'official', reasons: [{ key: 'reason.official_suffix', suffix: rule }] };

  const { reasons, alternative, app } = heuristicReasons(host, official);
  const withAlternative = (c: HostClassification): HostClassification => ({
    ...c,
    ...(alternative && alternative !== host ? { officialAlternative: alternative } : {}),
    ...(app ? { officialApp: app } : {}),
  });

  // A list entry "www.x.com" also condemns "x.com"; has() itself checks parents.
  if (ctx.blocklist.has(host) || ctx.blocklist.has(`www.${host}`)) {
    return withAlternative({ host, verdict: 'known_scam', reasons: [{ key: 'reason.blocklisted' }, ...reasons] });
  }
  if (reasons.length > 0) return withAlternative({ host, verdict: 'suspicious', reasons });
  return { host, verdict: 'unknown', reasons: [] };
}

/**
 * Turns a safety verdict into the Markdown reply: the warning first, then what
 * is wrong with each link in plain words, the official address, what to do if
 * a secret was already given away, and where to report. Every sentence comes
 * from the `safety` i18n namespace; contact numbers and addresses come from
 * the province profile through `contacts`, never from code or translations.
 */
import type { Translate } from '../i18n/i18n.js';
import type { SafetyLink, SafetyVerdict } from './safety-check.js';

export interface SafetyContacts {
  vneidHotline?: string;
  nationalHotline?: string;
  scamReportUrl?: string;
  /** The province's own line (never the national one), with the name of the province it serves. */
  provinceHotline?: string;
  provinceName?: string;
  /** Caveat kind of the province line (`predates_merger`), said beside it. */
  provinceHotlineCaveat?: string;
  /** Ending of official addresses named in the reply; defaults to ".gov.vn". */
  officialSuffix?: string;
}

const DEFAULT_OFFICIAL_SUFFIX = '.gov.vn';

/**
 * A host that is not official is shown defanged ("abc[.]com") so chat apps
 * such as Zalo do not turn it into a tappable link.
 */
function displayHost(link: SafetyLink): string {
  return link.verdict === 'official' ? link.host : link.host.replace(/\./g, '[.]');
}

/** The paragraphs about one link: what it is, why (as a list), the official address, what not to do. */
function linkParagraphs(link: SafetyLink, t: Translate, suffix: string): string[] {
  const host = displayHost(link);
  if (link.verdict === 'official') {
    const rule = link.reasons.find((r) => r.key === 'reason.official_suffix');
    return [t('link.official', { host, suffix: rule ? rule.suffix : suffix.replace(/^\./, '') })];
  }
  const paragraphs: string[] = [];
  if (link.verdict === 'known_scam') paragraphs.push(t('link.known_scam', { host }));
  else if (link.verdict === 'suspicious') paragraphs.push(t('link.suspicious', { host }));
  else paragraphs.push(t('link.unknown', { host, suffix }));
  // "known_scam" already says it is on the list; the other reasons still help to recognise the next one.
  const reasons = link.reasons.filter((r) => r.key !== 'reason.blocklisted');
  if (link.verdict !== 'unknown' && reasons.length > 0) {
    paragraphs.push(
      reasons
        .map((r) => {
          const { key, ...params } = r;
          return `- ${t(key, params)}`;
        })
        .join('\n'),
    );
  }
  if (link.officialAlternative) paragraphs.push(t('link.official_alternative', { host: link.officialAlternative }));
  if (link.officialApp) paragraphs.push(t('link.official_app', { name: link.officialApp }));
  paragraphs.push(t('link.do_not_enter'));
  return paragraphs;
}

function refusal(verdict: SafetyVerdict, t: Translate): string {
  const label = verdict.abuse?.label;
  return label ? [t(`refuse.${label}`), t('refuse.offer')].join('\n\n') : t('refusal');
}

/** Markdown reply for a verdict; empty string when there is nothing to say (route continue, no links). */
export function composeSafetyWarning(verdict: SafetyVerdict, t: Translate, contacts: SafetyContacts = {}): string {
  if (verdict.route === 'refuse') return refusal(verdict, t);
  const suffix = contacts.officialSuffix ?? DEFAULT_OFFICIAL_SUFFIX;

  if (verdict.route === 'continue') {
    const official = verdict.links.filter((l) => l.verdict === 'official');
    if (official.length === 0) return '';
    return [...official.flatMap((l) => linkParagraphs(l, t, suffix)), t('link.official_tip')].join('\n\n');
  }

  // The first line doubles as the SMS summary, so it states the problem itself.
  const blocks: string[] = [];
  const headline: string[] = [];
  if (verdict.sensitive.length > 0) {
    const kinds = [...new Set(verdict.sensitive.map((s) => t(`kind.${s.kind}`)))].join(', ');
    headline.push(t('sensitive.removed', { kinds }));
  }
  if (verdict.scam?.risk) headline.push(t(`scam.${verdict.scam.scenario}`));
  // With only a link to talk about, the headline is what is wrong with it.
  const headlineLink = headline.length === 0 ? verdict.links.find((l) => l.verdict !== 'official') : undefined;
  if (headlineLink) headline.push(linkParagraphs(headlineLink, t, suffix)[0]);
  if (headline.length === 0) headline.push(t('warn.never_share'));
  blocks.push(`**${t('warn.title')}:** ${headline.join(' ')}`);
  // The reasons belong right under the headline that names the link.
  if (headlineLink) blocks.push(...linkParagraphs(headlineLink, t, suffix).slice(1));
  const warnings = [t('warn.never_share'), t('warn.no_official_asks')].filter((w) => !headline.includes(w));
  blocks.push(warnings.map((w) => `- ${w}`).join('\n'));
  if (verdict.sensitive.some((s) => s.kind !== 'OTP' && s.kind !== 'PASSWORD' && s.kind !== 'PHONE' && s.kind !== 'EMAIL')) {
    blocks.push(t('warn.no_personal_data'));
  }

  for (const link of verdict.links) if (link !== headlineLink) blocks.push(...linkParagraphs(link, t, suffix));

  const steps = [t('if_shared.change_password')];
  if (contacts.vneidHotline) steps.push(t('if_shared.call_vneid', { hotline: contacts.vneidHotline }));
  if (contacts.nationalHotline) steps.push(t('if_shared.call_portal', { hotline: contacts.nationalHotline }));
  if (contacts.provinceHotline && contacts.provinceName) {
    const caveat = contacts.provinceHotlineCaveat ? ` ${t(`caveat.${contacts.provinceHotlineCaveat}`, { value: contacts.provinceHotline })}` : '';
    steps.push(`${t('if_shared.call_province', { hotline: contacts.provinceHotline, province: contacts.provinceName })}${caveat}`);
  }
  // A bank OTP read out or money sent can still be stopped by the bank, so that call comes early.
  const scenario = verdict.scam?.scenario;
  const money = scenario === 'transfer_to_verify' || scenario === 'fee_to_personal_account' || verdict.sensitive.some((s) => s.kind === 'CARD' || s.kind === 'BANK_ACCOUNT');
  steps.splice(1, 0, t(money ? 'if_shared.bank' : 'if_shared.bank_otp'));
  blocks.push(`${t('if_shared.title')}\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}`);

  const report: string[] = [];
  if (contacts.scamReportUrl) report.push(t('report.where', { url: contacts.scamReportUrl }));
  report.push(t('report.police'));
  blocks.push(report.join(' '));
  return blocks.join('\n\n');
}

/**
 * The contact sentences of fallbacks, hand-offs, errors and safety warnings, from the province
 * profile only. Each label says whose number it is: the province's line is named only when the
 * province has one of its own (it is never the national line), the national line is always
 * called the national line, and a merged province is named as merged, with the province that
 * applies now. A sentence whose value is unknown is left out or replaced by one written for
 * that case; nothing is filled with a phrase.
 */
import type { Translate } from '../i18n/i18n.js';
import type { ProvinceProfile } from '../knowledge/province-profiles.js';
import { caveatSentence, provinceStatusSentence } from '../knowledge/profile-render.js';
import type { SafetyContacts } from '../safety/safety-reply.js';

interface ContactContext {
  profile: ProvinceProfile;
  t: Translate;
}

function withCaveat(sentence: string, ctx: ContactContext): string {
  const caveat = caveatSentence(ctx.profile, 'province_hotline', ctx.t);
  if (!caveat) return sentence;
  return `${/[.!?]$/.test(sentence) ? sentence : `${sentence}.`} ${caveat}`;
}

/** "Call…" lines of a fallback or an error reply: province line if any, national line, one-stop shop. */
export function hotlineLines(ctx: ContactContext): string[] {
  const v = ctx.profile.values;
  const lines: string[] = [];
  const status = provinceStatusSentence(ctx.profile, ctx.t);
  if (status) lines.push(status);
  if (v.province_hotline && v.national_hotline) {
    lines.push(withCaveat(ctx.t('fallback.hotline', { province: v.province_name, provinceHotline: v.province_hotline, nationalHotline: v.national_hotline }), ctx));
  } else if (v.province_hotline) {
    lines.push(withCaveat(ctx.t('fallback.hotline_province_only', { province: v.province_name, provinceHotline: v.province_hotline }), ctx));
  } else if (v.national_hotline) {
    lines.push(ctx.t('fallback.hotline_national_only', { nationalHotline: v.national_hotline }));
  }
  lines.push(v.one_stop_name ? ctx.t('fallback.one_stop', { oneStop: v.one_stop_name }) : ctx.t('fallback.one_stop_nearest'));
  return lines;
}

/** A person to talk to: the province's lines and one-stop shop, from the profile only. */
export function handoffLines(ctx: ContactContext): string[] {
  const v = ctx.profile.values;
  const lines = [ctx.t('handoff.intro')];
  const status = provinceStatusSentence(ctx.profile, ctx.t);
  if (status) lines.push(`- ${status}`);
  if (v.province_hotline) lines.push(`- ${withCaveat(ctx.t('handoff.hotline', { province: v.province_name, provinceHotline: v.province_hotline }), ctx)}`);
  if (v.national_hotline) lines.push(`- ${ctx.t('handoff.national', { nationalHotline: v.national_hotline })}`);
  if (v.one_stop_name && v.one_stop_address) lines.push(`- ${ctx.t('handoff.office', { name: v.one_stop_name, address: v.one_stop_address })}`);
  else lines.push(`- ${ctx.t('handoff.office_nearest')}`);
  if (v.one_stop_hours) lines.push(`- ${ctx.t('handoff.hours', { hours: v.one_stop_hours })}`);
  return lines;
}

/** The contacts a safety warning may name, from the province profile only. */
export function contactsOf(profile: ProvinceProfile): SafetyContacts {
  const v = profile.values;
  return {
    vneidHotline: v.vneid_hotline,
    nationalHotline: v.national_hotline,
    scamReportUrl: v.scam_report_url,
    provinceHotline: v.province_hotline,
    provinceName: v.province_name,
    ...(profile.caveats.province_hotline ? { provinceHotlineCaveat: profile.caveats.province_hotline } : {}),
  };
}

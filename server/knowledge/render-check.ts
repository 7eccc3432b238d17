/**
 * Finds the defects a citizen would see in rendered text (issue 13): placeholders left in,
 * fallback phrases glued inside a sentence, the same number twice in one sentence, a contact
 * label that does not match its value (the national line under a province label, a URL under a
 * phone label, a number under an address label), a merged province named as if it were
 * current, a value shown without its caveat, and a heading left with nothing under it.
 * Used by the all-articles × all-profiles rendering test; no knowledge of how text was made.
 */
import type { PlaceholderKey, ProvinceProfile } from './province-profiles.js';

export type DefectKind =
  | 'unresolved_placeholder'
  | 'fallback_phrase_in_sentence'
  | 'same_number_twice'
  | 'national_number_as_province'
  | 'url_under_phone_label'
  | 'number_under_address_label'
  | 'merged_province_as_current'
  | 'caveat_missing'
  | 'empty_section'
  | 'dangling_word';

export interface Defect {
  kind: DefectKind;
  /** The sentence (or heading) where it was found. */
  where: string;
}

/** Phrases the old renderer put in place of a missing value, in either language. */
const FALLBACK_PHRASES = [
  'hỏi Bộ phận Một cửa nơi gần nhất',
  'hỏi tổng đài hoặc Bộ phận Một cửa',
  'ask the nearest one-stop shop',
  'ask the hotline or the one-stop shop',
];

const PROVINCE_LABEL = /(tỉnh|của \p{Lu}[\p{L}]*(?: \p{Lu}[\p{L}]*)*|province|provincial)[^;]{0,50}$/iu;
const PHONE_LABEL = /(gọi|tổng đài|đường dây nóng|hotline|support line|call|số điện thoại|phone)\s*[^\s.;]{0,3}\s*:?\s*\**$/iu;
// The label starts its clause: "Địa chỉ: 1800 1096" is wrong, "Tổng đài Cổng DVC: 1800 1096" is not.
const ADDRESS_LABEL = /^\s*\**(địa chỉ|trang web|website|address|e-?mail)(?!\p{L})[^:]{0,30}:\s*\**$/iu;
const URL = /https?:\/\/[^\s)*]+/g;

function sentencesOf(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line) => line.replace(/^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s+)/, '').split(/(?<=[.!?](?:\*\*|["”’)])?)\s+(?=\S)/u))
    .map((s) => s.trim())
    .filter(Boolean);
}

const digits = (s: string) => s.replace(/\D/g, '');

/** Every occurrence (index) of a phone value written with any spacing, as a whole number. */
function numberAt(sentence: string, value: string): number[] {
  const d = digits(value);
  if (d.length < 3) return [];
  const pattern = new RegExp(`(?<![\\d])${d.split('').join('[ .]?')}(?![\\d])`, 'g');
  return [...sentence.matchAll(pattern)].map((m) => m.index);
}

/** The phone-number values of a profile, by key. */
function phoneValues(p: ProvinceProfile): Array<[PlaceholderKey, string]> {
  const keys: PlaceholderKey[] = ['national_hotline', 'vneid_hotline', 'police_emergency', 'province_hotline'];
  return keys.filter((k) => p.values[k]).map((k) => [k, p.values[k]]);
}

export interface CheckOptions {
  /** The profile the text was rendered with (values, merger, caveats). */
  profile: ProvinceProfile;
  /** The whole rendered text the sentence-level checks run over (an article, or a reply). */
  text: string;
  /** The caveat sentences of the profile in the text's language, keyed by placeholder. */
  caveats?: Partial<Record<PlaceholderKey, string>>;
  /** The status sentence ("Kon Tum đã sáp nhập vào…") in the text's language. */
  statusSentence?: string;
  /** Names of provinces that no longer exist on their own (default: the profile's, if merged). */
  mergedNames?: string[];
}

export function findDefects(opts: CheckOptions): Defect[] {
  const { profile, text } = opts;
  const out: Defect[] = [];
  const add = (kind: DefectKind, where: string) => out.push({ kind, where: where.slice(0, 200) });

  // A heading followed by nothing but blank lines, up to the next heading or the end.
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!/^#{1,6}\s/.test(line)) return;
    const next = lines.slice(i + 1).find((l) => l.trim());
    if (next === undefined || /^#{1,6}\s/.test(next)) add('empty_section', line);
  });

  const national = profile.values.national_hotline;
  for (const s of sentencesOf(text)) {
    if (/\{\{\s*[a-z_]+\s*\}\}/.test(s)) add('unresolved_placeholder', s);
    // A verb left without its object where a value was taken out: "gọi gửi…", "gọi, nói…", "call or…".
    if (/(?<!\p{L})(?:gọi|call)\s+(?:gửi|nói|hoặc|send|say)(?!\p{L})/iu.test(s.replace(/\*\*/g, ''))) add('dangling_word', s);
    for (const phrase of FALLBACK_PHRASES) {
      const at = s.toLowerCase().indexOf(phrase.toLowerCase());
      // At the start of a sentence it is a sentence of its own; after other words it was glued in.
      if (at > 0 && /\p{L}/u.test(s.slice(0, at).replace(/\*\*/g, ''))) add('fallback_phrase_in_sentence', s);
    }
    for (const [, value] of phoneValues(profile)) {
      if (numberAt(s, value).length > 1) add('same_number_twice', s);
    }
    if (national) {
      for (const at of numberAt(s, national)) {
        const before = s.slice(0, at).split(/;|\bhoặc\b|\bor\b|\bvà\b|\band\b|,/).pop() ?? '';
        if (PROVINCE_LABEL.test(before) && !/quốc gia|national/i.test(before)) add('national_number_as_province', s);
      }
    }
    for (const m of s.matchAll(URL)) {
      if (PHONE_LABEL.test(s.slice(0, m.index))) add('url_under_phone_label', s);
    }
    for (const [, value] of phoneValues(profile)) {
      for (const at of numberAt(s, value)) {
        const clause = s.slice(0, at).split(/;|\bhoặc\b|\bor\b|,/).pop() ?? '';
        if (ADDRESS_LABEL.test(clause)) add('number_under_address_label', s);
      }
    }
  }

  // A merged province is named as merged: in the same sentence ("Kon Tum cũ", "nay thuộc
  // Quảng Ngãi") or by the status sentence of the text.
  const merged = opts.mergedNames ?? (profile.merger ? [profile.name] : []);
  const statusShown = Boolean(opts.statusSentence && text.includes(opts.statusSentence));
  for (const name of merged) {
    for (const s of sentencesOf(text)) {
      if (!s.includes(name) || statusShown) continue;
      if (!/(?<!\p{L})cũ(?!\p{L})|nay thuộc|sáp nhập|hợp nhất|former|now part of|merged/iu.test(s)) add('merged_province_as_current', s);
    }
  }
  for (const [key, caveat] of Object.entries(opts.caveats ?? {}) as Array<[PlaceholderKey, string]>) {
    const value = profile.values[key];
    if (value && caveat && numberAt(text, value).length > 0 && !text.includes(caveat)) add('caveat_missing', `${key}: ${value}`);
  }
  return out;
}

/**
 * Phone numbers in answer text, to make them tap-to-call.
 *
 * - 1800 / 1900 service lines: 8 or 10 digits ("1800 1096", "1900 0368", "1900 5555 77").
 * - Vietnamese subscriber numbers: 0 + 9 or 10 digits, spaces or dots allowed between digits
 *   ("0987 654 321", "0260.3862.123"), or +84 without the leading 0.
 * - Short codes (113, 114, 115, 1022…): only right after words saying it is a number to call
 *   ("gọi", "tổng đài", "đường dây nóng", "hotline", "call"…), because a bare 3–4 digit number
 *   is far more often a year, an article of a law or an amount.
 *
 * No look-behind, so that it also runs in older Safari.
 */
export interface PhoneMatch {
  start: number;
  end: number;
  text: string;
  tel: string;
}

const LONG = /(?:\+84[ .]?|0)[1-9](?:[ .]?\d){7,9}(?!\d)|1[89]00[ .]?\d{2}[ .]?\d{2}(?:[ .]?\d{2}(?!\d))?(?!\d)/g;
const SHORT = /1\d{2,3}(?!\d)/g;
/** The text before a short code must end with one of these words, then at most three more words. */
const CALL_CONTEXT =
  /(?:gọi|goi|tổng đài|tong dai|đường dây nóng|duong day nong|hotline|khẩn cấp|call|dial|phone|emergency)(?:[^\p{L}\p{N}]{1,4}\p{L}+){0,3}[^\p{L}\p{N}]{1,4}$/iu;

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const JOINER = /[.,/-]/;

/** True when the match is part of a longer token: a code, an amount, a date, a word. */
function glued(text: string, start: number, end: number): boolean {
  const before = text[start - 1] ?? '';
  const after = text[end] ?? '';
  if (LETTER_OR_DIGIT.test(before) || LETTER_OR_DIGIT.test(after)) return true;
  if (JOINER.test(before) && LETTER_OR_DIGIT.test(text[start - 2] ?? '')) return true;
  if (JOINER.test(after) && LETTER_OR_DIGIT.test(text[end + 1] ?? '')) return true;
  return false;
}

export function findPhones(text: string): PhoneMatch[] {
  const found: PhoneMatch[] = [];
  for (const m of text.matchAll(LONG)) {
    const start = m.index!;
    const end = start + m[0].length;
    if (glued(text, start, end)) continue;
    const digits = m[0].replace(/[^\d+]/g, '');
    const national = digits.startsWith('+84') ? `0${digits.slice(3)}` : digits;
    const ok = national.startsWith('0') ? national.length === 10 || national.length === 11 : national.length === 8 || national.length === 10;
    if (ok) found.push({ start, end, text: m[0], tel: digits });
  }
  for (const m of text.matchAll(SHORT)) {
    const start = m.index!;
    const end = start + m[0].length;
    if (found.some((f) => start < f.end && end > f.start) || glued(text, start, end)) continue;
    if (!CALL_CONTEXT.test(text.slice(Math.max(0, start - 48), start))) continue;
    found.push({ start, end, text: m[0], tel: m[0] });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** A tel: URI for a number as written in a profile or an answer ("1800 1096" → "tel:18001096"), or null. */
export function telHref(number: string): string | null {
  const digits = number.replace(/[\s.\-()]/g, '');
  return /^\+?\d{3,15}$/.test(digits) ? `tel:${digits}` : null;
}

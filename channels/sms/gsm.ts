import { foldDiacritics } from '../core/text.js';

/** GSM 03.38 default alphabet (basic table) and the extension table characters (2 septets each). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const BASIC = new Set([...GSM_BASIC]);
const EXTENDED = new Set([...GSM_EXTENDED]);

export type SmsEncoding = 'gsm7' | 'ucs2';

export const SINGLE_LIMIT: Record<SmsEncoding, number> = { gsm7: 160, ucs2: 70 };
/** Per part of a concatenated message (6-byte UDH taken out). */
export const PART_LIMIT: Record<SmsEncoding, number> = { gsm7: 153, ucs2: 67 };

const TYPOGRAPHY: Record<string, string> = {
  '“': '"',
  '”': '"',
  '„': '"',
  '«': '"',
  '»': '"',
  '‘': "'",
  '’': "'",
  '‚': "'",
  '`': "'",
  '–': '-',
  '—': '-',
  '−': '-',
  '…': '...',
  '•': '-',
  '·': '-',
  '\u00a0': ' ',
  '\t': ' ',
  '\u200b': '',
};

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENDED.has(ch)) return false;
  return true;
}

/**
 * Vietnamese text to plain GSM-7: diacritics folded (đ→d, Đ→D by hand), typographic quotes and
 * dashes to ASCII, anything else outside the GSM alphabet to "?".
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of foldDiacritics(text)) {
    if (BASIC.has(ch) || EXTENDED.has(ch)) out += ch;
    else if (ch in TYPOGRAPHY) out += TYPOGRAPHY[ch];
    else out += '?';
  }
  return out;
}

/** Septets (GSM-7: extension characters count 2) or UTF-16 code units (UCS-2). */
export function smsLength(text: string, encoding: SmsEncoding): number {
  if (encoding === 'ucs2') return text.length;
  let n = 0;
  for (const ch of text) n += EXTENDED.has(ch) ? 2 : 1;
  return n;
}

/** Characters that fit in at most `maxParts` parts. */
export function smsCapacity(encoding: SmsEncoding, maxParts: number): number {
  return maxParts <= 1 ? SINGLE_LIMIT[encoding] : maxParts * PART_LIMIT[encoding];
}

/** Prepares text for the encoding: GSM-7 folding, or NFC for UCS-2. */
export function prepareSmsText(text: string, encoding: SmsEncoding): string {
  return encoding === 'gsm7' ? toGsm7(text) : text.normalize('NFC');
}

/**
 * Splits into parts for concatenation: one part up to 160/70, else parts of 153/67. An extension
 * character's two septets and a surrogate pair are never split across parts.
 */
export function splitSms(text: string, encoding: SmsEncoding): string[] {
  if (smsLength(text, encoding) <= SINGLE_LIMIT[encoding]) return [text];
  const limit = PART_LIMIT[encoding];
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of text) {
    const cost = smsLength(ch, encoding);
    if (used + cost > limit) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += cost;
  }
  if (current) parts.push(current);
  return parts;
}

/** The 6-byte concatenation UDH: 05 00 03 ref total seq. */
export function concatUdh(ref: number, total: number, seq: number): Buffer {
  return Buffer.from([0x05, 0x00, 0x03, ref & 0xff, total, seq]);
}

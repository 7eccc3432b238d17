import { HANDOFF_REQUEST_KEYWORDS } from '../../server/handoff/keywords.js';
import { keywordForm } from './text.js';

/**
 * Channel keywords. A message is a keyword when, after folding diacritics, upper-casing and
 * removing punctuation, it is exactly one of these (so "Tiếng Việt", "tieng viet" and
 * "TIENG VIET!" all match, but a question that merely contains the word does not).
 */
export const LANGUAGE_KEYWORDS: Record<string, string> = {
  ENGLISH: 'en',
  'TIENG ANH': 'en',
  'TIENG VIET': 'vi',
  TIENGVIET: 'vi',
  VIETNAMESE: 'vi',
  BANA: 'bdq',
  'BA NA': 'bdq',
  'TIENG BA NA': 'bdq',
  BAHNAR: 'bdq',
};

/** Asking for a person: the message goes to the pipeline as is (it answers handoff questions) in the keyword's language. */
export const HANDOFF_KEYWORDS: Record<string, string> = HANDOFF_REQUEST_KEYWORDS;

/** SMS only. */
export const OPT_OUT_KEYWORDS = new Set(['STOP', 'HUY', 'TC']);
export const OPT_IN_KEYWORDS = new Set(['START', 'BATDAU', 'BAT DAU']);
export const MORE_KEYWORD = '1';

export type Keyword =
  | { kind: 'language'; lang: string }
  | { kind: 'handoff'; lang: string }
  | { kind: 'opt-out' }
  | { kind: 'opt-in' }
  | { kind: 'more' }
  | null;

export function detectKeyword(text: string): Keyword {
  const k = keywordForm(text);
  if (!k || k.length > 20) return null;
  if (k in LANGUAGE_KEYWORDS) return { kind: 'language', lang: LANGUAGE_KEYWORDS[k] };
  if (k in HANDOFF_KEYWORDS) return { kind: 'handoff', lang: HANDOFF_KEYWORDS[k] };
  if (OPT_OUT_KEYWORDS.has(k)) return { kind: 'opt-out' };
  if (OPT_IN_KEYWORDS.has(k)) return { kind: 'opt-in' };
  if (k === MORE_KEYWORD) return { kind: 'more' };
  return null;
}

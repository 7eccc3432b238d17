import { keywordForm } from '../text/normalise.js';

/**
 * Asking for a person, and withdrawing the request. A message is one of these when, with
 * diacritics folded, upper-cased and punctuation removed, it is exactly the phrase ("Gặp cán
 * bộ!", "gap can bo", "GAP CAN BO"); a question that merely contains the words is a question.
 * The same lists serve the widget, Zalo and SMS (channels/core/keywords.ts reads them).
 * Bare "HUY" is not a cancel: on SMS it is the opt-out keyword.
 */
export const HANDOFF_REQUEST_KEYWORDS: Record<string, string> = {
  'GAP CAN BO': 'vi',
  'GAP CAN BO HO TRO': 'vi',
  'NGUOI THAT': 'vi',
  'GAP NGUOI THAT': 'vi',
  'CHUYEN CAN BO': 'vi',
  HUMAN: 'en',
  'TALK TO A PERSON': 'en',
};
export const HANDOFF_CANCEL_KEYWORDS: Record<string, string> = {
  'HUY YEU CAU': 'vi',
  'HUY GAP CAN BO': 'vi',
  CANCEL: 'en',
  'CANCEL THE REQUEST': 'en',
};

export function handoffKeyword(text: string): 'request' | 'cancel' | null {
  const k = keywordForm(text);
  if (k.length > 30) return null;
  if (k in HANDOFF_REQUEST_KEYWORDS) return 'request';
  if (k in HANDOFF_CANCEL_KEYWORDS) return 'cancel';
  return null;
}

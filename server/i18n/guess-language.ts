import { foldDiacritics, tokenize } from '../text/normalise.js';

/** Common English function words; Vietnamese without diacritics shares almost none of them. */
const ENGLISH_MARKERS = new Set([
  'the', 'a', 'an', 'is', 'are', 'am', 'was', 'be', 'do', 'does', 'did', 'how', 'what', 'where', 'when', 'who', 'which', 'why',
  'can', 'could', 'should', 'would', 'i', 'my', 'me', 'you', 'your', 'we', 'our', 'to', 'of', 'for', 'in', 'on', 'with',
  'and', 'or', 'not', 'it', 'this', 'that', 'please', 'help', 'need', 'want', 'get', 'have', 'has', 'register', 'online',
  'apply', 'renew', 'lost', 'forgot', 'password', 'account', 'hello', 'hi', 'thanks', 'thank', 'from', 'about', 'if', 'there',
]);
/** Syllables that only occur in Vietnamese spelling, typed with or without diacritics. */
const VIETNAMESE_MARKERS = new Set([
  'toi', 'minh', 'khong', 'duoc', 'cua', 'cho', 'la', 'thi', 'nhu', 'the', 'nao', 'gi', 'o', 'dau', 'lam', 'sao', 'bao', 'nhieu',
  'dang', 'ky', 'ho', 'so', 'tai', 'khoan', 'mat', 'khau', 'cong', 'dich', 'vu', 'truc', 'tuyen', 'can', 'cuoc', 'xin', 'chao',
  'em', 'anh', 'chi', 'ban', 'muon', 'nop', 'phi', 'le', 'giay', 'to', 'qua', 'mang', 'tren', 've', 'voi', 'roi', 'nhe', 'a',
]);

export interface LanguageGuess {
  lang: 'vi' | 'en';
  reason: string;
}

/**
 * Vietnamese vs English. Any Vietnamese letter decides at once; otherwise English needs clearly
 * more English than Vietnamese markers, so Vietnamese typed without diacritics stays Vietnamese.
 */
// A web address is not written in the citizen's language ("dangky.dichvucong.gov.vn/register"
// would count "register" as English).
const ADDRESS_RE = /(?:https?:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[/?#]\S*)?/gi;

export function guessLanguage(text: string): LanguageGuess {
  const lower = text.toLowerCase().replace(ADDRESS_RE, ' ');
  if (foldDiacritics(lower) !== lower) return { lang: 'vi', reason: 'diacritics' };
  const tokens = tokenize(lower);
  if (tokens.length === 0) return { lang: 'vi', reason: 'empty' };
  let en = 0;
  let vi = 0;
  for (const t of tokens) {
    if (ENGLISH_MARKERS.has(t)) en++;
    if (VIETNAMESE_MARKERS.has(t)) vi++;
  }
  if (en >= 2 && en > vi * 1.5) return { lang: 'en', reason: `english-markers=${en} vietnamese-markers=${vi}` };
  if (en === 1 && vi === 0 && tokens.length <= 3) return { lang: 'en', reason: 'short-english' };
  return { lang: 'vi', reason: `english-markers=${en} vietnamese-markers=${vi}` };
}

/**
 * Finds personal secrets and identifiers in a message and replaces them with
 * placeholders before the message goes anywhere else (retrieval, logs, review).
 *
 * Decisions (also in the module tests):
 * - Numbers are only redacted when their shape is unambiguous (a Vietnamese
 *   mobile/landline number, a 12-digit citizen ID starting with 0, a 9-digit
 *   old ID, a Luhn-valid 13–19 digit card, a health-insurance card code) or
 *   when words around them say what they are ("mã OTP", "số tài khoản",
 *   "mã số BHXH", "CCCD"...). A bare 6-digit number is not redacted: it is as
 *   likely a postcode or an amount as an OTP.
 * - 1800xxxx / 1900xxxx(xx) numbers are public hotlines and are never redacted,
 *   so "gọi 1800 1096" keeps the number the assistant needs to see.
 * - Dossier codes ("mã hồ sơ", letters and digits joined by dashes/dots),
 *   procedure codes, tax codes (mã số thuế), decree numbers, years and amounts
 *   of money are not personal secrets; citizens must be able to quote them.
 * - Offsets refer to the NFC form of the input (the pipeline normalises to NFC
 *   before this stage, so for it they are offsets into the message itself).
 * - Every detected value is also removed where it occurs again in the message,
 *   so `redacted` never contains it.
 */
import { foldSameLength } from './fold.js';

export type SensitiveKind = 'OTP' | 'PASSWORD' | 'CCCD' | 'CMND' | 'BHXH' | 'CARD' | 'BANK_ACCOUNT' | 'PHONE' | 'EMAIL' | 'NAME';

export const SENSITIVE_PLACEHOLDERS: Readonly<Record<SensitiveKind, string>> = {
  OTP: '[OTP]',
  PASSWORD: '[PASSWORD]',
  NAME: '[NAME]',
  CCCD: '[CCCD]',
  CMND: '[CMND]',
  BHXH: '[BHXH]',
  CARD: '[CARD]',
  BANK_ACCOUNT: '[BANK_ACCOUNT]',
  PHONE: '[PHONE]',
  EMAIL: '[EMAIL]',
};

export interface SensitiveItem {
  kind: SensitiveKind;
  placeholder: string;
  start: number;
  end: number;
}

export interface SensitiveResult {
  redacted: string;
  items: SensitiveItem[];
}

export interface DetectOptions {
  /** Addresses that are public contact points (e.g. on an official domain) and stay visible. */
  isPublicEmail?: (address: string) => boolean;
}

interface Candidate {
  kind: SensitiveKind;
  start: number;
  end: number;
  priority: number;
}

interface DigitGroup {
  start: number;
  end: number;
  digits: string;
}

interface DigitRun {
  start: number;
  end: number;
  digits: string;
  plus: boolean;
  groups: DigitGroup[];
}

// Digits joined by spaces, dots, dashes or brackets ("0912 345 678",
// "012.345.678.901", "(+84) 912-345-678", "1 2 3 4 5 6"). Zero-width characters
// were folded to spaces, so they cannot split a number past the detector.
const RUN_RE = /(?<![0-9])(?:\+ ?|\(\+?)?[0-9](?:[ .\-()]{0,3}[0-9])*/g;

const HOTLINE_RE = /^(?:1800|1900)(?:\d{4}|\d{6})$/;
const PHONE_RE = /^(?:84|0)(?:[35789]\d{8}|2\d{9})$/;

// Words after a number that make it a quantity, an amount or a date part.
const QUANTITY_AFTER_RE = /^ *(?:chu so|so\b|ky tu|digits?\b|characters?\b|lan\b|phut\b|giay\b|gio\b|ngay\b|thang\b|nam\b)/;
const MONEY_AFTER_RE = /^ *(?:d\b|dong\b|vnd\b|k\b|nghin\b|ngan\b|trieu\b|ty\b|usd\b|\$|%|m2\b|km\b|kg\b)/;

// Words before a number that say it is a public, non-personal code.
const PUBLIC_CODE_BEFORE_RE =
  /(?:(?:ma|so) (?:ho so|hs|bien nhan|giay hen|thu tuc|tthc|van ban|quyet dinh|cong van|nghi dinh|thong tu|bao danh|bien ban)|ma so thue|\bmst|tax code|dossier(?: code| number| no\.?)?|procedure code|hotline|tong dai|duong day nong)(?:[ :#.-]|cua (?:toi|minh|em|anh|chi)|\bla\b|\bis\b)*$/;

// Context patterns end with (?![a-z]) rather than \b so that a number glued
// to its label ("sdt0912345678", "cccd012345678901") is still found.
interface NumberContext {
  kind: SensitiveKind | 'ID';
  re: RegExp;
  min: number;
  max: number;
  window: number;
  priority: number;
  /** The gap may hold only filler words, and public codes are left alone (generic contexts). */
  fillerOnly?: boolean;
}

const FILLER_GAP_RE = /^[ :=-]*(?:(?:la|cho|giup|ho|nay|do|nhe|a|di|:|=|-)[ :=-]*)*$/;

const NUMBER_CONTEXTS: NumberContext[] = [
  {
    kind: 'OTP',
    re: /\b(?:ma [o0] ?\.? ?t ?\.? ?p|[o0] ?\.? ?t ?\.? ?p|ma xac thuc|ma xac nhan|ma xac minh|ma kich hoat|ma bao mat|ma dang nhap|ma pin|ma (?:gom |co )?\d{1,2} (?:chu )?so|verification code|security code|auth(?:entication)? code|login code|access code|one[- ]time (?:password|code|pin)|(?:my|your|the|sms) code|\d[- ]digit code|code(?= *(?::|=|is\b|la\b))|pin(?= *(?::|=|la\b|is\b|[0-9]))|passcode|day so(?: vua| moi)? (?:nhan|gui|nhắn)(?: ve(?: may| dien thoai| dt)?)?|ma (?:vua|moi) (?:nhan duoc|nhan|gui)|ma cua ban(?= *[:=]))(?![a-z])/g,
    min: 4,
    max: 8,
    window: 30,
    priority: 90,
  },
  {
    // Sharing a code without naming it ("bảo đọc mã 662211", "mã là 615 284",
    // "nhập giúp 4 8 2 9 1 3"): only filler words may stand between the words and the number.
    kind: 'OTP',
    re: /\b(?:(?:doc|gui|nhap|dua|bao|cho|xin|nhan duoc|nhan)(?: giup| ho| lai| cho)?(?: (?:toi|minh|em|anh|chi|ho|can bo|nguoi ta))? (?:cai |con )?ma(?: so)?|ma(?: (?:do|nay|vua nhan|nhan duoc|cua (?:toi|minh|em|anh|chi)))? la|nhap giup|doc giup)(?![a-z])/g,
    min: 4,
    max: 8,
    window: 20,
    priority: 88,
    fillerOnly: true,
  },
  {
    kind: 'ID',
    re: /\b(?:cccd|cmnd|cmt|can cuoc(?: cong dan)?|chung minh (?:nhan dan|thu)|so dinh danh(?: ca nhan)?|ma dinh danh|dinh danh ca nhan|id card|id number|citizen id|national id)(?![a-z])/g,
    min: 8,
    max: 13,
    window: 30,
    priority: 85,
  },
  {
    kind: 'BHXH',
    re: /\b(?:bhxh|bao hiem xa hoi|ma so bao hiem|so so bao hiem|social insurance)(?![a-z])/g,
    min: 8,
    max: 12,
    window: 30,
    priority: 85,
  },
  {
    kind: 'CARD',
    re: /\b(?:so the|the ngan hang|the tin dung|the ghi no|the atm|the visa|card(?: number)?|visa|mastercard)(?![a-z])/g,
    min: 12,
    max: 19,
    window: 30,
    priority: 85,
  },
  {
    kind: 'BANK_ACCOUNT',
    re: /\b(?:so tai khoan|so tk|stk|tk ngan hang|tai khoan ngan hang|account number|bank account|acc(?:ount)? no)(?![a-z])/g,
    min: 6,
    max: 19,
    window: 40,
    priority: 80,
  },
  {
    // "chuyển khoản vào 1903661234": the destination of a transfer is an account number.
    kind: 'BANK_ACCOUNT',
    re: /\b(?:chuyen (?:khoan|tien)|ck|nap tien) (?:vao|toi|den|cho|qua|sang)(?: (?:so|stk|tk|tai khoan))?(?![a-z])/g,
    min: 6,
    max: 19,
    window: 25,
    priority: 80,
  },
  {
    // "tài khoản" alone is also the portal account; a number right after it is
    // still most likely a bank account, but a more specific shape wins.
    kind: 'BANK_ACCOUNT',
    re: /\b(?:tai khoan|tk)(?![a-z])/g,
    min: 6,
    max: 19,
    window: 20,
    priority: 40,
  },
  {
    kind: 'PHONE',
    re: /\b(?:sdt|so dt|so dien thoai|dien thoai|dt|phone(?: number)?|mobile|tel|zalo|goi (?:cho |vao |den )?so)(?![a-z])/g,
    min: 9,
    max: 12,
    window: 25,
    priority: 75,
  },
];

// The number comes before the words: "482913 là mã OTP".
const OTP_AFTER_RE = /^ *(?:la|is|=|:|-)? *(?:ma )?(?:otp|xac thuc|xac nhan|verification code)\b/;

// A number followed by a bank's name is an account number even without "số tài khoản".
const BANK_AFTER_RE =
  /^ *(?:[-,(]|tai|o|cua)? *(?:ngan hang |nh |bank )?(?:vietcombank|vcb|techcombank|tcb|bidv|agribank|vietinbank|viettinbank|mbbank|mb bank|mb|acb|vpbank|tpbank|sacombank|shb|hdbank|vib|ocb|msb|seabank|eximbank|lienvietpostbank|lpbank|namabank|nam a bank|bac a bank|bacabank|scb|abbank|pvcombank|kienlongbank|baovietbank|vietabank|ncb|saigonbank|oceanbank|gpbank|cake|timo|momo|zalopay|vietcapital|bvbank|cbbank|dongabank|pgbank|vrb|ivb|uob|hsbc|shinhan|woori|standard chartered|citibank)(?![a-z])/;

// Digits written as words ("không chín một hai ..."), Vietnamese and English.
const DIGIT_WORDS: Record<string, string> = {
  khong: '0', linh: '0', mot: '1', hai: '2', ba: '3', bon: '4', tu: '4', nam: '5', lam: '5', sau: '6', bay: '7', tam: '8', chin: '9',
  zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};
const DIGIT_WORD_RUN_RE = new RegExp(String.raw`\b(?:${Object.keys(DIGIT_WORDS).join('|')})(?:[ ,.\-]+(?:${Object.keys(DIGIT_WORDS).join('|')})){3,}\b`, 'g');
const OTP_WORD_BEFORE_RE = /(?:[o0]\.? ?t\.? ?p|ma xac (?:thuc|nhan)|\bma(?: so)?(?: la)?|code|pin)[ :=-]*(?:la|is)?[ :=-]*$/;
// Keycap emoji digits (6️⃣) are a digit, a variation selector and a combining keycap.
const KEYCAP_MARKS_RE = /[\ufe0f\u20e3]/g;

const PASSWORD_RE = /\b(?:mat khau|mat ma|mk|pass(?:word)?|passwd|pwd|pw)\b((?: +[a-z0-9]+){0,5}?) *(:|=|\bla\b|\bis\b)[ :]*/g;

// Words that follow "mật khẩu là / password is" in questions, not secrets.
const PASSWORD_STOPWORDS = new Set([
  'gi', 'sao', 'the', 'nao', 'bao', 'nhieu', 'nhu', 'khong', 'ko', 'k', 'co', 'chua', 'roi', 'dung', 'sai', 'phai', 'duoc',
  'bi', 'quen', 'moi', 'cu', 'can', 'nen', 'la', 'gom', 'it', 'toi', 'minh', 'em', 'anh', 'chi', 'ban', 'cai', 'mot',
  'what', 'how', 'wrong', 'correct', 'forgotten', 'forgot', 'required', 'a', 'an', 'my', 'not', 'ok', 'too', 'weak',
  'strong', 'incorrect', 'invalid', 'expired', 'same', 'case', 'sensitive', 'at', 'of', 'in', 'and', 'or',
  // instruction words that follow a heading such as "Đổi mật khẩu:"
  'vao', 'bam', 'chon', 'nhap', 'hay', 'xem', 'lam', 'tao', 'doi', 'dat', 'nhat', 'gom', 'gui', 'mo',
]);

// "Đổi mật khẩu: ..." / "forgot password: ..." introduce a topic, not a secret,
// unless what follows clearly looks like one.
const PASSWORD_TOPIC_BEFORE_RE = /(?:doi|quen|dat lai|tao|lay lai|khoi phuc|cap lai|reset|change|forgot|forgotten|new)\s*$/;

const QUANTITY_WORD_AFTER_RE = /^ *(?:ky tu|chu so|chu\b|so\b|characters?\b|chars?\b|digits?\b|letters?\b)/;

// "@" also as "[at]", "(at)", " at ", " a còng "; "." also as "[dot]", " dot ", " chấm ".
const EMAIL_AT = String.raw`(?:@| *[\[(] *at *[\])] *| +at +| +a cong +)`;
const EMAIL_DOT = String.raw`(?:\.| *[\[(] *(?:dot|\.) *[\])] *| +dot +| +cham +)`;
const EMAIL_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}._%+\-])[\p{L}\p{N}._%+\-]{1,64}${EMAIL_AT}[\p{L}\p{N}\-]+(?:${EMAIL_DOT}[\p{L}\p{N}\-]+)*${EMAIL_DOT}\p{L}{2,24}(?![\p{L}\p{N}])`,
  'gu',
);

// Health-insurance card code: two letters, then 13 digits whose last ten are the BHXH number.
const BHYT_RE = /(?<![a-z0-9])[a-z]{2}[0-9]{13}(?![0-9])/g;

function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function findRuns(folded: string): DigitRun[] {
  const runs: DigitRun[] = [];
  for (const m of folded.matchAll(RUN_RE)) {
    const groups: DigitGroup[] = [];
    for (const g of m[0].matchAll(/\d[^ ]*\d|\d/g)) {
      const start = m.index + g.index;
      groups.push({ start, end: start + g[0].length, digits: g[0].replace(/\D/g, '') });
    }
    const lead = /^[+(]/.test(m[0]);
    runs.push({
      start: lead ? m.index : groups[0].start,
      end: groups[groups.length - 1].end,
      digits: m[0].replace(/\D/g, ''),
      plus: m[0].includes('+'),
      groups,
    });
  }
  return runs;
}

function isHotline(digits: string): boolean {
  return HOTLINE_RE.test(digits);
}

/**
 * `sizes` is how the number was written; a card is written in one block
 * or in blocks of at most six digits, so "1990 0912345678" is a year and a
 * phone number, not a card that happens to pass the Luhn check.
 */
function classifyBare(digits: string, plus: boolean, sizes: number[], raw = ''): SensitiveKind | null {
  if (isHotline(digits)) return null;
  if (plus) return digits.length >= 8 && digits.length <= 15 ? 'PHONE' : null;
  if (PHONE_RE.test(digits)) return 'PHONE';
  const cardShaped = sizes.length === 1 || sizes.every((n) => n <= 6);
  if (cardShaped && digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return 'CARD';
  if (digits.length === 12 && digits.startsWith('0')) return 'CCCD';
  // Nine digits alone are an old ID number, unless written as an amount: a round figure
  // ("150000000") or thousands separators ("150.000.000", "2,500,000").
  if (digits.length === 9 && !digits.endsWith('000') && !/^\d{1,3}(?:[.,]\d{3}){2,}$/.test(raw)) return 'CMND';
  return null;
}

/** A number glued to letters ("H26-240315-0001", "CT01") is part of a code, not a value of its own. */
function isCodeFragment(folded: string, start: number, end: number): boolean {
  const before = folded.slice(Math.max(0, start - 2), start);
  const after = folded.slice(end, end + 2);
  return /[a-z][.\-_/]?$/.test(before) || /^[.\-_/]?[a-z]/.test(after);
}

function isPublicNumber(folded: string, start: number, end: number): boolean {
  const before = folded.slice(Math.max(0, start - 40), start);
  return PUBLIC_CODE_BEFORE_RE.test(before) || MONEY_AFTER_RE.test(folded.slice(end));
}

function groupSizes(groups: DigitGroup[]): number[] {
  return groups.map((g) => g.digits.length);
}

function bareCandidates(folded: string, runs: DigitRun[]): Candidate[] {
  const out: Candidate[] = [];
  for (const run of runs) {
    if (isCodeFragment(folded, run.start, run.end) || isPublicNumber(folded, run.start, run.end)) continue;
    const whole = classifyBare(run.digits, run.plus, groupSizes(run.groups), folded.slice(run.start, run.end));
    if (whole) {
      out.push({ kind: whole, start: run.start, end: run.end, priority: 50 });
      continue;
    }
    // Several numbers written one after another ("0912 345 678 0987 654 321"):
    // take the shortest group sequences that form a recognisable number.
    let i = 0;
    while (i < run.groups.length) {
      let matched = false;
      for (let j = i + 1; j <= run.groups.length; j++) {
        const part = run.groups.slice(i, j);
        const digits = part.map((g) => g.digits).join('');
        if (digits.length > 19) break;
        const kind = classifyBare(digits, i === 0 && run.plus, groupSizes(part), folded.slice(part[0].start, part[part.length - 1].end));
        if (kind) {
          out.push({ kind, start: i === 0 ? run.start : run.groups[i].start, end: run.groups[j - 1].end, priority: 50 });
          i = j;
          matched = true;
          break;
        }
      }
      if (!matched) i++;
    }
  }
  return out;
}

/** The longest leading group sequence of `run` whose digit count lies in [min, max]. */
function leadingSpan(run: DigitRun, min: number, max: number): { end: number; digits: string } | null {
  let best: { end: number; digits: string } | null = null;
  let digits = '';
  for (const g of run.groups) {
    digits += g.digits;
    if (digits.length > max) break;
    if (digits.length >= min) best = { end: g.end, digits };
  }
  return best;
}

function resolveIdKind(contextText: string, digits: string): SensitiveKind {
  if (digits.length === 12) return 'CCCD';
  if (digits.length === 9) return 'CMND';
  return /cmnd|cmt|chung minh/.test(contextText) ? 'CMND' : 'CCCD';
}

function contextCandidates(folded: string, runs: DigitRun[]): Candidate[] {
  const out: Candidate[] = [];
  for (const ctx of NUMBER_CONTEXTS) {
    for (const m of folded.matchAll(ctx.re)) {
      const ctxEnd = m.index + m[0].length;
      for (const run of runs) {
        if (run.start < ctxEnd) continue;
        if (run.start - ctxEnd > ctx.window) break;
        const gap = folded.slice(ctxEnd, run.start);
        // Stop at a sentence break or when the number is too many words away.
        // …unless the next sentence only says "it's" / "là" and then gives the code ("the 6-digit
        // code I just got by SMS. It's 661042").
        const continues = ctx.kind === 'OTP' && !/[?!\n]/.test(gap) && /^(?:it'?s|it is|la|ma la|so la)[ :=]*$/.test(gap.slice(gap.lastIndexOf('. ') + 2).trim());
        if ((/[?!\n]|\. /.test(gap) && !continues) || gap.trim().split(/\s+/).length > 6) break;
        if (ctx.fillerOnly && (!FILLER_GAP_RE.test(gap) || isCodeFragment(folded, run.start, run.end) || isPublicNumber(folded, run.start, run.end))) break;
        const span = leadingSpan(run, ctx.min, ctx.max);
        if (!span) continue;
        if (QUANTITY_AFTER_RE.test(folded.slice(span.end)) || MONEY_AFTER_RE.test(folded.slice(span.end))) continue;
        if (ctx.kind === 'PHONE' && isHotline(span.digits)) break;
        const kind = ctx.kind === 'ID' ? resolveIdKind(m[0], span.digits) : ctx.kind;
        out.push({ kind, start: run.start, end: span.end, priority: ctx.priority });
        break;
      }
    }
  }
  for (const run of runs) {
    if (run.digits.length < 4 || run.digits.length > 8) continue;
    if (OTP_AFTER_RE.test(folded.slice(run.end))) out.push({ kind: 'OTP', start: run.start, end: run.end, priority: 90 });
  }
  return out;
}

function looksLikePassword(value: string): boolean {
  const core = value.replace(/[.,;!?)\]}"'”’»]+$/, '');
  if (/\d/.test(core)) return true;
  if (/[^\p{L}\p{N}]/u.test(core)) return true;
  return /\p{Ll}.*\p{Lu}|\p{Lu}.*\p{Lu}/u.test(core.slice(1)) || /\p{Ll}\p{Lu}/u.test(core);
}

function passwordCandidates(text: string, folded: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of folded.matchAll(PASSWORD_RE)) {
    const valueStart = m.index + m[0].length;
    const separator = m[2];
    let valueEnd: number;
    const open = text[valueStart];
    const close = open === '"' ? '"' : open === '“' ? '”' : open === "'" ? "'" : open === '‘' ? '’' : open === '«' ? '»' : '';
    if (close) {
      const closing = text.indexOf(close, valueStart + 1);
      if (closing < 0 || closing - valueStart > 80) continue;
      valueEnd = closing + 1;
    } else {
      const token = /^\S{1,64}/.exec(text.slice(valueStart));
      if (!token) continue;
      valueEnd = valueStart + token[0].length;
    }
    const value = text.slice(valueStart, valueEnd);
    // "mật khẩu đổi ở https://…": the colon is the link's, and the link is for the link check.
    if (value.startsWith('//') || /^[.\/]/.test(value) && /https?$/.test(folded.slice(0, valueStart).replace(/[ :]+$/, ''))) continue;
    const foldedCore = folded.slice(valueStart, valueEnd).replace(/^["'“‘«]|[.,;:!?)\]}"'”’»]+$/g, '');
    if (!/[\p{L}\p{N}]/u.test(foldedCore) || PASSWORD_STOPWORDS.has(foldedCore)) continue;
    if (QUANTITY_WORD_AFTER_RE.test(folded.slice(valueEnd))) continue;
    const hasDiacritics = value.normalize('NFD') !== value || /[đĐ]/.test(value);
    const topicHeading = PASSWORD_TOPIC_BEFORE_RE.test(folded.slice(Math.max(0, m.index - 12), m.index));
    if ((topicHeading || hasDiacritics) && !looksLikePassword(value)) continue;
    if (separator === 'la' || separator === 'is') {
      // After "là"/"is" a plain word is usually part of a question ("mật khẩu
      // là gì"); accept it only when it looks like a secret, or is a long
      // single word that ends the sentence ("my password is sunshine").
      const endsSentence = /^\s*(?:[.!,;]|$)/.test(text.slice(valueEnd));
      if (!looksLikePassword(value) && !(foldedCore.length >= 6 && endsSentence && !close)) continue;
    }
    out.push({ kind: 'PASSWORD', start: valueStart, end: valueEnd, priority: 100 });
  }
  return out;
}

// A label followed directly by a secret-looking value ("mật khẩu Dichvucong123", "mk Tuan@@123").
const PASSWORD_BARE_RE = /\b(?:mat khau|mat ma|mk|pass(?:word)?|passwd|pwd|pw)(?: (?:cua (?:toi|minh|em|anh|chi)|vneid|dvc|dich vu cong|moi|cu|la))? +(?=\S)/g;
const QUANTITY_OR_TIMES_AFTER_RE = /^ *(?:ky tu|chu so|chu\b|so\b|lan\b|characters?\b|chars?\b|digits?\b|letters?\b|times\b)/;

function barePasswordCandidates(text: string, folded: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of folded.matchAll(PASSWORD_BARE_RE)) {
    const valueStart = m.index + m[0].length;
    const token = /^\S{1,64}/.exec(text.slice(valueStart));
    if (!token) continue;
    const value = token[0].replace(/[.,;!?)\]}"'”’»]+$/, '');
    const valueEnd = valueStart + value.length;
    // Only a value with a digit or a symbol: a bare word after "mật khẩu" is usually part of the sentence.
    if (value.length < 6 || !/\d|[^\p{L}\p{N}]/u.test(value) || /^[\d.,]+$/.test(value) && value.length < 6) continue;
    if (/^(?:https?:|www\.)/i.test(value) || QUANTITY_OR_TIMES_AFTER_RE.test(folded.slice(valueEnd))) continue;
    out.push({ kind: 'PASSWORD', start: valueStart, end: valueEnd, priority: 99 });
  }
  return out;
}

/**
 * Six digits on their own, written as one number, 3+3, 2+2+2 or digit by digit ("628403",
 * "740 261", "36.81.57", "8 1 7 3 0 4"): the shape of every one-time code and passcode citizens
 * receive (VNeID, banks, the portal). People share them with words no list can hold ("cái số
 * trong tin nhắn", "mấy số", "code vừa về"), so the shape alone counts. What else has six digits
 * is excluded: amounts (a money word after, or a round figure ending in 000), quantities and
 * dates (a unit after), codes glued to letters, public codes named before, hotlines.
 * Over-redacting a harmless six-digit number costs a number in a stored question; missing a
 * code leaks it.
 */
function sixDigitCandidates(folded: string, runs: DigitRun[]): Candidate[] {
  const out: Candidate[] = [];
  for (const run of runs) {
    if (run.digits.length !== 6 || run.plus || run.digits.endsWith('000')) continue;
    const sizes = groupSizes(run.groups);
    const codeShaped = sizes.length === 1 || sizes.every((n) => n === sizes[0]);
    if (!codeShaped || isCodeFragment(folded, run.start, run.end) || isPublicNumber(folded, run.start, run.end)) continue;
    if (QUANTITY_AFTER_RE.test(folded.slice(run.end))) continue;
    out.push({ kind: 'OTP', start: run.start, end: run.end, priority: 45 });
  }
  return out;
}

// Anywhere in the message: it talks about a password ("mật khẩu … là tên bà với ngày sinh, tôi
// nhớ là Hoa12031958").
const PASSWORD_TOPIC_RE = /\b(?:mat khau|mat ma|mk|pass(?:word)?|passwd|pwd)\b/;
// Letters and at least four digits in one token, or letters, digits and a symbol: how people
// build passwords (a name and a birth date, "lan12345", "Tuan@@123").
const PASSWORD_SHAPE_RE = /^(?=.*\p{L})(?:(?=(?:.*\d){4})|(?=.*\d)(?=.*[^\p{L}\p{N}]))[\p{L}\p{N}@#$%^&*!_.~+-]{6,32}$/u;

/**
 * In a message about a password, a token shaped like one is the password, wherever it stands.
 * Codes with letters and digits that are public (dossier numbers, form names) have a dash or dot
 * pattern of their own ("H26-240315-0001", "CT01") and too few digits, or come with a number
 * label the context detectors handle first.
 */
function passwordShapedCandidates(text: string, folded: string): Candidate[] {
  if (!PASSWORD_TOPIC_RE.test(folded)) return [];
  const out: Candidate[] = [];
  for (const m of text.matchAll(/[^\s,;:()"“”'‘’«»?!]+/gu)) {
    const value = m[0].replace(/[.]+$/, '');
    // Links stay for the link check; a short capital prefix and a number is a form or document code ("QD1234").
    if (!PASSWORD_SHAPE_RE.test(value) || /^(?:https?:|www\.)/i.test(value) || /[./][a-z]{2,}/i.test(value) || /^\p{Lu}{1,3}-?\d+$/u.test(value)) continue;
    // A public code: letters, dashes and digit groups ("H26-240315-0001", "000.00.12.H34-251120-0001").
    if (/^[\p{L}\d]+(?:[-.][\p{L}\d]+){2,}$/u.test(value)) continue;
    out.push({ kind: 'PASSWORD', start: m.index, end: m.index + value.length, priority: 55 });
  }
  return out;
}

function bankNameCandidates(folded: string, runs: DigitRun[]): Candidate[] {
  const out: Candidate[] = [];
  for (const run of runs) {
    if (run.digits.length < 6 || run.digits.length > 19 || isHotline(run.digits) || isCodeFragment(folded, run.start, run.end)) continue;
    if (BANK_AFTER_RE.test(folded.slice(run.end, run.end + 40))) out.push({ kind: 'BANK_ACCOUNT', start: run.start, end: run.end, priority: 82 });
  }
  return out;
}

/**
 * A person's name after a label that says whose name it is ("chủ tài khoản Nguyễn Văn An", "tên
 * mẹ là …", "họ tên: …", security-question answers such as "trường cấp 1 là Kim Đồng"). Only
 * capitalised words right after the label count, so a question about the label ("họ tên ghi thế
 * nào", "chủ tài khoản là ai cũng được không") is left alone. Names without a label are not
 * guessed: too many capitalised words in a question are places and services.
 */
const NAME_LABEL_RE =
  /\b(?:chu (?:tai khoan|tk)|ten chu (?:tai khoan|tk)|ho (?:va )?ten|ten (?:me|bo|cha|vo|chong|con|ba|ong)(?: (?:cua )?(?:toi|minh|em|anh|chi|ban))?|(?:toi|minh|em) ten(?: la)?|ten (?:toi|minh|em) la|truong (?:cap (?:1|2|3|mot|hai|ba)|tieu hoc|thcs|thpt)(?: (?:cua )?(?:toi|minh|em|anh|chi))?|account holder(?: name)?|(?:my )?(?:mother|father)'?s? (?:maiden )?name|my name)(?![a-z])/g;
const NAME_LINK_RE = /^ *(?:(?:la|is|:|=|-) *)?/;
const NAME_WORD_RE = /^\p{Lu}[\p{Ll}\p{M}]*(?=[\s,.;:!?)'"]|$)/u;

function nameCandidates(text: string, folded: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of folded.matchAll(NAME_LABEL_RE)) {
    let at = m.index + m[0].length;
    at += NAME_LINK_RE.exec(folded.slice(at))![0].length;
    const start = at;
    let end = at;
    for (let words = 0; words < 5; words++) {
      const w = NAME_WORD_RE.exec(text.slice(at));
      if (!w) break;
      end = at + w[0].length;
      at = end;
      const gap = /^ +/.exec(text.slice(at));
      if (!gap) break;
      at += gap[0].length;
    }
    if (end > start) out.push({ kind: 'NAME', start, end, priority: 70 });
  }
  return out;
}

function digitWordCandidates(folded: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of folded.matchAll(DIGIT_WORD_RUN_RE)) {
    const words = m[0].split(/[ ,.-]+/);
    const digits = words.map((w) => DIGIT_WORDS[w]).join('');
    const end = m.index + m[0].length;
    const otpContext = OTP_WORD_BEFORE_RE.test(folded.slice(Math.max(0, m.index - 30), m.index));
    let kind: SensitiveKind | null = null;
    if (otpContext && digits.length >= 4 && digits.length <= 8) kind = 'OTP';
    else if (PHONE_RE.test(digits)) kind = 'PHONE';
    else if (digits.length === 12 && digits.startsWith('0')) kind = 'CCCD';
    else if (digits.length >= 6 && digits.length <= 8) kind = 'OTP';
    else if (digits.length === 9) kind = 'CMND';
    if (kind) out.push({ kind, start: m.index, end, priority: 60 });
  }
  return out;
}

function emailCandidates(text: string, folded: string, options: DetectOptions): Candidate[] {
  const out: Candidate[] = [];
  for (const m of folded.matchAll(EMAIL_RE)) {
    const raw = text.slice(m.index, m.index + m[0].length);
    if (options.isPublicEmail?.(raw)) continue;
    out.push({ kind: 'EMAIL', start: m.index, end: m.index + m[0].length, priority: 95 });
  }
  return out;
}

function bhytCandidates(folded: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of folded.matchAll(BHYT_RE)) out.push({ kind: 'BHXH', start: m.index, end: m.index + m[0].length, priority: 85 });
  return out;
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

function selectNonOverlapping(candidates: Candidate[]): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const chosen: Candidate[] = [];
  for (const c of sorted) if (!chosen.some((o) => overlaps(o, c))) chosen.push(c);
  return chosen;
}

/** Other places where an already detected value occurs, so it is removed everywhere. */
function repeatCandidates(text: string, runs: DigitRun[], chosen: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of chosen) {
    const raw = text.slice(c.start, c.end);
    const digits = raw.replace(/\D/g, '');
    const numeric = c.kind !== 'PASSWORD' && c.kind !== 'EMAIL';
    if (numeric && digits.length >= 4) {
      for (const run of runs) if (run.digits.includes(digits)) out.push({ kind: c.kind, start: run.start, end: run.end, priority: 10 });
    }
    if (!numeric || digits.length < 4) {
      const needle = raw.toLowerCase();
      const hay = text.toLowerCase();
      for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
        const bounded = !/[\p{L}\p{N}]/u.test(hay[at - 1] ?? '') && !/[\p{L}\p{N}]/u.test(hay[at + needle.length] ?? '');
        if (needle.length >= 4 || bounded) out.push({ kind: c.kind, start: at, end: at + needle.length, priority: 10 });
      }
    }
  }
  return out;
}

/** Detects secrets and personal identifiers and returns the text with each replaced by its placeholder. */
export function detectSensitive(input: string, options: DetectOptions = {}): SensitiveResult {
  const text = input.normalize('NFC');
  const folded = foldSameLength(text).replace(KEYCAP_MARKS_RE, '.');
  const runs = findRuns(folded);
  const first = selectNonOverlapping([
    ...passwordCandidates(text, folded),
    ...barePasswordCandidates(text, folded),
    ...nameCandidates(text, folded),
    ...bankNameCandidates(folded, runs),
    ...digitWordCandidates(folded),
    ...emailCandidates(text, folded, options),
    ...bhytCandidates(folded),
    ...contextCandidates(folded, runs),
    ...bareCandidates(folded, runs),
    ...sixDigitCandidates(folded, runs),
    ...passwordShapedCandidates(text, folded),
  ]);
  const all = selectNonOverlapping([...first, ...repeatCandidates(text, runs, first)]);
  const items = all
    .sort((a, b) => a.start - b.start)
    .map((c) => ({ kind: c.kind, placeholder: SENSITIVE_PLACEHOLDERS[c.kind], start: c.start, end: c.end }));
  let redacted = '';
  let at = 0;
  for (const item of items) {
    redacted += text.slice(at, item.start) + item.placeholder;
    at = item.end;
  }
  redacted += text.slice(at);
  return { redacted, items };
}

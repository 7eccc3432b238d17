/**
 * Recognises scam situations described in words (no link needed) and the
 * security questions that should be answered from a security article.
 *
 * Patterns run on the folded text (lower case, no diacritics), so "công an
 * gọi" and "cong an goi" match alike. A matched *risk* scenario means the
 * person is describing something happening to them (route to the safety
 * reply); a matched *question* only says which security article to prefer.
 * A hypothetical ("Có ai hỏi mã OTP thì sao?", "nếu ...") is a question.
 */
import { foldForMatch } from './fold.js';

export type SecurityTopic =
  | 'security.scam-calls'
  | 'security.otp'
  | 'security.fake-website'
  | 'security.account-compromised'
  | 'security.report-scam';

export interface ScamScenario {
  scenario: string;
  /** Coverage-map topic ids to prefer when answering. */
  topics: SecurityTopic[];
  /** True when the message reports a real situation (not a general or hypothetical question). */
  risk: boolean;
}

interface ScenarioRule {
  scenario: string;
  topics: SecurityTopic[];
  /** False for rules that only recognise a question about security. */
  risk: boolean;
  patterns: RegExp[];
}

// Agencies and people scammers pretend to be.
const AUTHORITY =
  '(?:can bo|cong an|canh sat|csgt|thue|co quan thue|chi cuc thue|cuc thue|bao hiem|bhxh|nhan vien|toa an|vien kiem sat|ngan hang|dien luc|buu dien|vien thong|nha mang|chinh quyen|ubnd|to cong tac)';
const CALLER = `(?:${AUTHORITY}|ai|nguoi la|nguoi nao do|ai do|mot nguoi|so la|so may la|doi tuong|ke gian|ho|nguoi do)`;
const OTP_WORDS = '(?:ma otp|otp|ma xac thuc|ma xac nhan|ma kich hoat|ma (?:gom )?\\d (?:chu )?so|\\[otp\\])';
const PERSONAL_ACCOUNT = '(?:so )?(?:tai khoan|tk|stk) (?:ca nhan|rieng|cua (?:ho|nguoi do|anh ta|chi ta|can bo|nguoi la))';
const LINK = '(?:duong )?(?:link|lien ket|duong dan)';

const RULES: ScenarioRule[] = [
  {
    scenario: 'already_shared_secret',
    topics: ['security.account-compromised', 'security.otp'],
    risk: true,
    patterns: [
      /\b(?:lo|da|vua|trot|lo tay|lo mieng) (?:doc|dua|gui|cung cap|noi|bao|nhap|khai) (?:(?:cho|cho ho|cho nguoi ta|cho nguoi do|cho nguoi la) )?(?:ma otp|otp|ma xac thuc|mat khau|mk|pass)\b/,
      /\bi (?:gave|shared|told|sent|read out)\b.{0,30}\b(?:otp|code|password)\b/,
    ],
  },
  {
    scenario: 'account_compromised',
    topics: ['security.account-compromised'],
    risk: true,
    patterns: [
      /\b(?:tai khoan|tk|acc|nick|vneid|zalo|facebook)\b.{0,30}\bbi (?:nguoi khac |ke gian |hacker |nguoi la )?(?:chiem|chiem doat|hack|hach|xam nhap|danh cap|lay mat|dang nhap trai phep)/,
      /\bbi (?:hack|hach|chiem|lo|danh cap) (?:mat )?(?:tai khoan|tk|acc|mat khau|mk|pass|thong tin)/,
      /\b(?:nguoi la|thiet bi la|ai do) (?:da )?dang nhap (?:vao )?(?:tai khoan|vneid)/,
      /\b(?:account|password)\b.{0,20}\b(?:was |got |been )?(?:hacked|compromised|stolen|taken over)\b/,
    ],
  },
  {
    scenario: 'read_otp',
    topics: ['security.otp'],
    risk: true,
    patterns: [
      new RegExp(`\\b${CALLER}\\b.{0,40}\\b(?:doc|cung cap|dua|bao|gui|xin|hoi|doi|yeu cau|bat)\\b.{0,20}\\b${OTP_WORDS}`),
      /\bdoc (?:lai )?(?:ma|so)\b.{0,12}\b(?:otp|\d (?:chu )?so|xac thuc|xac nhan)\b/,
      // "đọc mã", "mã là", "gửi mã", "nhập giúp" with the code itself (already redacted to [OTP]
      // by then, or still digits): an OTP is being passed on; warn before anything else.
      /\b(?:doc (?:giup |lai |ho )?(?:(?:toi|minh|em|anh|chi|ho) )?ma|ma (?:do |nay |cua (?:toi|minh|em) )?la|gui (?:giup |lai |ho )?(?:(?:toi|minh|em|anh|chi|ho|can bo) )?ma|nhap giup|doc giup)\b[^.?!]{0,20}?(?:\[otp\]|\d{4,})/,
      /\b(?:asked|asking|ask) (?:me )?(?:for|to read|to give)\b.{0,20}\b(?:otp|code|verification code)\b/,
    ],
  },
  {
    scenario: 'transfer_to_verify',
    topics: ['security.scam-calls'],
    risk: true,
    patterns: [
      /\bchuyen (?:tien|khoan)\b.{0,50}\b(?:xac minh|xac thuc|kiem tra|dieu tra|chung minh|bao lanh|phong toa|tam giu|giai ngan|mo khoa|hoan thue)\b/,
      new RegExp(`\\bchuyen (?:tien|khoan) (?:vao|qua|den|sang) ${PERSONAL_ACCOUNT}\\b`),
      /\b(?:transfer|send|wire) (?:money|funds)\b.{0,40}\b(?:verify|verification|safe account|investigation)\b/,
    ],
  },
  {
    scenario: 'fee_to_personal_account',
    topics: ['security.scam-calls'],
    risk: true,
    patterns: [
      /\b(?:ho so|hs)\b.{0,30}\btreo\b.{0,60}\b(?:nop|chuyen|dong|tra)\b.{0,20}\b(?:phi|tien|le phi)\b/,
      // Teencode: "ck 2tr5 vào tk cá nhân" (ck = chuyển khoản).
      new RegExp(`\\b(?:ck|chuyen khoan|chuyen tien|nop tien)\\b.{0,25}\\b(?:vao|qua|den|sang|cho) ${PERSONAL_ACCOUNT}\\b`),
      new RegExp(`\\b(?:nop|dong|chuyen|tra) (?:phi|le phi|tien phat|tien)\\b.{0,30}\\b(?:qua|vao|cho|den) ${PERSONAL_ACCOUNT}\\b`),
      /\bfee\b.{0,40}\bpersonal (?:bank )?account\b/,
    ],
  },
  {
    scenario: 'app_from_link',
    topics: ['security.scam-calls'],
    risk: true,
    patterns: [
      new RegExp(`\\bcai (?:dat )?(?:lai )?(?:app|ung dung|phan mem|apk)\\b.{0,40}\\b(?:tu|qua|theo|bang|trong) (?:${LINK}|tin nhan|sms|zalo|file)\\b`),
      new RegExp(`\\b(?:${LINK}|file apk)\\b.{0,30}\\b(?:de|bao|yeu cau|bat) cai (?:dat )?(?:app|ung dung|phan mem)`),
      /\b(?:bao|yeu cau|bat|huong dan) (?:toi |minh |em |me |bo )?cai (?:dat )?(?:app|ung dung|phan mem)\b/,
      /\binstall\b.{0,30}\b(?:app|application|apk)\b.{0,30}\b(?:from|via|through) (?:a |the )?(?:link|sms|message)\b/,
    ],
  },
  {
    scenario: 'identity_update_link',
    topics: ['security.fake-website'],
    risk: true,
    patterns: [
      new RegExp(`\\bcap nhat\\b.{0,40}\\b(?:dinh danh|can cuoc|cccd|tai khoan|vneid|bhxh|thong tin|sinh trac|du lieu)\\b.{0,30}\\b(?:qua|theo|bang|tai|vao) ${LINK}\\b`),
      new RegExp(`\\b(?:bam|an|click|nhan|truy cap)(?: vao)? ${LINK}\\b.{0,40}\\b(?:cap nhat|xac thuc|dinh danh|sinh trac)\\b`),
      /\bupdate\b.{0,40}\b(?:identity|id|account|details)\b.{0,20}\b(?:via|through|from) (?:a |the )?link\b/,
    ],
  },
  {
    scenario: 'impersonation_call',
    topics: ['security.scam-calls'],
    risk: true,
    patterns: [
      new RegExp(`\\b(?:xung|tu xung|mao danh|gia danh|gia lam|tu nhan|nhan la|noi la)(?: la)? ${AUTHORITY}\\b`),
      new RegExp(`\\b${CALLER}\\b.{0,30}\\b(?:goi|goi dien|nhan tin|sms|ket ban zalo)\\b.{0,40}\\b(?:bao(?! (?:nhi?eu|nhieu|lau|gio))|yeu cau|bat|de nghi|doi|doa|de doa)\\b`),
      /\bgoi dien (?:den |cho (?:toi|minh|em|me|bo) )?(?:yeu cau|bat|doi|de nghi|de doa|doa)\b/,
      /\b(?:someone|a man|a woman|caller|he|she)\b.{0,20}\b(?:claiming|claimed|pretending|posing as|said (?:he|she|they) (?:was|were))\b/,
      /\b(?:police|officer|tax office|social insurance)\b.{0,30}\b(?:called|phoned|texted|messaged) me\b/,
    ],
  },
  {
    scenario: 'report_scam_question',
    topics: ['security.report-scam'],
    risk: false,
    patterns: [/\b(?:bao cao|to cao|trinh bao|phan anh|report)\b.{0,30}\b(?:lua dao|gia mao|scam|phishing|fake)\b/],
  },
  {
    scenario: 'fake_website_question',
    topics: ['security.fake-website'],
    risk: false,
    patterns: [
      /\b(?:trang|web|website|dia chi|link)\b.{0,30}\b(?:that|gia|gia mao)\b/,
      /\b(?:fake|real|official)\b.{0,10}\b(?:website|site|portal)\b/,
    ],
  },
  {
    scenario: 'scam_question',
    topics: ['security.scam-calls'],
    risk: false,
    patterns: [/\b(?:lua dao|mao danh|gia danh)\b.{0,30}\b(?:goi|dien thoai|tin nhan|sms|cuoc goi)\b/, /\bscam (?:calls?|messages?|sms)\b/],
  },
];

// A hypothetical or general question about a situation, not a report of one.
const HYPOTHETICAL_RE =
  /^(?:co ai|khi co ai|lo co ai|neu|gia su|what if|if)\b|\b(?:neu|gia su|khi|lo) co (?:ai|nguoi)\b|\bif (?:someone|somebody|anyone)\b/;

/** Matches scam situations and security questions; null for everything else. */
export function detectScamScenario(text: string): ScamScenario | null {
  const folded = foldForMatch(text);
  if (!folded) return null;
  const matched = RULES.filter((r) => r.patterns.some((p) => p.test(folded)));
  if (matched.length === 0) return null;
  const hypothetical = HYPOTHETICAL_RE.test(folded);
  const risky = matched.filter((r) => r.risk);
  const primary = risky[0] ?? matched[0];
  const topics = [...new Set(matched.flatMap((r) => r.topics))];
  return { scenario: primary.scenario, topics, risk: risky.length > 0 && !hypothetical };
}

/**
 * Messages the assistant refuses: requests to break into accounts or systems,
 * attempts to make it reveal or ignore its instructions, and plain abuse.
 * Matching runs on the folded text; a victim describing an attack ("tài
 * khoản bị hack") is not asking for one.
 */
import { foldForMatch } from './fold.js';

export type AbuseLabel = 'hacking' | 'prompt_injection' | 'abusive';

export interface AbuseVerdict {
  label: AbuseLabel;
}

const TARGET =
  '(?:tai khoan|tk|acc|nick|mat khau|mk|pass|otp|vneid|facebook|fb|zalo|he thong|web|website|trang web|cong dich vu cong|database|co so du lieu|camera|wifi|dien thoai)';

const HACKING: RegExp[] = [
  /\b(?:cach|lam sao|lam the nao|huong dan|giup (?:toi|minh|em)|chi (?:toi|minh|em)|day (?:toi|minh|em))\b.{0,20}\b(?:hack|hach|crack|be khoa|xam nhap|danh cap|bypass|vuot qua otp|pha mat khau)\b/,
  new RegExp(`(?<!\\bbi )\\b(?:hack|hach|crack|be khoa|xam nhap|danh cap)\\b (?:vao |duoc |lai )?${TARGET}\\b`),
  /\blay (?:duoc |trom |cap )?(?:mat khau|mk|pass|otp|ma otp|tai khoan|tk) (?:cua )?(?:nguoi khac|nguoi ta|ban|vo|chong|hang xom|ai do|nguoi yeu|nguoi kia)\b/,
  /\b(?:xem|doc|theo doi) (?:trom |len )?(?:tin nhan|tai khoan|vneid) (?:cua )?(?:nguoi khac|nguoi ta|vo|chong|nguoi yeu)\b/,
  /\bhow (?:to|do i|can i|do you) (?:hack|crack|break into)\b/,
  /\b(?:hack|break) into\b/,
  /\b(?:steal|get|find out) (?:someone(?:'s| else's)|other people'?s|my (?:wife|husband|neighbou?r)'?s) (?:password|account|otp)\b/,
  /\bbypass (?:the )?(?:otp|2fa|login|authentication|vneid)\b/,
];

const PROMPT_INJECTION: RegExp[] = [
  /\b(?:ignore|disregard|forget|override)\b.{0,20}\b(?:previous|prior|above|earlier|all|your|the|system)\b.{0,20}\b(?:instructions?|prompts?|rules|directions|guidelines)\b/,
  /\bsystem prompt\b|\bdeveloper mode\b|\bjailbreak\b|\bdo anything now\b|\bdan mode\b|\bact as an? (?:unrestricted|unfiltered)\b/,
  /\b(?:what are|show me|print|reveal|repeat) (?:your|the) (?:instructions|prompt|rules|configuration|config)\b/,
  /\bbo qua (?:tat ca |het |moi |cac |nhung )*(?:huong dan|chi dan|chi thi|lenh|quy tac)\b/,
  /\b(?:quen|xoa) (?:het |tat ca )?(?:cac )?(?:huong dan|chi dan|lenh) (?:truoc|tren|cu|ban dau)\b/,
  /\b(?:cho|hien|in|tiet lo|show|reveal|print|dump|xuat|gui)\b.{0,15}\b(?:prompt|chi dan he thong|huong dan he thong|lenh he thong|system instructions|bien moi truong|environment variables|api key|ma nguon cua ban)\b/,
  // "cho xem cấu hình" — the assistant's own configuration, not a computer's requirements.
  /\b(?:cho|hien|in|tiet lo|show|reveal|print|dump|xuat|gui)\b.{0,15}\bcau hinh\b(?: (?:cua (?:ban|bot|tro ly|he thong|may chu)|he thong|server|may chu|noi bo))?\s*[.?!]*$/,
  /\b(?:cho|hien|in|tiet lo)\b.{0,15}\bcau hinh (?:cua (?:ban|bot|tro ly)|he thong|server|may chu|noi bo)\b/,
];

// Short list of unmistakable insults and profanity, folded. Words that are
// also ordinary once diacritics are gone ("ngu" = ngủ/sleep, "cut", "deo" =
// đeo/wear) only count in a fixed insulting phrase.
const ABUSIVE: RegExp[] = [
  /\b(?:dmm|dcm|dcmm|dkm|dmvl|vcl|vkl|vcc|clm|cmm|dit me|dit con me|du ma|duma|djt|me may|oc cho|suc vat|khon nan|mat day|cho chet)\b/,
  /\b(?:thang|bot|do|tro ly) ngu\b|\bngu (?:nhu (?:bo|cho|lon)|vl|vcl)\b/,
  /\b(?:fuck(?:ing)?|fck|shit(?:ty)?|bitch|asshole|idiot|moron|retard(?:ed)?|dumbass|stupid (?:bot|assistant|machine))\b/,
];

// "đm" / "đéo" need the unfolded text: folded they are "dm" (danh mục) and "deo" (đeo).
const ABUSIVE_UNFOLDED = /(?<!\p{L})(?:đm|đmm|đéo|địt)(?!\p{L})/u;

export function detectAbuse(text: string): AbuseVerdict | null {
  const folded = foldForMatch(text);
  if (!folded) return null;
  if (PROMPT_INJECTION.some((p) => p.test(folded))) return { label: 'prompt_injection' };
  if (HACKING.some((p) => p.test(folded))) return { label: 'hacking' };
  if (ABUSIVE.some((p) => p.test(folded)) || ABUSIVE_UNFOLDED.test(text.normalize('NFC').toLowerCase())) return { label: 'abusive' };
  return null;
}

import type { Answer } from '../../server/domain/answer.js';
import { chunkText, markdownToPlain, truncate } from '../core/text.js';

export const ZALO_MAX_TEXT = 2000;
export const ZALO_MAX_BUTTONS = 5;
export const ZALO_MAX_TITLE = 100;
export const ZALO_MAX_QUERY_PAYLOAD = 1000;

export type ZaloButton =
  | { title: string; type: 'oa.query.show'; payload: string }
  | { title: string; type: 'oa.open.url'; payload: { url: string } }
  | { title: string; type: 'oa.open.phone'; payload: { phone_code: string } };

export interface ZaloMessageBody {
  recipient: { user_id: string };
  message: {
    text: string;
    attachment?: { type: 'template'; payload: { buttons: ZaloButton[] } };
  };
}

/** One outbox payload: the exact body of `POST /v3.0/oa/message/cs`. */
export interface ZaloPayload {
  kind: 'zalo.cs';
  body: ZaloMessageBody;
}

export interface ZaloFormatOptions {
  maxChars?: number;
  hotline?: string;
}

const LABELS = {
  vi: { sources: 'Nguồn', open: 'Xem trang chính thức', call: 'Gọi' },
  en: { sources: 'Sources', open: 'Open the official page', call: 'Call' },
};

function labels(lang: string) {
  return lang === 'en' ? LABELS.en : LABELS.vi;
}

/** Digits (and a leading +) of a hotline such as "1800 1096". */
export function phoneCode(hotline: string): string {
  return hotline.replace(/[^\d+]/g, '');
}

/** Plain text for Zalo: notices first, the answer without Markdown, then the sources' titles. */
export function zaloAnswerText(answer: Answer): string {
  const parts: string[] = [];
  if (answer.notices.length) parts.push(answer.notices.join('\n'));
  parts.push(markdownToPlain(answer.text));
  const titled = answer.citations.filter((c) => c.title).slice(0, 3);
  if (titled.length && answer.kind !== 'fallback') {
    const sources = titled.map((c) => (c.url ? `${c.title} (${c.url})` : c.title)).join('; ');
    if (!parts[parts.length - 1].includes(sources)) parts.push(`${labels(answer.lang).sources}: ${sources}`);
  }
  return parts.join('\n\n');
}

/** Up to 5 buttons: the quick replies, then the first official link, then the hotline. */
export function zaloButtons(args: { quickReplies: Array<{ label: string; payload: string }>; url?: string | null; hotline?: string; lang: string }): ZaloButton[] {
  const l = labels(args.lang);
  const extra: ZaloButton[] = [];
  if (args.url && /^https?:\/\//i.test(args.url)) extra.push({ title: truncate(l.open, ZALO_MAX_TITLE), type: 'oa.open.url', payload: { url: args.url } });
  const phone = args.hotline ? phoneCode(args.hotline) : '';
  if (phone.length >= 3) extra.push({ title: truncate(`${l.call} ${args.hotline}`, ZALO_MAX_TITLE), type: 'oa.open.phone', payload: { phone_code: phone } });
  const seen = new Set<string>();
  const queries: ZaloButton[] = [];
  for (const q of args.quickReplies) {
    const payload = truncate(q.payload.trim(), ZALO_MAX_QUERY_PAYLOAD);
    if (!payload || seen.has(payload)) continue;
    seen.add(payload);
    queries.push({ title: truncate(q.label.trim() || payload, ZALO_MAX_TITLE), type: 'oa.query.show', payload });
  }
  return [...queries.slice(0, ZALO_MAX_BUTTONS - extra.length), ...extra];
}

/** Splits text under the limit at sentence boundaries; the buttons go with the last part. */
export function zaloMessages(userId: string, text: string, buttons: ZaloButton[], maxChars = ZALO_MAX_TEXT): ZaloPayload[] {
  const limit = Math.min(maxChars, ZALO_MAX_TEXT - 1);
  const chunks = chunkText(text, limit, (s) => [...s].length);
  if (!chunks.length) chunks.push('…');
  return chunks.map((chunk, i) => {
    const body: ZaloMessageBody = { recipient: { user_id: userId }, message: { text: chunk } };
    if (i === chunks.length - 1 && buttons.length) body.message.attachment = { type: 'template', payload: { buttons: buttons.slice(0, ZALO_MAX_BUTTONS) } };
    return { kind: 'zalo.cs', body };
  });
}

export function formatZaloAnswer(answer: Answer, userId: string, opts: ZaloFormatOptions = {}): ZaloPayload[] {
  const url = answer.citations.find((c) => c.url)?.url ?? null;
  const buttons = zaloButtons({ quickReplies: answer.quickReplies, url, hotline: opts.hotline, lang: answer.lang });
  return zaloMessages(userId, zaloAnswerText(answer), buttons, opts.maxChars);
}

export function formatZaloNotice(text: string, userId: string, opts: { maxChars?: number; quickReplies?: string[] } = {}): ZaloPayload[] {
  const buttons = opts.quickReplies ? zaloButtons({ quickReplies: opts.quickReplies.map((q) => ({ label: q, payload: q })), lang: 'vi' }) : [];
  return zaloMessages(userId, text, buttons, opts.maxChars);
}

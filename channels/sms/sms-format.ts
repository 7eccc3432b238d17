import type { Answer } from '../../server/domain/answer.js';
import { channelMessage } from '../core/messages.js';
import { cutAtSentence, markdownToPlain } from '../core/text.js';
import { prepareSmsText, smsCapacity, smsLength, type SmsEncoding } from './gsm.js';

export interface SmsFitOptions {
  encoding: SmsEncoding;
  maxParts: number;
  lang: string;
  /** Text put before the body and never cut (the service notice); it counts against the parts. */
  prefix?: string;
}

const oneLine = (s: string) => s.replace(/\s*\n+\s*/g, ' ').replace(/\s+/g, ' ').trim();
const join = (...xs: string[]) => xs.filter((x) => x).join(' ');

/** The short form of an answer: its summary, the hotline, one official link. */
export function smsShortForm(answer: Answer, hotline: string): { body: string; tail: string } {
  const body = oneLine(markdownToPlain(answer.summary || answer.text));
  const url = answer.citations.find((c) => c.url && /^https?:\/\//i.test(c.url))?.url ?? '';
  const showHotline = hotline && !body.includes(hotline);
  const tail = join(showHotline ? channelMessage(answer.lang, 'hotline', { hotline }) : '', url && !body.includes(url) ? url : '');
  return { body, tail };
}

/**
 * Fits body + tail into `maxParts` parts. When it does not fit, the body is cut at a sentence
 * boundary, the tail kept, and "Tra loi 1 de xem tiep" appended; the rest is returned so that
 * replying "1" can send it.
 */
export function fitSms(body: string, tail: string, opts: SmsFitOptions): { text: string; rest: string } {
  const enc = opts.encoding;
  const len = (s: string) => smsLength(s, enc);
  const b = prepareSmsText(oneLine(body), enc);
  let t = prepareSmsText(oneLine(tail), enc);
  const p = prepareSmsText(oneLine(opts.prefix ?? ''), enc);
  const cap = smsCapacity(enc, opts.maxParts) - (p ? len(p) + 1 : 0);
  const full = join(b, t);
  if (len(full) <= cap) return { text: join(p, full), rest: '' };
  const prompt = prepareSmsText(channelMessage(opts.lang, 'more_prompt'), enc);
  let room = cap - len(prompt) - 1 - (t ? len(t) + 1 : 0);
  if (room < 40 && t) {
    // Keep the hotline, drop a long link, before cutting the answer to nothing.
    t = prepareSmsText(oneLine(tail.split(' http')[0]), enc);
    room = cap - len(prompt) - 1 - (t ? len(t) + 1 : 0);
  }
  const { head, rest } = cutAtSentence(b, Math.max(room, 1), len);
  if (!rest) return { text: join(p, head, t), rest: '' };
  return { text: join(p, head, t, prompt), rest };
}

import crypto from 'node:crypto';
import { concatUdh, splitSms, type SmsEncoding } from './gsm.js';

/** One outbox row for an HTTP gateway: the whole text (the gateway concatenates). */
export interface SmsHttpPayload {
  kind: 'sms.http';
  to: string;
  text: string;
  unicode: boolean;
}

/** One outbox row per SMPP part: the text of the part, its coding and its UDH (hex) if concatenated. */
export interface SmsSmppPayload {
  kind: 'sms.smpp';
  to: string;
  text: string;
  dataCoding: 0 | 8;
  udh: string | null;
}

export type SmsPayload = SmsHttpPayload | SmsSmppPayload;

export function smsPayloads(to: string, text: string, transport: 'http' | 'smpp', encoding: SmsEncoding): SmsPayload[] {
  if (transport === 'http') return [{ kind: 'sms.http', to, text, unicode: encoding === 'ucs2' }];
  const parts = splitSms(text, encoding);
  const ref = crypto.randomInt(256);
  const dataCoding = encoding === 'ucs2' ? 8 : 0;
  return parts.map((part, i) => ({
    kind: 'sms.smpp',
    to,
    text: part,
    dataCoding,
    udh: parts.length > 1 ? concatUdh(ref, parts.length, i + 1).toString('hex') : null,
  }));
}

/** Phone numbers as digits with the country code: "+84 912…" and "0912…" both become "84912…". */
export function normalisePhone(raw: string): string {
  const digits = raw.replace(/[^\d]/g, '');
  if (digits.startsWith('0') && !digits.startsWith('00')) return `84${digits.slice(1)}`;
  if (digits.startsWith('00')) return digits.slice(2);
  return digits;
}

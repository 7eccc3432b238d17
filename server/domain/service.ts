import type { Channel } from './answer.js';

/**
 * Channel switches and the service notice: the vocabulary shared by the store, the pipeline,
 * the channels, the staff API and the widget (decision 0016).
 */

/** The channels an administrator can switch off. `web` covers the chat API (`web` and `api`). */
export const SWITCHABLE_CHANNELS = ['web', 'zalo', 'sms'] as const;
export type SwitchableChannel = (typeof SWITCHABLE_CHANNELS)[number];

/** Which switch governs messages arriving on `channel`; null: never switched (cli, eval, bench). */
export function switchOf(channel: Channel): SwitchableChannel | null {
  if (channel === 'web' || channel === 'api') return 'web';
  if (channel === 'zalo' || channel === 'sms') return channel;
  return null;
}

/**
 * Longest notice per language, in characters. It is put in front of every SMS answer: 100
 * characters and a space leave 358 of the default three-part GSM-7 SMS (459) for the answer, and
 * a notice such as "Cổng dịch vụ công đang bảo trì đến 17:00" takes 40.
 */
export const NOTICE_MAX_CHARS = 100;

/** The languages a notice is written in. Never an ethnic language: we do not write those texts. */
export const NOTICE_LANGUAGES = ['vi', 'en'] as const;

export interface ServiceNotice {
  text: { vi: string; en?: string };
  /** ISO 8601 (UTC); null: shown from publication. */
  startsAt: string | null;
  endsAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

/** What the widget is given: the notice in one language, and until when it is shown. */
export interface PublicNotice {
  text: string;
  lang: string;
  endsAt: string;
}

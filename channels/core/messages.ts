/**
 * The few things a channel says by itself (not answers: those come from the pipeline). The texts
 * are the `channels` namespace of the i18n resources (server/i18n/locales/<lang>/channels.json),
 * so translators export, translate and approve them with everything else; a language without an
 * approved string gets the Vietnamese one, key by key (Bahnar… ship no text of their own).
 */
import type { i18n } from 'i18next';
import { fill } from '../../server/browser-kit/strings.js';
import { createI18n, translator } from '../../server/i18n/i18n.js';

export const CHANNELS_NAMESPACE = 'channels';

export type MessageKey =
  | 'welcome'
  | 'text_only'
  | 'please_wait'
  | 'language_set'
  | 'language_set_bdq'
  | 'opted_out'
  | 'opted_in'
  | 'no_more'
  | 'more_prompt'
  | 'hotline'
  | 'failure';

export interface ChannelMessages {
  message(lang: string | null | undefined, key: MessageKey, params?: Record<string, string | number>): string;
  /** The buttons under the welcome message, in file order. */
  welcomeQuickReplies(lang: string | null | undefined): string[];
  /** The confirmation after a language keyword (ENGLISH, TIENG VIET, BANA). */
  languageSet(lang: string): string;
}

export function createChannelMessages(instance: i18n = createI18n()): ChannelMessages {
  const source = (instance.getResourceBundle('vi', CHANNELS_NAMESPACE) ?? {}) as { welcome_quick?: Record<string, string> };
  const quickKeys = Object.keys(source.welcome_quick ?? {});
  const t = (lang: string | null | undefined) => translator(instance, lang || 'vi', CHANNELS_NAMESPACE);
  return {
    // Parameters are filled by the shared fill(): a missing one becomes empty, never a raw {{field}}.
    message: (lang, key, params = {}) => fill(t(lang)(key), params),
    welcomeQuickReplies: (lang) => quickKeys.map((k) => t(lang)(`welcome_quick.${k}`)),
    // Bahnar's confirmation is a Vietnamese sentence until a Bahnar one is approved (in the bdq pack).
    languageSet: (lang) => (lang === 'bdq' ? t('bdq')('language_set_bdq') : t(lang)('language_set')),
  };
}

/** The shipped texts, read once when the channels load. */
const shipped = createChannelMessages();

export const channelMessage = shipped.message;
export const welcomeQuickReplies = shipped.welcomeQuickReplies;
export const languageSetMessage = shipped.languageSet;

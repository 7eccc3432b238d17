import type { i18n } from 'i18next';
import { translator } from '../../i18n/i18n.js';
import { parseLanguageKeyword, type KeywordTable, type LanguageDetector } from '../../i18n/language-detect.js';
import type { Lexicon } from '../../retrieval/lexicon.js';
import type { ConversationStore } from '../../storage/conversations.js';
import type { EncodingRepairer } from '../../text/encoding-repair.js';
import { looksLikeBinaryGarbage, normaliseText, stripInvisible } from '../../text/normalise.js';
import { simpleReply } from '../composer.js';
import { CONTINUE, type Stage, type StageResult, type Turn } from '../turn.js';

export interface NormaliseStageDeps {
  repairer: EncodingRepairer;
  maxMessageChars: number;
  supportedLanguages: string[];
  detector: LanguageDetector;
  languageKeywords: KeywordTable;
  i18n: i18n;
  lexicon: Lexicon;
  conversations: ConversationStore;
}

/**
 * Repairs legacy encodings, strips invisible characters, caps the length and chooses the reply
 * language; opens the conversation in that language. Stops the turn for an empty or unreadable
 * message and for a message that is only a language keyword.
 */
export function createNormaliseStage(deps: NormaliseStageDeps): Stage {
  return {
    name: 'normalise',
    run(turn: Turn, d: Record<string, unknown>): StageResult {
      const { msg, existing, profile } = turn;
      const offered = profile.languages;
      const input = typeof msg.text === 'string' ? msg.text : '';
      // Old keyboards and converters still send VNI/TCVN3 text or mojibake; read it as Vietnamese.
      const repaired = deps.repairer.repair(input);
      const raw = repaired.ok ? repaired.text : input;
      d.encoding = repaired.ok ? repaired.encoding : 'unrepairable';
      const garbage = looksLikeBinaryGarbage(raw);
      const text = normaliseText(stripInvisible(raw));
      const tooLong = text.length > deps.maxMessageChars;
      // Reply language: an explicit choice, else a keyword ("BANA", "ENGLISH"), else detection,
      // else the language the conversation was switched to.
      const requested = msg.lang && deps.supportedLanguages.includes(msg.lang) ? msg.lang : null;
      const keyword = requested ? null : parseLanguageKeyword(text, deps.languageKeywords);
      const detected = deps.detector.detect(text, { offered });
      const switched = existing && existing.lang !== 'vi' && existing.lang !== 'en' ? existing.lang : null;
      const lang =
        requested ??
        (keyword && (offered.includes(keyword.lang) || keyword.lang === 'vi') ? keyword.lang : null) ??
        (detected.lang !== 'vi' ? detected.lang : detected.reason === 'diacritics' || !switched ? 'vi' : switched);
      Object.assign(d, { chars: text.length, removedChars: raw.length - text.length, garbage, tooLong, detected, keyword: keyword?.lang ?? null, lang });
      const keywordOffered = keyword !== null && (offered.includes(keyword.lang) || keyword.lang === 'vi');
      const norm = {
        text: tooLong ? text.slice(0, deps.maxMessageChars) : text,
        garbage,
        tooLong,
        lang,
        empty: text.length === 0,
        keywordOnly: keywordOffered,
        // A language this province does not offer: answered by the article on languages.
        unofferedLanguage: keyword !== null && !keywordOffered,
      };
      const t = translator(deps.i18n, lang, 'reply');
      const conversation =
        existing ??
        deps.conversations.open({ id: msg.conversationId, channel: msg.channel, province: turn.provinceCode, lang, userRef: msg.userRef, tokenHash: msg.conversationTokenHash, isTest: Boolean(msg.isTest) });
      turn.language = {
        norm,
        conversation,
        t,
        ts: translator(deps.i18n, lang, 'safety'),
        compose: { profile, t, lexicon: deps.lexicon },
        searchLang: lang === 'en' ? 'en' : 'vi',
      };

      if (norm.keywordOnly && !garbage) {
        const tt = deps.i18n.getFixedT(lang, 'translation');
        const languageName = String(tt(`language_names.${lang}`, { defaultValue: lang }));
        return { action: 'stop', outcome: 'language_switched', composition: { ...simpleReply('greeting', String(tt('language_switched', { languageName }))), topics: ['meta.language'] } };
      }
      if (garbage) return { action: 'stop', outcome: 'fallback_unreadable', composition: simpleReply('fallback', t('garbage')) };
      if (norm.empty) return { action: 'stop', outcome: 'fallback_empty', composition: simpleReply('fallback', t('empty')) };
      return CONTINUE;
    },
  };
}

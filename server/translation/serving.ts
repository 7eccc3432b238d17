/**
 * Which language version of an article a citizen is served, and what they are told.
 *
 *  - An approved, current translation in their language → it.
 *  - Only a draft (or a translation made from an older Vietnamese text, "stale") → the
 *    Vietnamese article; the draft is offered only where the province allows drafts
 *    (`allow_draft_translations`), labelled as not yet reviewed.
 *  - Nothing → the Vietnamese article, with one sentence saying a translation is not
 *    available yet and where to get help in person (support points for ethnic-minority
 *    people, one-stop shops) — in the citizen's language when the pack has that sentence,
 *    otherwise in Vietnamese.
 *
 * Retrieval always runs on the Vietnamese index (pivot); this only picks the version shown.
 * Notice texts live in the `translation` namespace (server/i18n/locales/<lang>/translation.json).
 */
import type { i18n } from 'i18next';
import { hasOwnTranslation } from '../i18n/i18n.js';
export type VersionStatus = 'source' | 'approved' | 'draft' | 'stale';

export interface ArticleVersion {
  lang: string;
  status: VersionStatus;
}

export interface ServingNotice {
  /** i18next namespace and key. */
  ns: 'translation';
  key: 'not_available' | 'draft_offered' | 'outdated' | 'outdated_draft_offered';
  /** Language to render the notice in: the citizen's when the pack has this sentence, else Vietnamese. */
  lang: string;
  params: { language: string };
}

export interface ArticleChoice {
  /** Language of the version to show; null when there is no version at all. */
  serveLang: string | null;
  kind: 'approved' | 'source' | 'draft-offered' | 'none';
  notice: ServingNotice | null;
  /** With draft-offered: the unreviewed version the citizen may open, and the label key to show on it. */
  offer?: { lang: string; status: 'draft' | 'stale'; labelKey: 'translation:draft_label' };
}

export interface ChooseOptions {
  versions: readonly ArticleVersion[];
  /** The citizen's language. */
  lang: string;
  /** The province's `allow_draft_translations`. */
  allowDrafts: boolean;
  /** Whether the pack has its own text for a key (i18n `hasOwnTranslation(instance, lang, key, 'translation')`). Default: only vi and en. */
  hasNotice?: (lang: string, key: string) => boolean;
}

export const SOURCE_LANG = 'vi';

export function chooseArticleVersion(opts: ChooseOptions): ArticleChoice {
  const { versions, lang } = opts;
  const source = versions.find((v) => v.lang === SOURCE_LANG && v.status === 'source') ?? versions.find((v) => v.lang === SOURCE_LANG);
  const serveSource = source ? SOURCE_LANG : null;
  if (lang === SOURCE_LANG) return { serveLang: serveSource, kind: serveSource ? 'source' : 'none', notice: null };

  const own = versions.find((v) => v.lang === lang);
  if (own?.status === 'approved' || own?.status === 'source') return { serveLang: lang, kind: 'approved', notice: null };

  const hasNotice = opts.hasNotice ?? ((l: string) => l === SOURCE_LANG || l === 'en');
  const notice = (key: ServingNotice['key']): ServingNotice => ({ ns: 'translation', key, lang: hasNotice(lang, key) ? lang : SOURCE_LANG, params: { language: lang } });

  if (own && (own.status === 'draft' || own.status === 'stale')) {
    if (opts.allowDrafts) {
      return {
        serveLang: serveSource,
        kind: 'draft-offered',
        notice: notice(own.status === 'draft' ? 'draft_offered' : 'outdated_draft_offered'),
        offer: { lang, status: own.status, labelKey: 'translation:draft_label' },
      };
    }
    return { serveLang: serveSource, kind: 'none', notice: notice(own.status === 'stale' ? 'outdated' : 'not_available') };
  }
  return { serveLang: serveSource, kind: 'none', notice: notice('not_available') };
}

/** `hasNotice` for chooseArticleVersion: whether the pack itself has the sentence (no fallback). */
export function noticeChecker(instance: i18n): (lang: string, key: string) => boolean {
  return (lang, key) => hasOwnTranslation(instance, lang, key, 'translation');
}

/** The notice as text, in the language chosen for it, with the citizen's language named. */
export function renderNotice(instance: i18n, notice: ServingNotice): string {
  const t = instance.getFixedT(notice.lang, notice.ns);
  const code = notice.params.language;
  const languageName = String(t(`language_names.${code}`, { defaultValue: code }));
  return String(t(notice.key, { languageName }));
}

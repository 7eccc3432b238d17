import type { i18n } from 'i18next';
import type { IndexedDoc, KnowledgeIndex } from '../knowledge/knowledge-index.js';
import type { ProcedureScope } from '../knowledge/procedure-scope.js';
import { chooseArticleVersion, noticeChecker, renderNotice } from '../translation/serving.js';
import { composeFromDoc, type ComposeContext, type Composition } from './composer.js';

export interface ArticleVersion {
  doc: IndexedDoc;
  notices: string[];
  draft: IndexedDoc | undefined;
  draftLabel: string;
}

/**
 * The version of an article to show in `lang`: an approved translation, else Vietnamese with a
 * notice (a procedure: the record of the asker's province, else the national one); an unreviewed draft is offered below, labelled, only where the province allows drafts.
 */
export function createVersionPicker(instance: i18n, procedureScope: (province: string) => ProcedureScope) {
  const hasNotice = noticeChecker(instance);
  return function pickVersion(index: KnowledgeIndex, versions: Map<string, IndexedDoc>, fallback: IndexedDoc, lang: string, ctx: ComposeContext): ArticleVersion {
    const choice = chooseArticleVersion({
      versions: [...versions.values()].map((d) => ({ lang: d.lang, status: d.status })),
      lang,
      allowDrafts: ctx.profile.allowDraftTranslations,
      hasNotice,
    });
    const chosen = (choice.serveLang ? versions.get(choice.serveLang) : undefined) ?? versions.get('vi') ?? fallback;
    // A procedure is shown as the record of the asker's province, or a national one.
    const doc = chosen.kind === 'procedure' ? (index.variantFor(chosen, procedureScope(ctx.profile.code)) ?? chosen) : chosen;
    const notices = choice.notice ? [renderNotice(instance, choice.notice)] : [];
    const draft = choice.offer ? versions.get(choice.offer.lang) : undefined;
    const draftLabel = draft ? String(instance.getFixedT(lang, 'translation')('draft_label')) : '';
    return { doc, notices, draft, draftLabel };
  };
}

export type VersionPicker = ReturnType<typeof createVersionPicker>;

/** Appends the labelled, unreviewed draft translation below the answer, when one is offered. */
export function withDraft(c: Composition, version: ArticleVersion, ctx: ComposeContext): Composition {
  if (!version.draft) return c;
  const d = composeFromDoc({ doc: version.draft, intent: null, bestSection: -1, related: [], ctx });
  return { ...c, text: `${c.text}\n\n---\n\n_${version.draftLabel}_\n\n${d.text}` };
}

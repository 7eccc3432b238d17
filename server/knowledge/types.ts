/** A source a piece of knowledge cites (front matter `sources`). */
export interface SourceRef {
  title: string;
  ref?: string;
  url?: string;
}

export interface Section {
  heading: string;
  text: string;
}

/**
 * One retrievable unit: an article or an imported procedure record.
 * `id` is shared by the language versions of the same article.
 */
export interface KnowledgeDoc {
  id: string;
  kind: 'article' | 'procedure';
  lang: string;
  title: string;
  topics: string[];
  summary: string;
  keywords: string[];
  aliases: string[];
  sections: Section[];
  sources: SourceRef[];
  updated: string | null;
  verify: boolean;
  /** Official link shown beside answers built from this doc (procedures). */
  url: string | null;
  /** Translation status for non-source languages: approved | draft | stale. */
  status: 'source' | 'approved' | 'draft' | 'stale';
  /** For translations: sha256 of the Vietnamese file the translation was made from. */
  translationOfHash?: string;
  translator?: string;
  reviewedBy?: string;
  file: string | null;
  contentHash: string;
  /**
   * Procedures only: the records this searchable procedure stands for (the same procedure in
   * several provinces or at several levels). Searched once; a question is answered from the
   * variant of the asker's province, or a national one.
   */
  variants?: ProcedureVariant[];
  /** On a variant shown to a citizen: which record it is. */
  variantOf?: { recordId: string; province: string | null; level: string };
}

/** One record of a procedure: where it applies and the document it shows. */
export interface ProcedureVariant {
  recordId: string;
  /** Province code; null = national (applies in every province). */
  province: string | null;
  level: string;
  doc: KnowledgeDoc;
}

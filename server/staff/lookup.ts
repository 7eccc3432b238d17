import type { Db } from '../db/database.js';
import type { KnowledgeIndex } from '../knowledge/knowledge-index.js';
import type { ProcedureRecord } from '../knowledge/procedures.js';
import { foldDiacritics, tokenize } from '../text/normalise.js';

export interface LookupHit {
  id: string;
  /** For a procedure record: the province it applies to (null = national) and its level. */
  province?: string | null;
  level?: string;
  kind: 'article' | 'procedure';
  title: string;
  topics: string[];
  summary: string;
  updated: string | null;
}

/** Instant search for staff: every word must match (the last one as a prefix), best matches first. */
export function lookup(index: KnowledgeIndex, query: string, limit = 20): LookupHit[] {
  const words = tokenize(foldDiacritics(query.toLowerCase())).slice(0, 8);
  if (!words.length) return [];
  const match = `{title folded} : (${words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' AND ')})`;
  const seen = new Set<string>();
  const hits: LookupHit[] = [];
  for (const h of index.lexicalSearch(match, limit * 6)) {
    const doc = index.docs.get(h.docRowid);
    if (!doc || doc.lang !== 'vi' || seen.has(doc.id)) continue;
    seen.add(doc.id);
    hits.push({ id: doc.id, kind: doc.kind, title: doc.title, topics: doc.topics, summary: doc.summary, updated: doc.updated });
    if (hits.length >= limit) break;
  }
  // Staff search every province's records too ("khai sinh gia lai"): a procedure's records after
  // the procedures themselves. A single-record procedure is already listed under its own id.
  if (hits.length < limit) {
    const titleMatch = `title : (${words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' AND ')})`;
    for (const v of index.searchVariantTitles(titleMatch, limit * 2)) {
      if (seen.has(v.id)) continue;
      seen.add(v.id);
      const doc = index.variantDoc(v);
      hits.push({ id: v.id, kind: 'procedure', title: doc.title, topics: doc.topics, summary: doc.summary, updated: doc.updated, province: v.province, level: v.level });
      if (hits.length >= limit) break;
    }
  }
  return hits;
}

/** Everything staff need to hand a citizen a checklist: the record as imported, or the article. */
export function documentDetail(index: KnowledgeIndex, db: Db, id: string) {
  const versions = index.byId.get(id);
  const variant = versions ? undefined : index.variantById.get(id);
  const doc = versions?.get('vi') ?? (versions ? [...versions.values()][0] : variant ? index.variantDoc(variant) : undefined);
  if (!doc) return null;
  // A procedure lists its records (province and level), so staff can open the one they serve.
  const procedureRowid = variant?.docRowid ?? doc.rowid;
  const variants = (index.variantsOf.get(procedureRowid) ?? []).map((v) => ({ id: v.id, province: v.province, level: v.level }));
  const record =
    doc.kind === 'procedure'
      ? (() => {
          const row = db.prepare('SELECT record_json, source, imported_at FROM procedure_records WHERE id = ?').get(id) as
            | { record_json: string; source: string; imported_at: string }
            | undefined;
          return row ? { ...(JSON.parse(row.record_json) as ProcedureRecord), importedAt: row.imported_at } : null;
        })()
      : null;
  return {
    id: doc.id,
    kind: doc.kind,
    title: doc.title,
    topics: doc.topics,
    summary: doc.summary,
    sections: doc.sections,
    sources: doc.sources,
    updated: doc.updated,
    verify: doc.verify,
    url: doc.url,
    record,
    province: variant ? variant.province : variants.length === 1 ? variants[0].province : null,
    variants: variants.length > 1 ? variants : [],
  };
}

/** What the document API sends (the record with the time it was imported). */
export type DocDetail = NonNullable<ReturnType<typeof documentDetail>>;

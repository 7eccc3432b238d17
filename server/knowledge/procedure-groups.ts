import type { KnowledgeDoc, ProcedureVariant } from './types.js';
import { procedureToDoc, type ProcedureRecord, type TopicRule } from './procedures.js';
import type { RecordWording } from './record-values.js';
import { scopeOf, type RecordScope, type ScopeRules } from './procedure-scope.js';
import { sha256, shortHash } from './hash.js';

interface Scoped {
  record: ProcedureRecord;
  scope: RecordScope;
  /** What the procedure asks for (steps, ways, documents): equal for copies of one procedure. */
  signature: string;
}

function signatureOf(r: ProcedureRecord): string {
  return shortHash(JSON.stringify([r.steps, r.ways, r.documents]), 12);
}

/**
 * Splits records sharing a key into procedures. Records of one key are one procedure when no place
 * (province and level) has two of them; otherwise the key hides different procedures with the same
 * title (the sample catalogue has two "Thủ tục đăng ký khai sinh có yếu tố nước ngoài"), told apart
 * by what they ask for.
 */
function splitGroup(members: Scoped[]): Scoped[][] {
  const places = new Set<string>();
  let clash = false;
  for (const m of members) {
    const place = `${m.scope.province ?? ''}|${m.scope.level}`;
    if (places.has(place)) clash = true;
    places.add(place);
  }
  if (!clash) return [members];
  const bySignature = new Map<string, Scoped[]>();
  for (const m of members) bySignature.set(m.signature, [...(bySignature.get(m.signature) ?? []), m]);
  return [...bySignature.values()];
}

/** Identical section texts are kept once in memory (a national catalogue repeats them per province). */
function interner() {
  const texts = new Map<string, string>();
  return (s: string) => {
    const known = texts.get(s);
    if (known !== undefined) return known;
    texts.set(s, s);
    return s;
  };
}

/**
 * One searchable document per procedure, whatever the number of its records. It shows the national
 * record if there is one (else the first by place), under the title without the province; the
 * records are its variants. A single record keeps its own id, so a province catalogue without
 * repeats indexes exactly as before.
 */
export function groupProcedures(records: ProcedureRecord[], opts: { scopeRules: ScopeRules; topicRules: TopicRule[]; officialUrl: string | null; wording?: RecordWording }): KnowledgeDoc[] {
  const byKey = new Map<string, Scoped[]>();
  for (const record of records) {
    const scope = scopeOf(record, opts.scopeRules);
    const list = byKey.get(scope.groupKey);
    const scoped = { record, scope, signature: signatureOf(record) };
    if (list) list.push(scoped);
    else byKey.set(scope.groupKey, [scoped]);
  }
  const intern = interner();
  const levelRank = (level: string) => {
    const i = opts.scopeRules.levelOrder.indexOf(level);
    return i === -1 ? opts.scopeRules.levelOrder.length : i;
  };
  const docs: KnowledgeDoc[] = [];
  for (const [key, all] of byKey) {
    for (const members of splitGroup(all)) {
      members.sort((a, b) => Number(a.scope.province !== null) - Number(b.scope.province !== null) || levelRank(a.scope.level) - levelRank(b.scope.level) || (a.scope.province ?? '').localeCompare(b.scope.province ?? '') || a.record.id.localeCompare(b.record.id));
      const variants: ProcedureVariant[] = members.map((m) => {
        // A variant is shown under its procedure's topics: no need to match topic rules per record.
        const doc = procedureToDoc(m.record, members.length === 1 ? opts.topicRules : [], opts.officialUrl, opts.wording);
        for (const s of doc.sections) s.text = intern(s.text);
        return { recordId: m.record.id, province: m.scope.province, level: m.scope.level, doc };
      });
      const rep = members[0];
      const shown = variants[0].doc;
      if (members.length === 1) {
        docs.push({ ...shown, variants });
        continue;
      }
      const title = rep.scope.baseTitle;
      const base = procedureToDoc({ ...rep.record, title }, opts.topicRules, opts.officialUrl, opts.wording);
      docs.push({
        ...base,
        id: `proc-g-${shortHash(`${key}|${rep.signature}`, 10)}`,
        sections: shown.sections,
        contentHash: sha256([base.contentHash, ...variants.map((v) => `${v.recordId}|${v.province ?? ''}|${v.level}|${v.doc.contentHash}`)].join('\n')),
        variants,
      });
    }
  }
  // In the order of the record each procedure shows, so the index (and its tie-breaks) is the same
  // whether the catalogue holds one record of a procedure or one per province.
  return docs.sort((a, b) => (a.variants![0].recordId < b.variants![0].recordId ? -1 : a.variants![0].recordId > b.variants![0].recordId ? 1 : 0));
}

import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Db } from '../db/database.js';
import type { KnowledgeDoc, Section } from './types.js';
import { sha256, shortHash } from './hash.js';
import { foldDiacritics } from '../text/normalise.js';
import { isDistrictAgency, NO_WORDING, singleDeadline, waysLines, type RecordWording } from './record-values.js';

/**
 * Bumped when the way records are turned into documents changes, so an existing index re-renders
 * records whose data did not change (their hash is over the record and this version).
 */
const RECORD_RENDERING = 2;

/** A procedure record after import: the CSDL-TTHC fields, cleaned of scraping artefacts. */
export interface ProcedureRecord {
  id: string;
  title: string;
  agency: string;
  steps: string;
  ways: Array<{ channel: string; deadline: string; fee: string; description: string }>;
  documents: Array<{ name: string; formUrl: string | null; copies: string }>;
  recordDate: string | null;
  source: string;
  /** Other short text fields of the export (a locality, a procedure code, a level), kept for the scope rule. */
  extra?: Record<string, string>;
}

/** The fields read into the record's own properties; any other short text field goes to `extra`. */
const KNOWN_FIELDS = new Set(['title', 'Tên thủ tục', 'Trình tự thực hiện', 'Cách thức thực hiện', 'Thành phần hồ sơ', 'Cơ quan thực hiện', 'Ngày cập nhật', 'record_date']);

function extraFields(r: Record<string, unknown>): Record<string, string> | null {
  const out: Record<string, string> = {};
  let any = false;
  for (const [k, v] of Object.entries(r)) {
    if (KNOWN_FIELDS.has(k) || typeof v !== 'string' || k.length > 60) continue;
    const text = cleanText(v);
    if (!text || text.length > 200) continue;
    out[k] = text;
    any = true;
  }
  return any ? out : null;
}

export interface ImportReport {
  records: ProcedureRecord[];
  errors: Array<{ index: number; message: string }>;
  /** Records identical to an earlier one in the same file (kept once). */
  duplicates: number;
}

function cleanText(text: unknown): string {
  if (typeof text !== 'string') return '';
  return text
    .replace(/<[^>]{1,40}>/g, ' ')
    .replace(/Đồng\s*Xem chi tiết/g, 'đồng')
    .replace(/Xem chi tiết/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

function cleanFee(raw: unknown): string {
  const fee = cleanText(raw);
  // "Phí: đồng" with no amount is an empty field in the source, not a free procedure.
  if (/^(Lệ phí|Phí):?\s*(đồng)?$/i.test(fee)) return '';
  return fee.replace(/(\d)\s*đồng\b/g, '$1 đồng');
}

function formUrl(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const url = raw.trim();
  // The scraper left "…download_file.jsp?ma=" without a code where a procedure has no form.
  if (!/^https:\/\/[^\s]+$/.test(url) || /[?&]ma=$/.test(url)) return null;
  return url;
}

function str(record: Record<string, unknown>, ...keys: string[]): unknown {
  for (const k of keys) if (record[k] !== undefined) return record[k];
  return undefined;
}

/** Validates and cleans a CSDL-TTHC-shaped catalogue (an array of records). Bad records are reported, not fatal. */
export function parseCatalogue(json: unknown, source: string, recordDate: string | null): ImportReport {
  if (!Array.isArray(json)) {
    return { records: [], errors: [{ index: -1, message: 'the catalogue must be a JSON array of procedure records' }], duplicates: 0 };
  }
  // A national export repeats the same steps and documents in every province: clean each text once.
  const memo = new Map<string, string>();
  const clean = (text: unknown): string => {
    if (typeof text !== 'string' || text.length < 64) return cleanText(text);
    let out = memo.get(text);
    if (out === undefined) memo.set(text, (out = cleanText(text)));
    return out;
  };
  const records: ProcedureRecord[] = [];
  const errors: ImportReport['errors'] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  json.forEach((raw, index) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push({ index, message: 'not an object' });
      return;
    }
    const r = raw as Record<string, unknown>;
    const title = clean(str(r, 'title', 'Tên thủ tục'));
    if (!title) {
      errors.push({ index, message: 'missing "title"' });
      return;
    }
    const waysRaw = str(r, 'Cách thức thực hiện');
    const docsRaw = str(r, 'Thành phần hồ sơ');
    const steps = clean(str(r, 'Trình tự thực hiện'));
    if (!steps && !Array.isArray(docsRaw)) {
      errors.push({ index, message: `"${title}" has neither "Trình tự thực hiện" nor "Thành phần hồ sơ"` });
      return;
    }
    const ways = (Array.isArray(waysRaw) ? waysRaw : []).flatMap((w) =>
      w && typeof w === 'object'
        ? [
            {
              channel: clean((w as Record<string, unknown>)['Hình thức nộp']),
              deadline: clean((w as Record<string, unknown>)['Thời hạn giải quyết']),
              fee: cleanFee((w as Record<string, unknown>)['Phí, lệ phí']),
              description: clean((w as Record<string, unknown>)['Mô tả']),
            },
          ]
        : [],
    );
    const documents = (Array.isArray(docsRaw) ? docsRaw : []).flatMap((d) => {
      if (!d || typeof d !== 'object') return [];
      const o = d as Record<string, unknown>;
      const name = clean(o['Tên giấy tờ']).replace(/^[-+•]\s*/, '');
      if (!name) return [];
      return [{ name, formUrl: formUrl(o['Mẫu đơn, tờ khai']), copies: clean(o['Số lượng - bản chính']) }];
    });
    const agency = clean(str(r, 'Cơ quan thực hiện'));
    const date = clean(str(r, 'Ngày cập nhật', 'record_date')) || recordDate;
    const extra = extraFields(r);
    // A locality or code field tells otherwise identical records apart (the same procedure in two provinces).
    const identity = JSON.stringify(extra ? [title, agency, steps, ways, documents, extra] : [title, agency, steps, ways, documents]);
    const id = `proc-${shortHash(identity, 10)}`;
    if (seen.has(id)) {
      duplicates++;
      return;
    }
    seen.add(id);
    // Only present when the export has such fields, so records of other exports keep their hashes.
    records.push({ id, title, agency, steps, ways, documents, recordDate: date, source, ...(extra ? { extra } : {}) });
  });
  return { records, errors, duplicates };
}

export function readCatalogueFile(file: string, recordDate: string | null): ImportReport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return { records: [], errors: [{ index: -1, message: `cannot read ${file}: ${(err as Error).message}` }], duplicates: 0 };
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { records: [], errors: [{ index: -1, message: `${file} is not valid JSON: ${(err as Error).message}` }], duplicates: 0 };
  }
  return parseCatalogue(json, file.split(/[\\/]/).pop() ?? file, recordDate);
}

/** Upserts records in one transaction; returns how many were new or changed. */
export function storeProcedures(db: Db, records: ProcedureRecord[]): { inserted: number; updated: number; unchanged: number } {
  const get = db.prepare('SELECT content_hash FROM procedure_records WHERE id = ?');
  const upsert = db.prepare(`INSERT INTO procedure_records (id, source, title, agency, record_json, content_hash, record_date, imported_at)
    VALUES (@id, @source, @title, @agency, @json, @hash, @date, @now)
    ON CONFLICT(id) DO UPDATE SET source=excluded.source, title=excluded.title, agency=excluded.agency,
      record_json=excluded.record_json, content_hash=excluded.content_hash, record_date=excluded.record_date, imported_at=excluded.imported_at`);
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const r of records) {
      const json = JSON.stringify(r);
      const hash = sha256(json);
      const existing = get.get(r.id) as { content_hash: string } | undefined;
      if (existing?.content_hash === hash) {
        counts.unchanged++;
        continue;
      }
      upsert.run({ id: r.id, source: r.source, title: r.title, agency: r.agency, json, hash, date: r.recordDate, now });
      if (existing) counts.updated++;
      else counts.inserted++;
    }
  })();
  return counts;
}

export function loadProcedures(db: Db): ProcedureRecord[] {
  return (db.prepare('SELECT record_json FROM procedure_records ORDER BY id').all() as Array<{ record_json: string }>).map(
    (row) => JSON.parse(row.record_json) as ProcedureRecord,
  );
}

export interface TopicRule {
  pattern: RegExp;
  topic: string;
}

/** Reads knowledge/dictionaries/procedure-topics.yaml: rules matched against the folded title. */
export function loadTopicRules(file: string): TopicRule[] {
  const raw = parseYaml(fs.readFileSync(file, 'utf8')) as { rules?: Array<{ match: string; topic: string }> };
  return (raw.rules ?? []).map((r) => ({ pattern: new RegExp(foldDiacritics(r.match).toLowerCase()), topic: r.topic }));
}

export function topicsForTitle(title: string, rules: TopicRule[]): string[] {
  const folded = foldDiacritics(title).toLowerCase();
  const topics = rules.filter((r) => r.pattern.test(folded)).map((r) => r.topic);
  return [...new Set(topics)];
}

function bulletList(items: string[]): string {
  return items.map((i) => `- ${i}`).join('\n');
}

export const PROCEDURE_SECTION = {
  documents: 'Thành phần hồ sơ',
  steps: 'Trình tự thực hiện',
  ways: 'Cách thức thực hiện, thời hạn và lệ phí',
  agency: 'Cơ quan thực hiện',
} as const;

/**
 * The sentence that goes with a district-level agency: the level ended on 1 July 2025 and local
 * government has two levels, province and commune (facts.md, "Administrative changes"). Which
 * body took over a given procedure is not in our sources, so the citizen is told where to ask.
 */
export const DISTRICT_NOTE =
  'Cấp huyện đã kết thúc từ ngày 1/7/2025 (chính quyền địa phương nay có hai cấp: tỉnh và xã), nên việc này nay do cơ quan cấp xã hoặc cấp tỉnh giải quyết. Hỏi Bộ phận Một cửa nơi bạn ở hoặc gọi {{national_hotline}} để biết nơi nộp hiện nay.';

/**
 * Turns a record into a retrievable document; sections keep the official wording, except values
 * that cannot be right (a deadline of 0, a fee without an amount), which are left out, and a
 * deadline repeated for each way of submitting, which is shown once (record-values.ts).
 */
export function procedureToDoc(record: ProcedureRecord, rules: TopicRule[], officialUrl: string | null, wording: RecordWording = NO_WORDING): KnowledgeDoc {
  const sections: Section[] = [];
  if (record.documents.length) {
    // A name written over several lines stays one item: the list must have as many items as it counts.
    const oneLine = (name: string) => name.replace(/\s*\n\s*/g, ' ');
    const list = bulletList(record.documents.map((d) => (d.copies ? `${oneLine(d.name)} (${d.copies})` : oneLine(d.name)) + (d.formUrl ? ` — [mẫu](${d.formUrl})` : '')));
    sections.push({
      heading: PROCEDURE_SECTION.documents,
      text: record.documents.length > 1 ? `Hồ sơ gồm ${record.documents.length} loại giấy tờ:\n${list}` : list,
    });
  }
  if (record.steps) sections.push({ heading: PROCEDURE_SECTION.steps, text: record.steps });
  const ways = waysLines(record.ways);
  if (ways.length) sections.push({ heading: PROCEDURE_SECTION.ways, text: bulletList(ways) });
  const district = record.agency !== '' && isDistrictAgency(record.agency, wording);
  if (record.agency) sections.push({ heading: PROCEDURE_SECTION.agency, text: district ? `${record.agency}\n\n${DISTRICT_NOTE}` : record.agency });
  const name = /^thủ tục\b/iu.test(record.title) ? record.title : `Thủ tục "${record.title}"`;
  const deadline = singleDeadline(record.ways);
  const summaryParts = [
    record.agency ? (district ? `${name}: bản ghi giao cho ${record.agency} (cấp huyện, đã kết thúc từ 1/7/2025).` : `${name} do ${record.agency} thực hiện.`) : `${name}.`,
    deadline ? `Thời hạn giải quyết: ${deadline}.` : '',
  ];
  return {
    id: record.id,
    kind: 'procedure',
    lang: 'vi',
    title: record.title,
    topics: topicsForTitle(record.title, rules),
    summary: summaryParts.filter(Boolean).join(' '),
    keywords: [],
    aliases: [],
    sections,
    sources: [{ title: `Cơ sở dữ liệu quốc gia về thủ tục hành chính — "${record.title}"`, ref: record.source }],
    updated: record.recordDate,
    verify: true,
    url: officialUrl,
    status: 'source',
    file: null,
    contentHash: sha256(`rendering=${RECORD_RENDERING}\n${JSON.stringify(record)}`),
  };
}

/**
 * What a procedure record's values say to a citizen, and what they cannot say. The 2021 export
 * writes "0" for a deadline nobody filled in, "Phí: Đồng" for a fee without an amount, and the
 * same deadline once per way of submitting; its agencies are often district offices, a level
 * that ended on 1 July 2025; its steps use SDLĐ, NLĐ, TTHC unexplained. These functions turn
 * such values into "unknown" (the sentence is left out) or into wording a citizen can read.
 * The office names and abbreviations are data: knowledge/dictionaries/record-wording.yaml.
 */
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { foldDiacritics, tokenize } from '../text/normalise.js';

export interface RecordWording {
  abbreviations: Array<{ abbr: string; means: string }>;
  /** Folded phrases naming a district-level agency. */
  districtAgencies: string[];
}

export const NO_WORDING: RecordWording = { abbreviations: [], districtAgencies: [] };

export class RecordWordingError extends Error {}

const fold = (s: string) => tokenize(foldDiacritics(s.normalize('NFC').toLowerCase())).join(' ');

export function parseRecordWording(text: string, source = 'record-wording.yaml'): RecordWording {
  const raw = parseYaml(text) as { abbreviations?: unknown; district_agencies?: unknown } | null;
  const entries = (v: unknown, field: string, keys: string[]) => {
    if (!Array.isArray(v)) throw new RecordWordingError(`${source}: "${field}" must be a list`);
    return v.map((e, i) => {
      const o = e as Record<string, unknown>;
      for (const k of [...keys, 'reason']) if (typeof o?.[k] !== 'string' || !(o[k] as string).trim()) throw new RecordWordingError(`${source}: ${field}[${i}] needs "${k}"`);
      return o as Record<string, string>;
    });
  };
  return {
    abbreviations: entries(raw?.abbreviations, 'abbreviations', ['abbr', 'means']).map((e) => ({ abbr: e.abbr.normalize('NFC'), means: e.means })),
    districtAgencies: entries(raw?.district_agencies, 'district_agencies', ['match']).map((e) => fold(e.match)),
  };
}

export function loadRecordWording(file: string): RecordWording {
  return parseRecordWording(fs.readFileSync(file, 'utf8'), file);
}

/** Words that fill the field without saying anything ("khác" = other). */
const EMPTY_DEADLINES = new Set(['khac', 'khong xac dinh', 'khong co', 'chua co']);

/**
 * The deadline as a citizen can read it, or '' when the value cannot be right: empty, zero, a
 * bare number without its unit ("30": days? working days?), or a filler word.
 */
export function knownDeadline(raw: string): string {
  const text = raw.trim().replace(/[.;\s]+$/u, '');
  const folded = fold(text);
  if (!folded || EMPTY_DEADLINES.has(folded)) return '';
  if (/^0+( (ngay|ngay lam viec|gio|thang))?$/.test(folded)) return '';
  if (/^\d+$/.test(folded)) return '';
  // "07 Ngày làm việc" → "07 ngày làm việc": the export capitalises the unit.
  return text.replace(/^(\d+) (Ngày|Tháng|Giờ)/u, (_m, n: string, unit: string) => `${n} ${unit.toLowerCase()}`);
}

/** "200000" → "200.000". */
function groupDigits(n: string): string {
  return n.length > 4 && /^\d+$/.test(n) ? n.replace(/\B(?=(\d{3})+(?!\d))/g, '.') : n;
}

/**
 * The fee as a citizen can read it, or '' when the record gives no amount. "Phí: 250000 đồng
 * Phí: 500000 đồng" becomes "Phí: 250.000 đồng; 500.000 đồng" (the record does not say which case
 * costs what, so both are shown); "Phí: Đồng" and "Lệ phí: 0 đồng" are unknown — the export
 * writes 0 where the field was not filled in, as it does for deadlines; a free procedure says
 * "Miễn" or "Không".
 */
export function knownFee(raw: string): string {
  const items = raw
    .split(/(?=\b(?:Lệ phí|Phí)\s*:)/u)
    .map((s) => s.trim())
    .filter(Boolean);
  const byLabel = new Map<string, string[]>();
  for (const item of items) {
    const m = /^(Lệ phí|Phí)\s*:\s*(.*)$/su.exec(item);
    const label = m ? m[1] : '';
    let value = (m ? m[2] : item).trim();
    // "50.000 đồng/lần đồng": the scraper appended the unit again.
    value = value.replace(/(đồng\/\S+)\s+đồng$/iu, '$1').replace(/(\d[\d.]*)\s*đồng/giu, (_x, n: string) => `${groupDigits(n)} đồng`);
    const folded = fold(value);
    if (!folded || folded === 'dong' || /^0+( dong)?$/.test(folded)) continue;
    if (folded === 'khong dong' || folded === 'khong') value = 'không thu';
    const list = byLabel.get(label) ?? [];
    if (!list.includes(value)) list.push(value);
    byLabel.set(label, list);
  }
  return [...byLabel]
    .map(([label, values]) => (label ? `${label}: ${values.join('; ')}` : values.join('; ')))
    .join('. ');
}

export interface Way {
  channel: string;
  deadline: string;
  fee: string;
}

const CHANNEL_NAMES: Record<string, string> = { 'truc tiep': 'trực tiếp', 'truc tuyen': 'trực tuyến', 'dich vu buu chinh': 'qua bưu chính' };

function channelName(channel: string): string {
  return CHANNEL_NAMES[fold(channel)] ?? channel.trim().toLowerCase();
}

const sentence = (s: string) => (/[.!?]$/u.test(s) ? s : `${s}.`);
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * The ways of submitting as lines: "Cách nộp: …", then the deadline, then the fee, each once when
 * every way has the same (the export repeats the deadline for each way), else one line per
 * distinct value naming its ways. A deadline or fee the record does not really give is left out,
 * so its line is simply absent.
 */
export function waysLines(ways: Way[]): string[] {
  const channels: string[] = [];
  const by = (pick: (w: Way) => string) => {
    const groups = new Map<string, string[]>();
    for (const w of ways) {
      const value = pick(w);
      const name = channelName(w.channel);
      if (!value) continue;
      const list = groups.get(value) ?? [];
      if (name && !list.includes(name)) list.push(name);
      groups.set(value, list);
    }
    return [...groups];
  };
  for (const w of ways) {
    const name = channelName(w.channel);
    if (name && !channels.includes(name)) channels.push(name);
  }
  const deadlines = by((w) => knownDeadline(w.deadline));
  const fees = by((w) => knownFee(w.fee));
  const lines: string[] = [];
  if (channels.length) lines.push(`Cách nộp: ${channels.join(', ')}.`);
  if (deadlines.length === 1) lines.push(sentence(`Thời hạn giải quyết: ${deadlines[0][0]}`));
  else for (const [d, names] of deadlines) lines.push(sentence(`Thời hạn giải quyết khi nộp ${names.join(' hoặc ')}: ${d}`));
  if (fees.length === 1) lines.push(sentence(fees[0][0]));
  else for (const [f, names] of fees) lines.push(sentence(`Khi nộp ${names.join(' hoặc ')}: ${lowerFirst(f)}`));
  return lines;
}

/** The one deadline of a record when every way that gives one gives the same, else null. */
export function singleDeadline(ways: Way[]): string | null {
  const known = [...new Set(ways.map((w) => knownDeadline(w.deadline)).filter(Boolean))];
  return known.length === 1 ? known[0] : null;
}

export function isDistrictAgency(agency: string, wording: RecordWording): boolean {
  const a = ` ${fold(agency)} `;
  return wording.districtAgencies.some((p) => a.includes(` ${p} `));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The first use of each abbreviation is followed by its meaning in brackets, once per text; one
 * the text already explains ("người phụ thuộc (NPT)", "SDLĐ (sử dụng lao động)") is left alone.
 */
export function explainAbbreviations(text: string, wording: RecordWording): string {
  let out = text;
  for (const { abbr, means } of wording.abbreviations) {
    const word = new RegExp(`(?<![\\p{L}\\p{N}])${escape(abbr)}(?![\\p{L}\\p{N}])`, 'u');
    const m = word.exec(out);
    if (!m) continue;
    const lower = out.toLowerCase();
    if (lower.includes(`${means.toLowerCase()} (${abbr.toLowerCase()})`) || lower.includes(`${abbr.toLowerCase()} (${means.toLowerCase()}`)) continue;
    out = `${out.slice(0, m.index + abbr.length)} (${means})${out.slice(m.index + abbr.length)}`;
  }
  return out;
}

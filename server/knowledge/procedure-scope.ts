import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { foldDiacritics } from '../text/normalise.js';
import type { ProcedureRecord } from './procedures.js';

/**
 * Where a procedure record applies (a province, or everywhere) and which procedure it is a variant
 * of, by the rule kept as data in knowledge/dictionaries/procedure-scope.yaml.
 */
export interface ScopeRules {
  localityFields: string[];
  groupFields: string[];
  levelFields: string[];
  levels: Array<{ level: string; pattern: RegExp }>;
  levelOrder: string[];
  /** Every province code → the code of the province that now holds its records (itself if current). */
  successor: Map<string, string>;
  /** Folded name → province code (current or former). */
  names: Map<string, string>;
  /** Folded names, longest first, as one whole-word pattern (with an optional "tỉnh"/"thành phố"). */
  namePattern: RegExp;
}

export interface RecordScope {
  /** Code of the province the record applies to; null = national (every province). */
  province: string | null;
  level: string;
  /** The title without the province suffix: the same for every variant of a procedure. */
  baseTitle: string;
  /** What variants of one procedure share (a procedure code, else the folded base title). */
  groupKey: string;
}

/** The provinces whose records answer questions asked in a province, plus the level preference. */
export interface ProcedureScope {
  provinces: string[];
  levelOrder: string[];
}

export class ScopeRulesError extends Error {}

type RawProvince = { code?: unknown; name?: unknown; aliases?: unknown; former?: unknown };

function fold(s: string): string {
  return foldDiacritics(s.normalize('NFC')).toLowerCase();
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
}

export function parseScopeRules(text: string, file = 'procedure-scope.yaml'): ScopeRules {
  let raw: Record<string, unknown>;
  try {
    raw = (parseYaml(text) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new ScopeRulesError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const successor = new Map<string, string>();
  const names = new Map<string, string>();
  const addName = (name: string, code: string) => {
    const f = fold(name).replace(/\s*-\s*/g, ' - ').trim();
    if (names.has(f) && names.get(f) !== code) throw new ScopeRulesError(`${file}: the name "${name}" is given to two provinces`);
    names.set(f, code);
  };
  const provinces = Array.isArray(raw.provinces) ? (raw.provinces as RawProvince[]) : [];
  if (provinces.length === 0) throw new ScopeRulesError(`${file}: "provinces" must list at least one province`);
  for (const p of provinces) {
    if (typeof p?.code !== 'string' || !/^[a-z0-9-]+$/.test(p.code) || typeof p.name !== 'string') {
      throw new ScopeRulesError(`${file}: every province needs a "code" (like gia-lai) and a "name"`);
    }
    successor.set(p.code, p.code);
    addName(p.name, p.code);
    for (const a of strings(p.aliases)) addName(a, p.code);
    for (const f of Array.isArray(p.former) ? (p.former as RawProvince[]) : []) {
      if (typeof f?.code !== 'string' || typeof f.name !== 'string') throw new ScopeRulesError(`${file}: a former province of ${p.code} needs a "code" and a "name"`);
      successor.set(f.code, p.code);
      addName(f.name, p.code);
    }
  }
  const levels = (Array.isArray(raw.levels) ? (raw.levels as Array<{ level?: unknown; match?: unknown }>) : []).map((l) => {
    if (typeof l?.level !== 'string' || typeof l.match !== 'string') throw new ScopeRulesError(`${file}: every level needs "level" and "match"`);
    try {
      return { level: l.level, pattern: new RegExp(l.match, 'u') };
    } catch (err) {
      throw new ScopeRulesError(`${file}: level ${l.level}: ${(err as Error).message}`);
    }
  });
  const alternatives = [...names.keys()].sort((a, b) => b.length - a.length).map((n) => escape(n).replace(/ - /g, '\\s*-\\s*').replace(/ /g, '\\s+'));
  const namePattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:(?:tinh|thanh pho|tp\\.?)\\s*)?(${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'u');
  return {
    localityFields: strings(raw.locality_fields),
    groupFields: strings(raw.group_fields),
    levelFields: strings(raw.level_fields),
    levels,
    levelOrder: strings(raw.level_order),
    successor,
    names,
    namePattern,
  };
}

export function loadScopeRules(file: string): ScopeRules {
  return parseScopeRules(fs.readFileSync(file, 'utf8'), file);
}

function provinceIn(text: string, rules: ScopeRules): { code: string; index: number; length: number } | null {
  const m = rules.namePattern.exec(fold(text));
  if (!m) return null;
  const name = m[1].replace(/\s*-\s*/g, ' - ').replace(/\s+/g, ' ');
  const code = rules.names.get(name);
  return code ? { code, index: m.index, length: m[0].length } : null;
}

/** The title without the part naming the province ("Đăng ký khai sinh (tỉnh Gia Lai)" → "Đăng ký khai sinh"). */
function withoutProvince(title: string, at: { index: number; length: number }): string {
  const nfc = title.normalize('NFC');
  // Folding keeps one character per Vietnamese letter, so positions carry over; if not, keep the title.
  if (fold(nfc).length !== nfc.length) return nfc;
  const before = nfc.slice(0, at.index).replace(/[\s,;:(–-]*$/u, '');
  const after = nfc.slice(at.index + at.length).replace(/^[\s)]*/u, '');
  return `${before}${after ? ` ${after}` : ''}`.trim() || nfc;
}

export function scopeOf(record: ProcedureRecord, rules: ScopeRules): RecordScope {
  const extra = record.extra ?? {};
  const field = (keys: string[]) => keys.map((k) => extra[k]).find((v) => typeof v === 'string' && v.trim() !== '');
  const locality = field(rules.localityFields);
  const fromField = locality ? provinceIn(locality, rules) : null;
  const inAgency = fromField ? null : provinceIn(record.agency, rules);
  const inTitle = provinceIn(record.title, rules);
  const found = fromField ?? inAgency ?? inTitle;
  const province = found ? (rules.successor.get(found.code) ?? found.code) : null;
  const baseTitle = inTitle ? withoutProvince(record.title, inTitle) : record.title;
  const levelText = fold(field(rules.levelFields) ?? record.agency);
  const level = rules.levels.find((l) => l.pattern.test(levelText))?.level ?? 'unspecified';
  const code = field(rules.groupFields);
  return { province, level, baseTitle, groupKey: code ? `code:${code.trim()}` : `title:${fold(baseTitle).replace(/\s+/g, ' ')}` };
}

/** A profile's province and the provinces it was merged into: whose records answer its citizens. */
export function procedureScope(profileCode: string, rules: ScopeRules): ProcedureScope {
  const provinces = profileCode === 'national' ? [] : [...new Set([profileCode, rules.successor.get(profileCode)].filter((c): c is string => Boolean(c)))];
  return { provinces, levelOrder: rules.levelOrder };
}

import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { OfficeHoursError, parseOfficeHours, type OfficeHours } from '../handoff/office-hours.js';

/**
 * The placeholders articles may use, by whose value they are. National values are read only
 * from national.yaml (group `national`); province values only from the province's own profile
 * (groups `province`, `one_stop`), or, for a merged province, from the province it merged into.
 * A province value never falls back to a national one: an empty province hotline stays empty
 * and the sentence naming it is left out, so the national line is never shown as a province's.
 */
export const NATIONAL_FIELDS = {
  national_portal_url: ['national', 'portal_url'],
  registration_url: ['national', 'registration_url'],
  national_hotline: ['national', 'hotline'],
  national_email: ['national', 'email'],
  vneid_hotline: ['national', 'vneid_hotline'],
  scam_report_url: ['national', 'scam_report_url'],
  police_emergency: ['national', 'police_emergency'],
} as const;

export const PROVINCE_FIELDS = {
  province_portal_url: ['province', 'portal_url'],
  province_hotline: ['province', 'hotline'],
  one_stop_name: ['one_stop', 'name'],
  one_stop_address: ['one_stop', 'address'],
  one_stop_hours: ['one_stop', 'hours'],
} as const;

export const PLACEHOLDER_FIELDS = { ...NATIONAL_FIELDS, ...PROVINCE_FIELDS } as const;

export type PlaceholderKey = keyof typeof PLACEHOLDER_FIELDS | 'province_name';

/** What kind of value a placeholder holds, so a check can tell a phone label from a URL. */
export const VALUE_KINDS: Record<keyof typeof PLACEHOLDER_FIELDS, 'url' | 'phone' | 'email' | 'text'> = {
  national_portal_url: 'url',
  registration_url: 'url',
  national_hotline: 'phone',
  national_email: 'email',
  vneid_hotline: 'phone',
  scam_report_url: 'url',
  police_emergency: 'phone',
  province_portal_url: 'url',
  province_hotline: 'phone',
  one_stop_name: 'text',
  one_stop_address: 'text',
  one_stop_hours: 'text',
};

/** A province merged into another on a date (Kon Tum into Quảng Ngãi on 2025-07-01). */
export interface Merger {
  into: string;
  intoName: string;
  intoNameEn: string;
  on: string;
}

export interface ProvinceProfile {
  code: string;
  /** The profile's own name (for a merged province, the former province). */
  name: string;
  nameEn: string;
  status: string;
  /**
   * Resolved values; empty string = unknown. `province_name` is the province that applies now:
   * for a merged province, the one it merged into.
   */
  values: Record<PlaceholderKey, string>;
  /** Which values still need confirmation by the province. */
  unverified: PlaceholderKey[];
  /** A caveat to show beside a value (i18n key under `caveat.`), e.g. Đồng Nai's 1022: `predates_merger`. */
  caveats: Partial<Record<PlaceholderKey, string>>;
  /** Set when this province no longer exists on its own. */
  merger: Merger | null;
  /** Former provinces merged into this one, with the date. */
  absorbed: Array<{ code: string; name: string; on: string }>;
  languages: string[];
  ethnicLanguages: Array<{ code?: string; name: string }>;
  defaultLanguage: string;
  allowDraftTranslations: boolean;
  officialDomains: string[];
  notes: string;
  /** Passing a conversation to staff; null when the province has not turned it on. */
  handoff: HandoffSettings | null;
}

/** `handoff:` of a province's own profile (never the national one: hours are the province's). */
export interface HandoffSettings {
  hours: OfficeHours;
  /** Target time to a first staff reply, in working minutes. */
  firstResponseMinutes: number;
}

function handoffSettings(file: string, raw: unknown): HandoffSettings | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ProfileError(`${file}: handoff: a mapping (enabled, hours, holidays, first_response_minutes)`);
  const h = raw as Raw;
  if (h.enabled !== true) return null;
  const target = h.first_response_minutes;
  if (typeof target !== 'number' || !Number.isInteger(target) || target < 1 || target > 7 * 24 * 60) {
    throw new ProfileError(`${file}: handoff.first_response_minutes: a whole number of working minutes (1…10080)`);
  }
  try {
    return { hours: parseOfficeHours(h.hours, h.holidays), firstResponseMinutes: target };
  } catch (err) {
    if (err instanceof OfficeHoursError) throw new ProfileError(`${file}: handoff.${err.message}`);
    throw err;
  }
}

type Raw = Record<string, unknown>;

interface FieldValue {
  value: string;
  verify: boolean;
  caveat?: string;
}

function field(raw: Raw, group: string, key: string): FieldValue {
  const g = raw[group];
  if (!g || typeof g !== 'object') return { value: '', verify: false };
  const f = (g as Raw)[key];
  if (typeof f === 'string' || typeof f === 'number') return { value: String(f).trim(), verify: false };
  if (f && typeof f === 'object') {
    const v = (f as Raw).value;
    const caveat = (f as Raw).caveat;
    return {
      value: v === undefined || v === null ? '' : String(v).trim(),
      verify: (f as Raw).verify === true,
      ...(typeof caveat === 'string' && caveat ? { caveat } : {}),
    };
  }
  return { value: '', verify: false };
}

export class ProfileError extends Error {}

function readRaw(file: string): Raw {
  let raw: unknown;
  try {
    raw = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ProfileError(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!raw || typeof raw !== 'object') throw new ProfileError(`${file}: a profile must be a YAML mapping`);
  return raw as Raw;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string' || typeof v === 'number').map(String) : [];
}

const digits = (s: string) => s.replace(/\D/g, '');

function checkShape(raw: Raw, file: string, isNational: boolean): void {
  // The old schema mixed national and province contacts in one group; refuse it rather than guess.
  for (const old of ['portals', 'contacts']) {
    if (old in raw) throw new ProfileError(`${file}: "${old}" is the old profile schema; use "national" (national.yaml only), "province" and "one_stop"`);
  }
  if (!isNational && 'national' in raw) throw new ProfileError(`${file}: national contacts belong in national.yaml only, not in a province profile`);
  if (isNational && 'province' in raw) throw new ProfileError(`${file}: national.yaml holds no province contacts`);
}

const nameOf = (raw: Raw, code: string) => (typeof raw.name === 'string' ? raw.name : code);
const nameEnOf = (raw: Raw, code: string) => (typeof raw.name_en === 'string' ? raw.name_en : nameOf(raw, code));
const dateOf = (v: unknown) => (typeof v === 'string' ? v : v instanceof Date ? v.toISOString().slice(0, 10) : '');

/** Loads a province profile: national values from national.yaml, province values from the province (or its successor). */
export function loadProvinceProfile(knowledgeDir: string, code: string): ProvinceProfile {
  const dir = path.join(knowledgeDir, 'provinces');
  const nationalFile = path.join(dir, 'national.yaml');
  const national = readRaw(nationalFile);
  checkShape(national, nationalFile, true);
  const file = path.join(dir, `${code}.yaml`);
  if (!fs.existsSync(file)) throw new ProfileError(`No province profile "${code}" (looked for ${file})`);
  const own = code === 'national' ? national : readRaw(file);
  checkShape(own, file, code === 'national');

  // A merged province is served with the values of the province that applies now.
  let merger: Merger | null = null;
  let current = own;
  const into = typeof own.merged_into === 'string' ? own.merged_into.trim() : '';
  if (into) {
    const successorFile = path.join(dir, `${into}.yaml`);
    if (!fs.existsSync(successorFile)) throw new ProfileError(`${file}: merged_into "${into}" has no profile (looked for ${successorFile})`);
    current = readRaw(successorFile);
    checkShape(current, successorFile, false);
    if (typeof current.merged_into === 'string' && current.merged_into.trim()) throw new ProfileError(`${file}: merged into "${into}", which is itself merged`);
    merger = { into, intoName: nameOf(current, into), intoNameEn: nameEnOf(current, into), on: dateOf(own.merged_on) };
  }

  const values = {} as Record<PlaceholderKey, string>;
  const unverified: PlaceholderKey[] = [];
  const caveats: Partial<Record<PlaceholderKey, string>> = {};
  const take = (key: PlaceholderKey, f: FieldValue) => {
    values[key] = f.value;
    if (f.value && f.verify) unverified.push(key);
    if (f.value && f.caveat) caveats[key] = f.caveat;
  };
  for (const [key, [group, name]] of Object.entries(NATIONAL_FIELDS) as Array<[PlaceholderKey, readonly [string, string]]>) take(key, field(national, group, name));
  for (const [key, [group, name]] of Object.entries(PROVINCE_FIELDS) as Array<[PlaceholderKey, readonly [string, string]]>) {
    take(key, code === 'national' ? { value: '', verify: false } : field(current, group, name));
  }
  if (values.province_hotline && values.national_hotline && digits(values.province_hotline) === digits(values.national_hotline)) {
    throw new ProfileError(`${file}: the province hotline ${values.province_hotline} is the national line; leave it empty instead`);
  }
  const name = nameOf(own, code);
  values.province_name = merger ? merger.intoName : name;

  const absorbed = (Array.isArray(own.merged_from) ? (own.merged_from as unknown[]) : []).flatMap((e) => {
    if (e && typeof e === 'object' && typeof (e as Raw).code === 'string' && typeof (e as Raw).name === 'string') {
      return [{ code: String((e as Raw).code), name: String((e as Raw).name), on: dateOf((e as Raw).on) }];
    }
    return [];
  });

  const ethnic = Array.isArray(own.ethnic_languages)
    ? (own.ethnic_languages as unknown[]).flatMap((e) => {
        if (e && typeof e === 'object' && typeof (e as Raw).name === 'string') {
          const c = (e as Raw).code;
          return [{ name: String((e as Raw).name), ...(typeof c === 'string' && c ? { code: c } : {}) }];
        }
        return [];
      })
    : [];
  const languages = strings(own.languages);
  return {
    code,
    name,
    nameEn: nameEnOf(own, code),
    status: typeof own.status === 'string' ? own.status : 'current',
    values,
    unverified,
    caveats,
    merger,
    absorbed,
    languages: languages.length ? languages : strings(national.languages),
    ethnicLanguages: ethnic,
    defaultLanguage: typeof own.default_language === 'string' ? own.default_language : 'vi',
    allowDraftTranslations: own.allow_draft_translations === true,
    officialDomains: [...strings(national.official_domains), ...strings(own.official_domains), ...(merger ? strings(current.official_domains) : [])],
    notes: typeof own.notes === 'string' ? own.notes : '',
    handoff: code === 'national' ? null : handoffSettings(file, own.handoff),
  };
}

export function listProvinceCodes(knowledgeDir: string): string[] {
  return fs
    .readdirSync(path.join(knowledgeDir, 'provinces'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

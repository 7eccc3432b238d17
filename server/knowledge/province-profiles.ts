import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { OfficeHoursError, parseOfficeHours, type OfficeHours } from '../handoff/office-hours.js';

/** The placeholders articles may use; each resolves from the active profile, then the national one. */
export const PLACEHOLDER_FIELDS = {
  national_portal_url: ['portals', 'national_portal_url'],
  registration_url: ['portals', 'registration_url'],
  province_portal_url: ['portals', 'province_portal_url'],
  national_hotline: ['contacts', 'national_hotline'],
  national_email: ['contacts', 'national_email'],
  vneid_hotline: ['contacts', 'vneid_hotline'],
  scam_report_url: ['contacts', 'scam_report_url'],
  police_emergency: ['contacts', 'police_emergency'],
  province_hotline: ['contacts', 'province_hotline'],
  one_stop_name: ['one_stop', 'name'],
  one_stop_address: ['one_stop', 'address'],
  one_stop_hours: ['one_stop', 'hours'],
} as const;

export type PlaceholderKey = keyof typeof PLACEHOLDER_FIELDS | 'province_name';

export interface ProvinceProfile {
  code: string;
  name: string;
  nameEn: string;
  status: string;
  /** Resolved values (province first, national fallback); empty string = unknown. */
  values: Record<PlaceholderKey, string>;
  /** Which values still need confirmation by the province. */
  unverified: PlaceholderKey[];
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

function field(raw: Raw, group: string, key: string): { value: string; verify: boolean } {
  const g = raw[group];
  if (!g || typeof g !== 'object') return { value: '', verify: false };
  const f = (g as Raw)[key];
  if (typeof f === 'string' || typeof f === 'number') return { value: String(f).trim(), verify: false };
  if (f && typeof f === 'object') {
    const v = (f as Raw).value;
    return { value: v === undefined || v === null ? '' : String(v).trim(), verify: (f as Raw).verify === true };
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

/** Loads a province profile merged over the national default (knowledge/provinces/national.yaml). */
export function loadProvinceProfile(knowledgeDir: string, code: string): ProvinceProfile {
  const dir = path.join(knowledgeDir, 'provinces');
  const national = readRaw(path.join(dir, 'national.yaml'));
  const file = path.join(dir, `${code}.yaml`);
  if (!fs.existsSync(file)) throw new ProfileError(`No province profile "${code}" (looked for ${file})`);
  const own = code === 'national' ? national : readRaw(file);

  const values = {} as Record<PlaceholderKey, string>;
  const unverified: PlaceholderKey[] = [];
  for (const [key, [group, name]] of Object.entries(PLACEHOLDER_FIELDS) as Array<[PlaceholderKey, readonly [string, string]]>) {
    const mine = field(own, group, name);
    const fallback = field(national, group, name);
    let chosen = mine.value ? mine : fallback;
    // A province without its own line falls back to the national line, as citizens need someone to call.
    if (key === 'province_hotline' && !chosen.value) chosen = field(national, 'contacts', 'national_hotline');
    values[key] = chosen.value;
    if (chosen.value && chosen.verify) unverified.push(key);
  }
  const name = typeof own.name === 'string' ? own.name : code;
  values.province_name = name;

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
    nameEn: typeof own.name_en === 'string' ? own.name_en : name,
    status: typeof own.status === 'string' ? own.status : 'current',
    values,
    unverified,
    languages: languages.length ? languages : strings(national.languages),
    ethnicLanguages: ethnic,
    defaultLanguage: typeof own.default_language === 'string' ? own.default_language : 'vi',
    allowDraftTranslations: own.allow_draft_translations === true,
    officialDomains: [...strings(national.official_domains), ...strings(own.official_domains)],
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

/**
 * Fills {{placeholders}} from the profile. An unknown value becomes the caller's safe phrase,
 * never an invented number; an unknown placeholder name is left visible so reviewers catch it.
 */
export function renderPlaceholders(text: string, profile: ProvinceProfile, unknownPhrase: (key: string) => string): string {
  return text.replace(PLACEHOLDER, (whole, key: string) => {
    if (!(key in profile.values)) return whole;
    const value = profile.values[key as PlaceholderKey];
    return value ? value : unknownPhrase(key);
  });
}

export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/**
 * Language packs: what exists for each language and how complete it is.
 *
 * A pack is the i18next resources under server/i18n/locales/<lang>/ (one JSON file per
 * namespace, only for strings a reviewer approved; an untranslated key is ABSENT, never an
 * empty string, so i18next falls back to Vietnamese and `hasOwnTranslation` is false) plus a
 * `manifest.json` (code, names, script, per-namespace status and the provenance of every
 * approved string), and the translated articles under knowledge/articles/<lang>/.
 *
 * Languages are the union of the locales folders, the articles folders, the province
 * profiles' `languages`/`ethnic_languages` and knowledge/translation/languages.yaml.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readFrontMatter } from './markdown-segments.js';
import { projectPath } from '../project-root.js';

export const SOURCE_LANG = 'vi';
export const DEFAULT_LOCALES_DIR = projectPath('server', 'i18n', 'locales');
export const DEFAULT_KNOWLEDGE_DIR = projectPath('knowledge');
/**
 * The citizen-facing namespaces a language pack translates. `staff` (the staff console, used by
 * Vietnamese-speaking officials) and any other namespace are not part of ethnic-language packs.
 */
export const PACK_NAMESPACES = ['reply', 'safety', 'widget', 'translation', 'channels'];
export const MANIFEST_FILE = 'manifest.json';

export interface PackPaths {
  localesDir: string;
  knowledgeDir: string;
}

export const defaultPaths = (): PackPaths => ({ localesDir: DEFAULT_LOCALES_DIR, knowledgeDir: DEFAULT_KNOWLEDGE_DIR });

export function sha256Hex(bytes: Buffer | Uint8Array | string): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

// ---------------------------------------------------------------------------
// Article staleness

export type ArticleStatus = 'approved' | 'draft' | 'stale';

/**
 * The status a translated article is served with. `draft` stays draft; an approved translation
 * is `stale` as soon as the Vietnamese file's bytes no longer hash to its `translation_of_hash`
 * (or when it has none, or the Vietnamese file is gone), because it then translates a text that
 * is not the current one.
 */
export function computeArticleStatus(
  viFileBytes: Buffer | Uint8Array | string | null,
  translationFrontMatter: { status?: unknown; translation_of_hash?: unknown },
): ArticleStatus {
  if (translationFrontMatter.status === 'draft') return 'draft';
  const hash = translationFrontMatter.translation_of_hash;
  if (viFileBytes === null || typeof hash !== 'string' || !/^[0-9a-f]{64}$/i.test(hash.trim())) return 'stale';
  return sha256Hex(viFileBytes) === hash.trim().toLowerCase() ? 'approved' : 'stale';
}

// ---------------------------------------------------------------------------
// Language catalogue

export interface LanguageEntry {
  code: string;
  name: string;
  nameEn: string;
  script: string;
  verify: boolean;
  source: boolean;
  keywords: string[];
  withPrefix: string[];
}

export interface LanguageCatalogue {
  prefixes: string[];
  languages: LanguageEntry[];
}

export function loadLanguageCatalogue(knowledgeDir: string = DEFAULT_KNOWLEDGE_DIR): LanguageCatalogue {
  const file = path.join(knowledgeDir, 'translation', 'languages.yaml');
  if (!fs.existsSync(file)) return { prefixes: [], languages: [] };
  const raw = parseYaml(fs.readFileSync(file, 'utf8')) as { prefixes?: unknown; languages?: unknown };
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const languages = (Array.isArray(raw?.languages) ? raw.languages : []).map((l: Record<string, unknown>) => ({
    code: String(l.code),
    name: String(l.name ?? l.code),
    nameEn: String(l.name_en ?? l.name ?? l.code),
    script: String(l.script ?? 'Latn'),
    verify: l.verify === true,
    source: l.source === true,
    keywords: list(l.keywords),
    withPrefix: list(l.with_prefix),
  }));
  return { prefixes: list(raw?.prefixes), languages };
}

export interface LanguageInfo {
  code: string;
  name: string;
  nameEn: string;
  script: string;
  /** Where the language was found: "locales", "articles", "catalogue", "profile:<province>". */
  foundIn: string[];
  provinces: string[];
  hasManifest: boolean;
}

function subdirs(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()) : [];
}

export interface ProfileLanguages {
  province: string;
  languages: string[];
  ethnic: Array<{ code?: string; name: string }>;
}

export function readProfileLanguages(knowledgeDir: string): ProfileLanguages[] {
  const dir = path.join(knowledgeDir, 'provinces');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const raw = (parseYaml(fs.readFileSync(path.join(dir, f), 'utf8')) ?? {}) as Record<string, unknown>;
      const ethnic = Array.isArray(raw.ethnic_languages) ? (raw.ethnic_languages as Array<Record<string, unknown>>) : [];
      return {
        province: String(raw.code ?? f.slice(0, -5)),
        languages: Array.isArray(raw.languages) ? raw.languages.map(String) : [],
        ethnic: ethnic.map((e) => ({ ...(e.code ? { code: String(e.code) } : {}), name: String(e.name ?? '') })),
      };
    });
}

/** Every language the project knows of, Vietnamese first. */
export function listLanguages(paths: PackPaths = defaultPaths()): LanguageInfo[] {
  const catalogue = loadLanguageCatalogue(paths.knowledgeDir);
  const byCode = new Map<string, LanguageInfo>();
  const get = (code: string): LanguageInfo => {
    let info = byCode.get(code);
    if (!info) {
      const c = catalogue.languages.find((l) => l.code === code);
      info = { code, name: c?.name ?? code, nameEn: c?.nameEn ?? code, script: c?.script ?? 'Latn', foundIn: [], provinces: [], hasManifest: false };
      byCode.set(code, info);
    }
    return info;
  };
  const add = (code: string, where: string) => {
    const info = get(code);
    if (!info.foundIn.includes(where)) info.foundIn.push(where);
  };
  for (const l of catalogue.languages) add(l.code, 'catalogue');
  for (const code of subdirs(paths.localesDir)) {
    add(code, 'locales');
    if (fs.existsSync(path.join(paths.localesDir, code, MANIFEST_FILE))) get(code).hasManifest = true;
  }
  for (const code of subdirs(path.join(paths.knowledgeDir, 'articles'))) add(code, 'articles');
  for (const p of readProfileLanguages(paths.knowledgeDir)) {
    const codes = new Set([...p.languages, ...p.ethnic.flatMap((e) => (e.code ? [e.code] : []))]);
    for (const code of codes) {
      add(code, `profile:${p.province}`);
      get(code).provinces.push(p.province);
      const named = p.ethnic.find((e) => e.code === code);
      if (named && byCode.get(code)!.name === code) byCode.get(code)!.name = named.name;
    }
  }
  return [...byCode.values()].sort((a, b) => rank(a.code) - rank(b.code) || a.code.localeCompare(b.code));
}

const rank = (code: string) => (code === SOURCE_LANG ? 0 : code === 'en' ? 1 : 2);

// ---------------------------------------------------------------------------
// Strings

/** Nested i18next JSON → flat "a.b.c" keys (i18next's default key separator). */
export function flattenStrings(obj: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) flattenStrings(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (obj !== undefined && obj !== null && prefix) {
    out.set(prefix, String(obj));
  }
  return out;
}

/** Sets a flat key in a nested object. */
export function setNested(obj: Record<string, unknown>, key: string, value: string): void {
  const parts = key.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (!cur[p] || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

/** Namespace files of a language folder (manifest.json is not a namespace). */
export function namespaceFiles(localesDir: string, lang: string): string[] {
  const dir = path.join(localesDir, lang);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== MANIFEST_FILE)
    .map((f) => f.slice(0, -5))
    .sort();
}

export function readNamespace(localesDir: string, lang: string, ns: string): Map<string, string> {
  const file = path.join(localesDir, lang, `${ns}.json`);
  if (!fs.existsSync(file)) return new Map();
  return flattenStrings(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** The Vietnamese strings of the pack namespaces, by namespace: what every pack translates. */
export function sourceStrings(localesDir: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const ns of namespaceFiles(localesDir, SOURCE_LANG)) if (PACK_NAMESPACES.includes(ns)) out.set(ns, readNamespace(localesDir, SOURCE_LANG, ns));
  return out;
}

export interface StringProvenance {
  source_hash: string;
  translator: string;
  reviewed_by: string;
  updated: string;
}

export interface PackManifest {
  code: string;
  name: string;
  name_en: string;
  script: string;
  verify?: boolean;
  note?: string;
  /** missing | partial | complete | no-source (the Vietnamese namespace does not exist yet). */
  namespaces: Record<string, 'missing' | 'partial' | 'complete' | 'no-source'>;
  /** "<ns>:<key>" → which Vietnamese text an approved string translates, and who did it. */
  strings: Record<string, StringProvenance>;
}

export function readManifest(localesDir: string, lang: string): PackManifest | null {
  const file = path.join(localesDir, lang, MANIFEST_FILE);
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as PackManifest;
}

export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

export type StringState = 'translated' | 'stale' | 'missing';

export interface StringStatusRow {
  ns: string;
  key: string;
  state: StringState;
}

/**
 * Each Vietnamese string's state in `lang`: missing (absent), stale (its provenance hash is not
 * the current Vietnamese text's) or translated. Strings without provenance (the English pack,
 * written with the Vietnamese one) count as translated.
 */
export function stringStatuses(localesDir: string, lang: string): StringStatusRow[] {
  const manifest = readManifest(localesDir, lang);
  const rows: StringStatusRow[] = [];
  for (const [ns, strings] of sourceStrings(localesDir)) {
    const own = readNamespace(localesDir, lang, ns);
    for (const [key, vi] of strings) {
      const value = own.get(key);
      let state: StringState = value === undefined || value === '' ? 'missing' : 'translated';
      const prov = manifest?.strings?.[`${ns}:${key}`];
      if (state === 'translated' && prov && prov.source_hash !== sha256Hex(vi)) state = 'stale';
      rows.push({ ns, key, state });
    }
  }
  return rows;
}

/** Recomputes a manifest's per-namespace status from the files (after an approval). */
export function refreshManifest(paths: PackPaths, lang: string, base?: Partial<PackManifest>): PackManifest {
  const existing = readManifest(paths.localesDir, lang);
  const entry = loadLanguageCatalogue(paths.knowledgeDir).languages.find((l) => l.code === lang);
  const info = listLanguages(paths).find((l) => l.code === lang);
  const statuses = stringStatuses(paths.localesDir, lang);
  const namespaces: PackManifest['namespaces'] = {};
  const all = [...PACK_NAMESPACES].sort();
  for (const ns of all) {
    const rows = statuses.filter((r) => r.ns === ns);
    const done = rows.filter((r) => r.state === 'translated').length;
    namespaces[ns] = rows.length === 0 ? 'no-source' : done === 0 ? 'missing' : done === rows.length ? 'complete' : 'partial';
  }
  const manifest: PackManifest = {
    code: lang,
    name: existing?.name ?? entry?.name ?? info?.name ?? lang,
    name_en: existing?.name_en ?? entry?.nameEn ?? info?.nameEn ?? lang,
    script: existing?.script ?? entry?.script ?? 'Latn',
    ...((existing?.verify ?? entry?.verify) ? { verify: true } : {}),
    note: base?.note ?? existing?.note ?? PACK_NOTE,
    namespaces,
    strings: { ...(existing?.strings ?? {}), ...(base?.strings ?? {}) },
  };
  writeJsonAtomic(path.join(paths.localesDir, lang, MANIFEST_FILE), manifest);
  return manifest;
}

// ---------------------------------------------------------------------------
// Articles

export type ArticleState = ArticleStatus | 'missing';

export interface ArticleStatusRow {
  id: string;
  state: ArticleState;
  /** For a draft: whether the Vietnamese text changed since it was translated. */
  sourceChanged: boolean;
}

export function sourceArticleIds(knowledgeDir: string): string[] {
  const dir = path.join(knowledgeDir, 'articles', SOURCE_LANG);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort() : [];
}

export function articleStatuses(knowledgeDir: string, lang: string): ArticleStatusRow[] {
  return sourceArticleIds(knowledgeDir).map((id) => {
    const viBytes = fs.readFileSync(path.join(knowledgeDir, 'articles', SOURCE_LANG, `${id}.md`));
    const file = path.join(knowledgeDir, 'articles', lang, `${id}.md`);
    if (!fs.existsSync(file)) return { id, state: 'missing', sourceChanged: false };
    const fm = readFrontMatter(fs.readFileSync(file, 'utf8')) ?? {};
    const state = computeArticleStatus(viBytes, fm);
    const sourceChanged = typeof fm.translation_of_hash !== 'string' || fm.translation_of_hash.trim().toLowerCase() !== sha256Hex(viBytes);
    return { id, state, sourceChanged };
  });
}

// ---------------------------------------------------------------------------
// Completeness

export interface PackCompleteness {
  lang: string;
  name: string;
  script: string;
  provinces: string[];
  strings: { total: number; translated: number; stale: number; missing: number; byNamespace: Record<string, { total: number; translated: number; stale: number; missing: number }> };
  articles: { total: number; approved: number; draft: number; stale: number; missing: number };
  staleStrings: string[];
  missingStrings: string[];
  staleArticles: string[];
  draftArticles: string[];
  missingArticles: string[];
}

export function packCompleteness(paths: PackPaths, lang: string, languages: readonly LanguageInfo[] = listLanguages(paths)): PackCompleteness {
  const info = languages.find((l) => l.code === lang);
  const strings = stringStatuses(paths.localesDir, lang);
  const byNamespace: PackCompleteness['strings']['byNamespace'] = {};
  for (const r of strings) {
    const b = (byNamespace[r.ns] ??= { total: 0, translated: 0, stale: 0, missing: 0 });
    b.total++;
    b[r.state]++;
  }
  const articles = lang === SOURCE_LANG ? [] : articleStatuses(paths.knowledgeDir, lang);
  const count = (s: ArticleState) => articles.filter((a) => a.state === s).length;
  const key = (r: StringStatusRow) => `${r.ns}:${r.key}`;
  return {
    lang,
    name: info?.name ?? lang,
    script: info?.script ?? 'Latn',
    provinces: info?.provinces ?? [],
    strings: {
      total: strings.length,
      translated: strings.filter((r) => r.state === 'translated').length,
      stale: strings.filter((r) => r.state === 'stale').length,
      missing: strings.filter((r) => r.state === 'missing').length,
      byNamespace,
    },
    articles: { total: sourceArticleIds(paths.knowledgeDir).length, approved: count('approved'), draft: count('draft'), stale: count('stale'), missing: count('missing') },
    staleStrings: strings.filter((r) => r.state === 'stale').map(key),
    missingStrings: strings.filter((r) => r.state === 'missing').map(key),
    staleArticles: articles.filter((a) => a.state === 'stale').map((a) => a.id),
    draftArticles: articles.filter((a) => a.state === 'draft').map((a) => a.id),
    missingArticles: articles.filter((a) => a.state === 'missing').map((a) => a.id),
  };
}

/** Completeness of every language except the Vietnamese source. */
export function allPacks(paths: PackPaths = defaultPaths()): PackCompleteness[] {
  const languages = listLanguages(paths);
  return languages.filter((l) => l.code !== SOURCE_LANG).map((l) => packCompleteness(paths, l.code, languages));
}

export const PACK_NOTE: string =
  'Language pack skeleton. No text in this language is shipped until a reviewer approves it through the translator workflow (docs/translation.md): ' +
  'an untranslated key is absent (never an empty string), so i18next falls back to Vietnamese and hasOwnTranslation() is false. ' +
  'The keys to translate are those of ../vi/*.json; `strings` records which Vietnamese text each approved string translates.';

/** Creates a language's pack folder with its manifest (no strings) when it has none yet. Returns whether it was created. */
export function initPack(paths: PackPaths, lang: string): boolean {
  if (lang === SOURCE_LANG || readManifest(paths.localesDir, lang)) return false;
  refreshManifest(paths, lang, { note: PACK_NOTE, strings: {} });
  return true;
}

/** Ethnic-minority languages (with a code) that some province profile offers. */
export function profileEthnicLanguages(knowledgeDir: string): string[] {
  const codes = new Set<string>();
  for (const p of readProfileLanguages(knowledgeDir)) {
    for (const e of p.ethnic) if (e.code) codes.add(e.code);
    for (const l of p.languages) if (l !== SOURCE_LANG && l !== 'en') codes.add(l);
  }
  return [...codes].sort();
}

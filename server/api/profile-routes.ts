import type { FastifyInstance } from 'fastify';
import type { ProvinceProfile } from '../knowledge/province-profiles.js';
import type { KnowledgeIndex } from '../knowledge/knowledge-index.js';
import { errorSchema } from './schemas.js';

export type LanguageStatus = 'full' | 'partial';

export interface PublicLanguage {
  code: string;
  name: string;
  status: LanguageStatus;
}

/** What a citizen-facing client (the web widget) may know about a province. */
export interface PublicProfile {
  code: string;
  name: string;
  hotline?: string;
  nationalHotline?: string;
  oneStop?: { name?: string; address?: string; hours?: string };
  /** Present (true) when the province's staff answer handed-over conversations. */
  handoff?: boolean;
  languages: PublicLanguage[];
  defaultLanguage: string;
}

export interface ProfileRoutesOptions {
  profiles: Map<string, ProvinceProfile>;
  defaultProvince: string;
  /** The live knowledge index (it is swapped on re-ingestion), to tell which languages have reviewed content. */
  indexHolder: { get(): { index: KnowledgeIndex } };
  /** Languages the pipeline accepts as `lang` on /api/chat (default vi, en). */
  chatLanguages?: string[];
}

export const publicProfileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name', 'languages', 'defaultLanguage'],
  properties: {
    code: { type: 'string' },
    name: { type: 'string' },
    hotline: { type: 'string' },
    nationalHotline: { type: 'string' },
    oneStop: {
      type: 'object',
      additionalProperties: false,
      properties: { name: { type: 'string' }, address: { type: 'string' }, hours: { type: 'string' } },
    },
    languages: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'name', 'status'],
        properties: { code: { type: 'string' }, name: { type: 'string' }, status: { type: 'string', enum: ['full', 'partial'] } },
      },
    },
    defaultLanguage: { type: 'string' },
    handoff: { type: 'boolean', description: "Present when the province's staff take handed-over conversations" },
  },
} as const;

/**
 * Reviewed article counts per language: the Vietnamese source articles, and translations marked
 * approved. A language whose approved articles cover every source article is "full", else "partial".
 */
export function contentLanguages(index: KnowledgeIndex): Map<string, LanguageStatus> {
  const counts = new Map<string, number>();
  for (const doc of index.docs.values()) {
    if (doc.kind !== 'article' || (doc.status !== 'source' && doc.status !== 'approved')) continue;
    counts.set(doc.lang, (counts.get(doc.lang) ?? 0) + 1);
  }
  const source = counts.get('vi') ?? 0;
  const result = new Map<string, LanguageStatus>();
  for (const [lang, n] of counts) result.set(lang, lang === 'vi' || n >= source ? 'full' : 'partial');
  return result;
}

/** A language's own name (endonym) when the runtime knows it, else the profile's name for it, else the code. */
export function languageName(code: string, profile: ProvinceProfile): string {
  try {
    const own = new Intl.DisplayNames([code], { type: 'language', fallback: 'none' }).of(code);
    if (own && own.toLowerCase() !== code.toLowerCase()) return own.charAt(0).toLocaleUpperCase(code) + own.slice(1);
  } catch {
    /* an invalid or unknown tag: fall through */
  }
  return profile.ethnicLanguages.find((l) => l.code === code)?.name ?? code;
}

export function publicProfile(profile: ProvinceProfile, statuses: Map<string, LanguageStatus>, chatLanguages: string[]): PublicProfile {
  const v = profile.values;
  const oneStop: PublicProfile['oneStop'] = {};
  if (v.one_stop_name) oneStop.name = v.one_stop_name;
  if (v.one_stop_address) oneStop.address = v.one_stop_address;
  if (v.one_stop_hours) oneStop.hours = v.one_stop_hours;
  const languages = profile.languages
    .filter((code, i, all) => all.indexOf(code) === i && chatLanguages.includes(code) && statuses.has(code))
    .map((code) => ({ code, name: languageName(code, profile), status: statuses.get(code)! }));
  const out: PublicProfile = {
    code: profile.code,
    name: profile.name,
    languages,
    defaultLanguage: languages.some((l) => l.code === profile.defaultLanguage) ? profile.defaultLanguage : (languages[0]?.code ?? 'vi'),
  };
  if (v.province_hotline) out.hotline = v.province_hotline;
  if (v.national_hotline) out.nationalHotline = v.national_hotline;
  if (Object.keys(oneStop).length) out.oneStop = oneStop;
  if (profile.handoff) out.handoff = true;
  return out;
}

/** GET /api/profile?province=code — the public contact facts and languages of a province profile. */
export async function profileRoutes(app: FastifyInstance, opts: ProfileRoutesOptions): Promise<void> {
  const chatLanguages = opts.chatLanguages ?? ['vi', 'en'];
  let cached: { version: string; statuses: Map<string, LanguageStatus> } | null = null;
  const statuses = () => {
    const { index } = opts.indexHolder.get();
    if (!cached || cached.version !== index.version) cached = { version: index.version, statuses: contentLanguages(index) };
    return cached.statuses;
  };

  app.get<{ Querystring: { province?: string } }>(
    '/api/profile',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { province: { type: 'string', pattern: '^[a-z0-9-]{2,40}$' } },
        },
        response: { 200: publicProfileSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const code = req.query.province ?? opts.defaultProvince;
      const profile = opts.profiles.get(code);
      if (!profile) return reply.code(404).send({ error: 'unknown_province', message: `Unknown province "${code}"` });
      reply.header('cache-control', 'public, max-age=300');
      return publicProfile(profile, statuses(), chatLanguages);
    },
  );
}

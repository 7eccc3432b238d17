import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { KnowledgeDoc, Section, SourceRef } from './types.js';
import { sha256 } from './hash.js';

export class ArticleError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;
const TOPIC_ID = /^[a-z]+(\.[a-z0-9-]+)+$/;

function stringList(value: unknown, field: string, file: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
    throw new ArticleError(file, `"${field}" must be a list of strings`);
  }
  return value.map((v) => String(v).trim()).filter((v) => v.length > 0);
}

function sources(value: unknown, file: string): SourceRef[] {
  if (!Array.isArray(value) || value.length === 0) throw new ArticleError(file, '"sources" must list at least one source');
  return value.map((s, i) => {
    if (typeof s === 'string') return { title: s };
    if (s && typeof s === 'object' && typeof (s as SourceRef).title === 'string') {
      const { title, ref, url } = s as SourceRef;
      return { title, ...(ref ? { ref: String(ref) } : {}), ...(url ? { url: String(url) } : {}) };
    }
    throw new ArticleError(file, `sources[${i}] needs a "title"`);
  });
}

/** Splits a Markdown body into sections at level-2 headings; text before the first heading is "". */
export function splitSections(body: string): Section[] {
  const sections: Section[] = [];
  let heading = '';
  let lines: string[] = [];
  const flush = () => {
    const text = lines.join('\n').trim();
    if (text || heading) sections.push({ heading, text });
  };
  for (const line of body.split(/\r?\n/)) {
    const m = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (m && !line.startsWith('###')) {
      flush();
      heading = m[1];
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  return sections.filter((s) => s.text.length > 0);
}

function dateString(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' && value.trim()) return value.trim();
  return null;
}

/** Parses and validates one article file's text (already repaired to Unicode NFC). */
export function parseArticle(text: string, file: string): KnowledgeDoc {
  const m = FRONT_MATTER.exec(text);
  if (!m) throw new ArticleError(file, 'missing YAML front matter between "---" lines');
  let fm: Record<string, unknown>;
  try {
    fm = parseYaml(m[1]) as Record<string, unknown>;
  } catch (err) {
    throw new ArticleError(file, `front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!fm || typeof fm !== 'object') throw new ArticleError(file, 'front matter must be a YAML mapping');

  const id = fm.id;
  if (typeof id !== 'string' || !TOPIC_ID.test(id)) throw new ArticleError(file, '"id" must look like "service.birth-registration"');
  const expected = path.basename(file, '.md');
  if (expected !== id) throw new ArticleError(file, `"id" (${id}) must equal the file name (${expected})`);
  const topics = stringList(fm.topics, 'topics', file);
  if (topics.length === 0) throw new ArticleError(file, '"topics" must list at least one topic id');
  for (const t of topics) if (!TOPIC_ID.test(t)) throw new ArticleError(file, `topic "${t}" is not a topic id`);
  const title = fm.title;
  if (typeof title !== 'string' || !title.trim()) throw new ArticleError(file, '"title" is required');
  const lang = fm.lang;
  if (typeof lang !== 'string' || !/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(lang)) throw new ArticleError(file, '"lang" must be a BCP-47 code');
  const summary = fm.summary;
  if (typeof summary !== 'string' || summary.trim().length < 20) throw new ArticleError(file, '"summary" must be 2–3 sentences');
  const updated = dateString(fm.updated);
  if (!updated) throw new ArticleError(file, '"updated" is required');
  if (typeof fm.verify !== 'boolean') throw new ArticleError(file, '"verify" must be true or false');
  const status = fm.status ?? (lang === 'vi' ? 'source' : 'approved');
  if (status !== 'source' && status !== 'approved' && status !== 'draft') {
    throw new ArticleError(file, '"status" must be draft or approved');
  }
  const sections = splitSections(m[2]);
  if (sections.length === 0) throw new ArticleError(file, 'the article has no body');

  return {
    id,
    kind: 'article',
    lang,
    title: title.trim(),
    topics,
    summary: summary.trim(),
    keywords: stringList(fm.keywords, 'keywords', file),
    aliases: stringList(fm.aliases, 'aliases', file),
    sections,
    sources: sources(fm.sources, file),
    updated,
    verify: fm.verify,
    url: null,
    status,
    ...(typeof fm.translation_of_hash === 'string' ? { translationOfHash: fm.translation_of_hash } : {}),
    ...(typeof fm.translator === 'string' ? { translator: fm.translator } : {}),
    ...(typeof fm.reviewed_by === 'string' ? { reviewedBy: fm.reviewed_by } : {}),
    file,
    contentHash: sha256(text),
  };
}

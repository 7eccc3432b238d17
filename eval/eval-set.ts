import fs from 'node:fs';

export interface EvalItem {
  q: string;
  topic: string;
  style?: string;
  expect?: 'answer' | 'fallback' | 'safety';
  lang?: string;
  /** Multi-turn items: earlier turns are asked first in the same conversation; `q` is the last. */
  turns?: string[];
  /** Regular expressions (case-insensitive) the answer text must match, each of them. */
  mustInclude?: RegExp[];
  /** Regular expressions (case-insensitive) the answer text must not match, none of them. */
  mustNotInclude?: RegExp[];
  /** Title of the procedure record (or article) the answer must cite. */
  procedure?: string;
  /** Values that must never be found in anything stored (database, WAL, index, logs). */
  secrets?: string[];
  /** Why the label is what it is (kept for failure listings). */
  why?: string;
  /** A line's own claim that it was never used for tuning; must agree with its folder (see set-files.ts). */
  heldOut?: boolean;
  source: string;
  line: number;
}

export class EvalSetError extends Error {}

/*
 * A secret shorter than this would be found by chance in the raw bytes of a database or an
 * index (a CVV "123" is everywhere), so the scan could not tell a leak from noise.
 */
export const MIN_SECRET_LENGTH = 6;

const KNOWN_FIELDS = new Set(['q', 'topic', 'style', 'expect', 'lang', 'turns', 'must_include', 'must_not_include', 'procedure', 'secrets', 'why', 'held_out']);
/* Other metadata (notes, ids, the asked detail…) is allowed; a field that looks like a check is not. */
const LOOKS_LIKE_A_CHECK = /must|secret|proced|held|turn|expect|topic/i;

function stringList(obj: Record<string, unknown>, key: string, where: string): string[] | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !x.length)) throw new EvalSetError(`${where}: "${key}" must be a list of non-empty strings`);
  return v as string[];
}

function patterns(obj: Record<string, unknown>, key: string, where: string): RegExp[] | undefined {
  const list = stringList(obj, key, where);
  return list?.map((p) => {
    try {
      return new RegExp(p, 'iu');
    } catch (err) {
      throw new EvalSetError(`${where}: "${key}" holds an invalid regular expression ${JSON.stringify(p)}: ${(err as Error).message}`);
    }
  });
}

/** Parses one line of a set; every problem is an EvalSetError naming the file and line. */
function parseLine(obj: Record<string, unknown>, file: string, line: number): EvalItem {
  const where = `${file}:${line}`;
  // A misspelt check ("must_inlcude") would silently drop the check, so it is an error.
  const unknown = Object.keys(obj).filter((k) => !KNOWN_FIELDS.has(k) && LOOKS_LIKE_A_CHECK.test(k));
  if (unknown.length) throw new EvalSetError(`${where}: unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')}`);
  if (obj.turns !== undefined && (!Array.isArray(obj.turns) || obj.turns.length < 1 || obj.turns.some((t) => typeof t !== 'string' || !t.trim()))) {
    throw new EvalSetError(`${where}: "turns" must be a list of non-empty strings`);
  }
  const turns = obj.turns as string[] | undefined;
  const q = typeof obj.q === 'string' ? obj.q : turns?.[turns.length - 1];
  if (typeof q !== 'string' || !q.trim()) throw new EvalSetError(`${where}: needs "q" (or "turns")`);
  if (typeof obj.topic !== 'string' || !obj.topic.trim()) throw new EvalSetError(`${where}: needs "topic"`);
  const expect = obj.expect as EvalItem['expect'] | undefined;
  if (expect !== undefined && !['answer', 'fallback', 'safety'].includes(expect)) throw new EvalSetError(`${where}: bad "expect" ${JSON.stringify(expect)}`);
  for (const key of ['style', 'lang', 'procedure', 'why'] as const) {
    if (obj[key] !== undefined && (typeof obj[key] !== 'string' || !(obj[key] as string).trim())) throw new EvalSetError(`${where}: "${key}" must be a non-empty string`);
  }
  if (obj.held_out !== undefined && typeof obj.held_out !== 'boolean') throw new EvalSetError(`${where}: "held_out" must be true or false`);
  const secrets = stringList(obj, 'secrets', where);
  const short = secrets?.find((s) => s.length < MIN_SECRET_LENGTH);
  if (short !== undefined) throw new EvalSetError(`${where}: secret ${JSON.stringify(short)} is shorter than ${MIN_SECRET_LENGTH} characters; it would be found by chance`);
  if (secrets?.some((s) => !q.includes(s) && !(turns ?? []).some((t) => t.includes(s)))) {
    throw new EvalSetError(`${where}: every secret must appear word for word in the question (or a turn)`);
  }
  const mustInclude = patterns(obj, 'must_include', where);
  const mustNotInclude = patterns(obj, 'must_not_include', where);
  return {
    q,
    topic: obj.topic,
    ...(typeof obj.style === 'string' ? { style: obj.style } : {}),
    ...(expect ? { expect } : {}),
    ...(typeof obj.lang === 'string' ? { lang: obj.lang } : {}),
    ...(turns ? { turns: turns.slice(0, -1) } : {}),
    ...(mustInclude?.length ? { mustInclude } : {}),
    ...(mustNotInclude?.length ? { mustNotInclude } : {}),
    ...(typeof obj.procedure === 'string' ? { procedure: obj.procedure } : {}),
    ...(secrets?.length ? { secrets } : {}),
    ...(typeof obj.why === 'string' ? { why: obj.why } : {}),
    ...(typeof obj.held_out === 'boolean' ? { heldOut: obj.held_out } : {}),
    source: file,
    line,
  };
}

/** Reads a JSONL evaluation set; a malformed line is an error naming the file and line. */
export function readEvalSet(file: string): EvalItem[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new EvalSetError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const items: EvalItem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (err) {
      throw new EvalSetError(`${file}:${i + 1}: not valid JSON (${(err as Error).message})`);
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new EvalSetError(`${file}:${i + 1}: a line must be one JSON object`);
    items.push(parseLine(obj as Record<string, unknown>, file, i + 1));
  });
  return items;
}

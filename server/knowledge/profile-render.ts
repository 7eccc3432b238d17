/**
 * Fills an article's or template's {{placeholders}} from a province profile at sentence level.
 *
 * A value the profile does not have is never replaced by a phrase inside the sentence (that
 * gave "ở hỏi Bộ phận Một cửa nơi gần nhất"): the clause or sentence that needs it is left out,
 * or replaced by the alternative the author wrote for that case after `{{else}}`:
 *
 *   Vào {{national_portal_url}} hoặc {{province_portal_url}}. {{else}} Vào {{national_portal_url}}.
 *
 * An unknown value that is only one of two choices ("{{a}} hoặc {{b}}", "a or {{b}}") or an
 * aside in brackets is left out with its "hoặc"/"or" or brackets, which keeps the sentence
 * whole.
 *
 * Units, from the largest: a line (Markdown list item, step, paragraph), its sentences (ended
 * by . ! ? followed by a space), their clauses (separated by "; "). A clause with an unknown
 * value is dropped; a sentence left with no clause is replaced by its `{{else}}` alternative
 * (itself dropped if it needs an unknown value too); a line left empty is removed and the
 * numbered items after it are renumbered.
 *
 * `{{province_status}}` is a whole sentence from the reply templates: "Kon Tum đã sáp nhập vào
 * Quảng Ngãi từ 01/7/2025…" for a merged province, the provinces merged into it for the one
 * that absorbed them, nothing for a province that did not change. A value with a caveat in the
 * profile (Đồng Nai's 1022 predates the merger) is followed by the caveat sentence, once.
 */
import type { Translate } from '../i18n/i18n.js';
import type { PlaceholderKey, ProvinceProfile } from './province-profiles.js';

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;
const ELSE = /^\{\{\s*else\s*\}\}\s*/;
// A sentence ends at . ! ? (or the closing bold/quote after it) followed by white space.
// A sentence placeholder ({{province_status}}) is a sentence of its own.
const SENTENCE_END = /(?<=[.!?…](?:\*\*|["”’)])?|\{\{province_status\}\})\s+(?=\S)/u;
const LINE_PREFIX = /^(\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s+)?)(.*)$/s;

/** Placeholders that are whole sentences made from the profile, not values. */
export const SENTENCE_PLACEHOLDERS = ['province_status'] as const;

// Building an Intl.DateTimeFormat costs more than the rest of a reply's contact lines together,
// so the formatters of the shipped locales are built once, at load; they never change.
function newDateFormat(locale: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: locale.startsWith('vi') ? 'numeric' : 'long', year: 'numeric', timeZone: 'UTC' });
}
const DATE_FORMATS: ReadonlyMap<string, Intl.DateTimeFormat> = new Map(['vi-VN', 'en-GB'].map((l) => [l, newDateFormat(l)]));

function dateFormat(locale: string): Intl.DateTimeFormat {
  return DATE_FORMATS.get(locale) ?? newDateFormat(locale);
}

function formatDate(iso: string, t: Translate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return dateFormat(t('locale')).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

/** The sentence saying which province applies now, or '' when nothing changed. */
export function provinceStatusSentence(profile: ProvinceProfile, t: Translate): string {
  if (profile.merger) {
    return t('province_status.merged', { former: profile.name, current: profile.merger.intoName, date: formatDate(profile.merger.on, t) });
  }
  if (profile.absorbed.length) {
    const former = profile.absorbed.map((a) => a.name).join(', ');
    return t('province_status.absorbed', { province: profile.name, former, date: formatDate(profile.absorbed[0].on, t) });
  }
  return '';
}

/** The caveat sentence for a shown value, or '' when the profile gives none. */
export function caveatSentence(profile: ProvinceProfile, key: PlaceholderKey, t: Translate): string {
  const kind = profile.caveats[key];
  if (!kind) return '';
  return t(`caveat.${kind}`, { value: profile.values[key], province: profile.values.province_name });
}

interface RenderState {
  profile: ProvinceProfile;
  t: Translate;
  /** Caveats already given in this text: each is said once. */
  caveatsShown: Set<string>;
}

function valueOf(key: string, s: RenderState): string | undefined {
  if (key === 'province_status') return provinceStatusSentence(s.profile, s.t);
  if (!(key in s.profile.values)) return undefined; // not a placeholder we know: left visible for reviewers
  return s.profile.values[key as PlaceholderKey];
}

const VERBS = '(?:gọi|hỏi|call|ask|đến|go to|tại|at|vào|open)';
const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes an unknown value where it is only one of two choices or an aside, which leaves the
 * sentence whole: "Gọi {{a}} hoặc {{b}}" → "Gọi {{a}}", "hệ thống của tỉnh ({{b}})" → "hệ
 * thống của tỉnh". Anything else that needs the value stays, and the clause is dropped.
 */
function dropOptional(clause: string, s: RenderState): string {
  let out = clause;
  for (const m of clause.matchAll(PLACEHOLDER)) {
    const value = valueOf(m[1], s);
    if (value === undefined || value) continue;
    const ph = escape(m[0]);
    const v = `(?:\\*\\*)?${ph}(?:\\*\\*)?`;
    out = out
      // "hệ thống của tỉnh ({{x}})"
      .replace(new RegExp(`\\s*\\(${v}\\)`, 'g'), '')
      // "A, hoặc gọi {{x}}", "A or call {{x}}"
      .replace(new RegExp(`,?\\s+(?:hoặc|or)\\s+(?:${VERBS}\\s+)?${v}`, 'g'), '')
      // "gọi {{x}} hoặc gửi …", "{{x}} hoặc A": the verb that took the value goes with it
      .replace(new RegExp(`${VERBS}\\s+${v},?\\s+(?:hoặc|or)\\s+(?=(?:gửi|dùng|hỏi|đến|nhắn|send|use|ask|go)(?!\\p{L}))`, 'gu'), '')
      .replace(new RegExp(`${v},?\\s+(?:hoặc|or)\\s+`, 'g'), '')
      // "đến {{x}}, Bộ phận Một cửa, hoặc …", "Hướng dẫn: {{x}}, …": the first of a list of places
      .replace(new RegExp(`(?<=(?::|(?<!\\p{L})(?:đến|tại|at|go to))\\s+)${v},\\s+(?=\\p{L})`, 'gu'), '');
  }
  return out;
}

/** A clause with every value known, filled; null when one is unknown. */
function fillClause(raw: string, s: RenderState, caveats: string[]): string | null {
  let missing = false;
  const clause = dropOptional(raw, s);
  const out = clause.replace(PLACEHOLDER, (whole, key: string) => {
    const v = valueOf(key, s);
    if (v === undefined) return whole;
    if (!v) {
      missing = true;
      return whole;
    }
    const caveat = caveatSentence(s.profile, key as PlaceholderKey, s.t);
    if (caveat && !s.caveatsShown.has(key)) {
      s.caveatsShown.add(key);
      caveats.push(caveat);
    }
    return v;
  });
  return missing ? null : out;
}

function endOf(sentence: string): string {
  return /[.!?…](?:\*\*|["”’)])?$/u.exec(sentence.trimEnd())?.[0] ?? '';
}

/** A sentence with the clauses that need unknown values left out; null when none is left. */
function fillSentence(sentence: string, s: RenderState, caveats: string[]): string | null {
  const clauses = sentence.split(/;\s+/);
  // Clauses are dropped one by one only in a list of contacts ("A: {{a}}; B: {{b}}"); a clause
  // without a value belongs to the others ("X: {{x}}; gọi để…"), so the sentence goes whole.
  if (clauses.length === 1 || clauses.some((c) => !/\{\{\s*[a-z_]+\s*\}\}/.test(c))) return fillClause(sentence, s, caveats);
  const kept: string[] = [];
  const pending: string[] = [];
  clauses.forEach((c) => {
    const filled = fillClause(c, s, pending);
    if (filled !== null) kept.push(filled);
  });
  if (!kept.length) return null;
  caveats.push(...pending);
  let joined = kept.join('; ');
  const end = endOf(sentence);
  if (end && !endOf(joined)) joined = joined.replace(/[,:;]\s*$/, '') + end;
  return joined;
}

function renderBody(body: string, s: RenderState): string {
  const sentences = body.split(SENTENCE_END);
  const out: string[] = [];
  for (let i = 0; i < sentences.length; i++) {
    const sentence = sentences[i];
    if (ELSE.test(sentence)) continue; // an alternative whose sentence was kept
    const caveats: string[] = [];
    let filled = fillSentence(sentence, s, caveats);
    const alternative = sentences[i + 1] !== undefined && ELSE.test(sentences[i + 1]) ? sentences[i + 1].replace(ELSE, '') : null;
    if (filled === null && alternative !== null) filled = fillSentence(alternative, s, caveats);
    if (filled !== null && filled.trim()) out.push(filled, ...caveats);
  }
  return out.join(' ');
}

/** Renders Markdown text from the profile (see the module comment). */
export function renderProfileText(text: string, profile: ProvinceProfile, t: Translate): string {
  const s: RenderState = { profile, t, caveatsShown: new Set() };
  const lines: string[] = [];
  let dropped = false;
  let number = 0;
  for (const line of text.split('\n')) {
    if (!/\{\{/.test(line)) {
      lines.push(renumber(line));
      continue;
    }
    const [, prefix, body] = LINE_PREFIX.exec(line)!;
    const rendered = renderBody(body, s);
    if (!rendered.trim()) {
      dropped = true;
      continue;
    }
    lines.push(renumber(prefix + rendered));
  }
  return lines.join('\n');

  // Numbered items after a removed one keep counting from the kept ones (1, 2, 3, not 1, 3).
  function renumber(line: string): string {
    const m = /^(\s*)(\d+)([.)]\s+)(.*)$/s.exec(line);
    if (!m) {
      if (line.trim() && !/^\s/.test(line)) number = 0;
      return line;
    }
    number = m[2] === '1' ? 1 : number + 1;
    return dropped || Number(m[2]) !== number ? `${m[1]}${number}${m[3]}${m[4]}` : line;
  }
}

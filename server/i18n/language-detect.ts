/**
 * Which language a citizen wrote in.
 *
 * Order: an explicit choice keyword ("BANA", "TIẾNG VIỆT") → a script only one offered
 * language uses (Khmer U+1780–U+17FF, Tai Viet U+AA80–U+AADF) → Bahnar, by a character
 * n-gram profile → Vietnamese or English (server/i18n/guess-language.ts).
 *
 * The Bahnar profile is a naive Bayes over character 1–3-grams, trained on the train split of
 * the repaired BARTBahnar sentence pairs shipped in knowledge/translation/bahnar/tm.vi-bdq.jsonl:
 * Bahnar sides against Vietnamese sides, each both as written and with diacritics removed (how
 * people type on phones), and against English (the English articles), so a text must look more
 * Bahnar than both. Vietnamese must
 * never flip, so Bahnar is only returned when it is offered, the text has at least three
 * words, the profile favours Bahnar clearly, AND some word could not be Vietnamese (a breve
 * on a vowel other than a — ŏ ĕ ĭ ŭ —, a glottal 'b/'d, or a word that is not a Vietnamese
 * syllable and scores as Bahnar on its own). Questions typed without diacritics, with
 * abbreviations (dk, cccd, vneid) or in teencode stay Vietnamese (tested on every Vietnamese
 * question of the evaluation sets).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { foldDiacritics } from '../text/normalise.js';
import { isPlausibleVietnameseSyllable } from '../text/encoding-repair.js';
import { guessLanguage } from './guess-language.js';
import { projectPath } from '../project-root.js';

const KNOWLEDGE_DIR = projectPath('knowledge');

export interface DetectedLanguage {
  /** One of `offered` (Vietnamese when nothing else fits). */
  lang: string;
  /** 0–1: how sure the detection is. */
  confidence: number;
  reason: string;
  /** What the text looks like when that language is not offered here (e.g. Khmer in Kon Tum). */
  detected?: string;
}

export interface DetectOptions {
  /** Language codes the active province offers (profile `languages`); Vietnamese is always possible. */
  offered: readonly string[];
}

// ---------------------------------------------------------------------------
// Explicit choice keywords (knowledge/translation/languages.yaml)

export interface KeywordTable {
  exact: Map<string, string>;
  afterPrefix: Map<string, string>;
  prefixes: string[];
}

const foldKey = (s: string) =>
  foldDiacritics(s.normalize('NFC').toLowerCase())
    .replace(/[‘’`]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .trim();

export function loadKeywordTable(knowledgeDir: string = KNOWLEDGE_DIR): KeywordTable {
  const file = path.join(knowledgeDir, 'translation', 'languages.yaml');
  const raw = fs.existsSync(file) ? (parseYaml(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const exact = new Map<string, string>();
  const afterPrefix = new Map<string, string>();
  for (const l of (Array.isArray(raw.languages) ? raw.languages : []) as Array<Record<string, unknown>>) {
    const code = String(l.code);
    for (const k of (Array.isArray(l.keywords) ? l.keywords : []).map(String)) {
      exact.set(foldKey(k), code);
      exact.set(foldKey(k).replace(/[' ]/g, ''), code);
    }
    for (const k of (Array.isArray(l.with_prefix) ? l.with_prefix : []).map(String)) afterPrefix.set(foldKey(k), code);
  }
  const prefixes = (Array.isArray(raw.prefixes) ? raw.prefixes : []).map((p) => foldKey(String(p))).sort((a, b) => b.length - a.length);
  return { exact, afterPrefix, prefixes };
}

let defaultKeywords: KeywordTable | null = null;

/**
 * An explicit language choice: the whole message is a language name, optionally after a
 * prefix ("tiếng", "chọn", "đổi sang"). "BANA", "Tiếng Việt", "tieng viet", "ENGLISH",
 * "đổi sang tiếng Anh" → the code; a question that merely mentions a language → null.
 */
export function parseLanguageKeyword(text: string, table: KeywordTable = (defaultKeywords ??= loadKeywordTable())): { lang: string; keyword: string } | null {
  const folded = foldKey(text);
  if (!folded || folded.length > 40) return null;
  const hit = (s: string, map: Map<string, string>) => map.get(s) ?? map.get(s.replace(/[' ]/g, ''));
  const direct = hit(folded, table.exact);
  if (direct) return { lang: direct, keyword: text.trim() };
  for (const p of table.prefixes) {
    if (folded.startsWith(`${p} `)) {
      const rest = folded.slice(p.length + 1).trim();
      const code = hit(rest, table.exact) ?? hit(rest, table.afterPrefix);
      if (code) return { lang: code, keyword: text.trim() };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Scripts

const SCRIPTS: Array<{ lang: string; name: string; re: RegExp }> = [
  { lang: 'km', name: 'Khmer', re: /[\u1780-\u17FF\u19E0-\u19FF]/gu },
  { lang: 'blt', name: 'Tai Viet', re: /[\uAA80-\uAADF]/gu },
];

function scriptLanguage(text: string): { lang: string; name: string; share: number } | null {
  const letters = (text.match(/[\p{L}\p{M}]/gu) ?? []).length;
  if (letters === 0) return null;
  for (const s of SCRIPTS) {
    const n = (text.match(s.re) ?? []).length;
    if (n / letters >= 0.5) return { lang: s.lang, name: s.name, share: n / letters };
  }
  return null;
}

// ---------------------------------------------------------------------------
// Character n-gram profile

export interface NgramProfile {
  /** log P(gram | bdq) − log P(gram | vi), for every gram seen in training. */
  llr: Map<string, number>;
  /** log P(gram | bdq) − log P(gram | en), when English examples were given. */
  llrEn: Map<string, number> | null;
}

const N_MAX = 3;

function prep(s: string): string {
  return ` ${s.normalize('NFC').toLowerCase().replace(/[‘’`]/g, "'").replace(/[^\p{L}\p{M}']+/gu, ' ').trim()} `;
}

export function grams(s: string): string[] {
  const t = prep(s);
  const out: string[] = [];
  // Grams are of characters, not UTF-16 units; without surrogate pairs (all Vietnamese and
  // Bahnar text) they are the same and plain slicing avoids an array per gram.
  if (!/[\uD800-\uDFFF]/.test(t)) {
    for (let n = 1; n <= N_MAX; n++) for (let i = 0; i + n <= t.length; i++) {
      const g = t.slice(i, i + n);
      if (g !== ' ') out.push(g);
    }
    return out;
  }
  const chars = [...t];
  for (let n = 1; n <= N_MAX; n++) for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join('');
    if (g !== ' ') out.push(g);
  }
  return out;
}

function countGrams(texts: readonly string[]) {
  const m = new Map<string, number>();
  let total = 0;
  for (const t of texts) for (const v of [t, foldDiacritics(t)]) for (const g of grams(v)) {
    m.set(g, (m.get(g) ?? 0) + 1);
    total++;
  }
  return { m, total };
}

function logRatios(a: ReturnType<typeof countGrams>, b: ReturnType<typeof countGrams>, smoothing: number): Map<string, number> {
  const vocab = new Set([...a.m.keys(), ...b.m.keys()]);
  const V = vocab.size + 1;
  const out = new Map<string, number>();
  for (const g of vocab) {
    out.set(g, Math.log(((a.m.get(g) ?? 0) + smoothing) / (a.total + smoothing * V)) - Math.log(((b.m.get(g) ?? 0) + smoothing) / (b.total + smoothing * V)));
  }
  return out;
}

/**
 * Trains the Bahnar profile from example texts (as written; copies without diacritics are
 * added here): Bahnar against Vietnamese, and against English when English examples are given.
 */
export function trainProfile(bahnar: readonly string[], vietnamese: readonly string[], english: readonly string[] = [], smoothing = 0.5): NgramProfile {
  const b = countGrams(bahnar);
  return { llr: logRatios(b, countGrams(vietnamese), smoothing), llrEn: english.length ? logRatios(b, countGrams(english), smoothing) : null };
}

function meanRatio(map: Map<string, number>, gs: readonly string[]): number {
  let sum = 0;
  for (const g of gs) sum += map.get(g) ?? 0;
  return sum / gs.length;
}

/** Mean per-gram log-likelihood ratio of Bahnar over the likelier of Vietnamese and English; > 0 leans Bahnar. */
export function profileScore(profile: NgramProfile, text: string): number {
  const gs = grams(text);
  if (gs.length === 0) return 0;
  const vi = meanRatio(profile.llr, gs);
  return profile.llrEn ? Math.min(vi, meanRatio(profile.llrEn, gs)) : vi;
}

const BREVE_NOT_A = /[eiouơưêôy]\u0306|[ĕĭŏŭ]/u;
const GLOTTAL = /(^|[\s(])['‘’`][bdđ]/iu;

/** Words that cannot be Vietnamese and look Bahnar on their own. */
export function bahnarEvidence(profile: NgramProfile, text: string, minWordScore = DEFAULT_DETECTOR_SETTINGS.minWordScore): string[] {
  const out: string[] = [];
  if (GLOTTAL.test(text)) out.push("glottal 'b/'d");
  for (const word of text.normalize('NFC').toLowerCase().split(/[^\p{L}\p{M}'‘’]+/u).filter(Boolean)) {
    const w = word.replace(/^['‘’]+|['‘’]+$/g, '');
    if (!w) continue;
    if (BREVE_NOT_A.test(w.normalize('NFD')) || BREVE_NOT_A.test(w)) {
      out.push(w);
      continue;
    }
    if (w.length >= 3 && !couldBeVietnamese(w) && profileScore(profile, w) > minWordScore) out.push(w);
  }
  return out;
}

// A Vietnamese syllable with its diacritics removed ("nghiep", "huong", "khoan").
const FOLDED_SYLLABLE = new RegExp(
  '^(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?' +
    '(?:(?:uye|ieu|yeu|oai|oay|oao|oeo|uay|uoi|uou|uya|uyu|uai|uao|ai|ao|au|ay|eo|eu|ia|iu|oi|ua|ui|uu|ei)' +
    '|(?:uye|ie|ye|oa|oe|oo|ua|ue|uo|uy|a|e|i|o|u|y)(?:ch|ng|nh|[cmnpt])?)$',
);

/** Whether a word could be a Vietnamese syllable, typed with or without diacritics. */
export function couldBeVietnamese(word: string): boolean {
  return isPlausibleVietnameseSyllable(word) || FOLDED_SYLLABLE.test(foldDiacritics(word.toLowerCase()));
}

/** Share of words that cannot be Vietnamese syllables ("online", "register"): English needs a good part of them. */
export function nonVietnameseShare(text: string): number {
  const words = text.normalize('NFC').toLowerCase().split(/[^\p{L}\p{M}]+/u).filter(Boolean);
  if (words.length === 0) return 0;
  return words.filter((w) => !couldBeVietnamese(w)).length / words.length;
}

export interface DetectorSettings {
  /** Mean log-likelihood ratio above which a text leans Bahnar. */
  threshold: number;
  minWords: number;
  /** A non-Vietnamese word is Bahnar evidence when its own profile score is above this. */
  minWordScore: number;
  /** English (by guessLanguage's markers) also needs this share of non-Vietnamese words, beyond three words. */
  englishShare: number;
}

/*
 * Tuned on the train split only (see detect-eval.ts for the held-out figures): held-out
 * Bahnar sentences score ≥ 0.71 for 98 % of them, Vietnamese ones ≤ −0.10 with diacritics and
 * ≤ 0.28 without; 0.5 leaves a margin on both sides. Brand and English words in Vietnamese
 * questions ("iphone", "pro", "vneid") score up to about 1.0 on their own, hence 1.2.
 */
export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = { threshold: 0.5, minWords: 3, minWordScore: 1.2, englishShare: 0.3 };

export interface LanguageDetector {
  detect(text: string, opts: DetectOptions): DetectedLanguage;
  /** Bahnar or not, ignoring what is offered (for measuring the profile). */
  isBahnar(text: string): { bahnar: boolean; score: number; evidence: string[] };
}

export function createLanguageDetector(profile: NgramProfile | null, settings: DetectorSettings = DEFAULT_DETECTOR_SETTINGS, keywords?: KeywordTable): LanguageDetector {
  function isBahnar(text: string) {
    if (!profile) return { bahnar: false, score: 0, evidence: [] };
    const words = text.split(/[^\p{L}\p{M}'‘’]+/u).filter((w) => /\p{L}/u.test(w));
    const score = profileScore(profile, text);
    if (words.length < settings.minWords || score <= settings.threshold) return { bahnar: false, score, evidence: [] };
    const evidence = bahnarEvidence(profile, text, settings.minWordScore);
    return { bahnar: evidence.length > 0, score, evidence };
  }

  function detect(text: string, opts: DetectOptions): DetectedLanguage {
    const offered = new Set(['vi', ...opts.offered]);
    const kw = parseLanguageKeyword(text, keywords);
    if (kw) {
      return offered.has(kw.lang)
        ? { lang: kw.lang, confidence: 1, reason: `keyword "${kw.keyword}"` }
        : { lang: 'vi', confidence: 0.9, reason: `keyword "${kw.keyword}" names ${kw.lang}, not offered here`, detected: kw.lang };
    }
    const script = scriptLanguage(text);
    if (script) {
      const confidence = Math.round(Math.min(1, 0.5 + script.share / 2) * 100) / 100;
      return offered.has(script.lang)
        ? { lang: script.lang, confidence, reason: `${script.name} script` }
        : { lang: 'vi', confidence: 0.5, reason: `${script.name} script; ${script.lang} is not offered here`, detected: script.lang };
    }
    // English first: its function words never make a Bahnar sentence, and English must not be read as Bahnar.
    const g = guessLanguage(text);
    const words = text.split(/[^\p{L}\p{M}]+/u).filter(Boolean).length;
    // guessLanguage alone takes "huong tro cap that nghiep online" for English ("that", "online").
    const english = g.lang === 'en' && (words <= 3 || nonVietnameseShare(text) >= settings.englishShare);
    if (english) {
      return offered.has('en')
        ? { lang: 'en', confidence: g.reason === 'short-english' ? 0.6 : 0.85, reason: g.reason }
        : { lang: 'vi', confidence: 0.5, reason: `${g.reason}; en is not offered here`, detected: 'en' };
    }
    // Bahnar needs at least one word of evidence (isBahnar); most questions have none, and finding
    // that out is much cheaper than scoring every character n-gram of the message.
    const b = profile && bahnarEvidence(profile, text, settings.minWordScore).length > 0 ? isBahnar(text) : { bahnar: false, score: 0, evidence: [] };
    if (b.bahnar) {
      const confidence = Math.round(Math.min(0.99, 0.6 + b.score) * 100) / 100;
      if (offered.has('bdq')) return { lang: 'bdq', confidence, reason: `bahnar profile ${b.score.toFixed(2)}; ${b.evidence.slice(0, 3).join(', ')}` };
      return { lang: 'vi', confidence: 0.5, reason: `looks Bahnar (${b.score.toFixed(2)}) but bdq is not offered here`, detected: 'bdq' };
    }
    if (g.lang === 'en') return { lang: 'vi', confidence: 0.6, reason: `${g.reason}, but mostly Vietnamese syllables` };
    return { lang: 'vi', confidence: g.reason === 'diacritics' ? 0.95 : g.reason === 'empty' ? 0.3 : 0.8, reason: g.reason };
  }

  return { detect, isBahnar };
}

// ---------------------------------------------------------------------------
// The shipped profile

export interface BahnarCorpusSplit {
  train: { bdq: string[]; vi: string[] };
  test: { bdq: string[]; vi: string[] };
}

/** The repaired BARTBahnar pairs shipped with the project, by split. */
export function loadBahnarCorpus(knowledgeDir: string = KNOWLEDGE_DIR): BahnarCorpusSplit | null {
  const file = path.join(knowledgeDir, 'translation', 'bahnar', 'tm.vi-bdq.jsonl');
  if (!fs.existsSync(file)) return null;
  const out: BahnarCorpusSplit = { train: { bdq: [], vi: [] }, test: { bdq: [], vi: [] } };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { vi: string; bdq: string; split: 'train' | 'test' };
    out[r.split === 'test' ? 'test' : 'train'].bdq.push(r.bdq);
    out[r.split === 'test' ? 'test' : 'train'].vi.push(r.vi);
  }
  return out;
}

/** English example text: the bodies of the English articles (front matter and placeholders removed). */
export function loadEnglishExamples(knowledgeDir: string = KNOWLEDGE_DIR): string[] {
  const dir = path.join(knowledgeDir, 'articles', 'en');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .flatMap((f) => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8').replace(/^---[\s\S]*?\n---\n/, '');
      return text
        .replace(/\{\{[^}]*\}\}/g, ' ')
        .split('\n')
        .map((l) => l.replace(/^[#\s>*\-\d.]+/, '').replace(/\*\*/g, '').trim())
        .filter((l) => l.length > 0);
    });
}

const detectors = new Map<string, LanguageDetector>();

export function defaultDetector(knowledgeDir: string = KNOWLEDGE_DIR): LanguageDetector {
  let d = detectors.get(knowledgeDir);
  if (!d) {
    const corpus = loadBahnarCorpus(knowledgeDir);
    const profile = corpus ? trainProfile(corpus.train.bdq, corpus.train.vi, loadEnglishExamples(knowledgeDir)) : null;
    d = createLanguageDetector(profile, DEFAULT_DETECTOR_SETTINGS, loadKeywordTable(knowledgeDir));
    detectors.set(knowledgeDir, d);
  }
  return d;
}

/** Detects the language of a message among those offered (see the file comment). */
export function detectLanguage(text: string, opts: DetectOptions): DetectedLanguage {
  return defaultDetector().detect(text, opts);
}

/**
 * Repairs Vietnamese text that arrives in a legacy font encoding (VNI, TCVN3)
 * or as mojibake (UTF-8 bytes read as Windows-1252 / Latin-1), and refuses
 * text that is visibly broken, so ingestion never indexes "Sô Noâng nghieâp"
 * or "Ä‘Äƒng kÃ½" as if it were Vietnamese.
 *
 * Conversion happens only when detection is confident: a word counts as
 * evidence for an encoding when it is not a plausible Vietnamese syllable as
 * it stands but becomes one after conversion. Text with no such evidence is
 * returned untouched, so Unicode Vietnamese, English and French with a stray
 * "é" pass through unchanged.
 *
 * Run this on raw text, before normaliseText/stripInvisible: TCVN3 stores "ư"
 * as U+00AD (soft hyphen), which the invisible-character filter removes.
 */
import fs from 'node:fs';
import { looksLikeBinaryGarbage } from './normalise.js';
import { projectPath } from '../project-root.js';

export const DEFAULT_LEGACY_CHARSETS_PATH = projectPath('knowledge', 'dictionaries', 'legacy-charsets.tsv');

export type LegacyEncoding = 'vni' | 'tcvn3';
export type RepairedEncoding = 'unicode' | LegacyEncoding | 'mojibake';
export type DetectedEncoding = RepairedEncoding | 'unknown';

export type RepairResult =
  | { ok: true; text: string; encoding: RepairedEncoding; changed: boolean }
  | { ok: false; reason: string };

export interface EncodingRepairer {
  /** What the text is: 'unknown' when it is broken in a way repair() refuses. */
  detect(text: string): DetectedEncoding;
  repair(text: string): RepairResult;
}

export interface LegacyCharsetRow {
  unicode: string;
  vni: string;
  tcvn3: string;
  viqr: string;
}

/** Parse the TSV (header: unicode, vni, tcvn3, viqr). */
export function parseLegacyCharsets(tsv: string): LegacyCharsetRow[] {
  const lines = tsv.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines.shift()?.split('\t') ?? [];
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`legacy charset table: missing column "${name}"`);
    return i;
  };
  const [u, v, t, q] = [col('unicode'), col('vni'), col('tcvn3'), col('viqr')];
  return lines.map((line, n) => {
    const cells = line.split('\t');
    if (cells.length < header.length || !cells[u] || !cells[v] || !cells[t]) {
      throw new Error(`legacy charset table: row ${n + 2} is incomplete`);
    }
    return { unicode: cells[u], vni: cells[v], tcvn3: cells[t], viqr: cells[q] ?? '' };
  });
}

// ---------------------------------------------------------------------------
// Legacy decoders

interface SequenceTable {
  map: ReadonlyMap<string, string>;
  maxLength: number;
}

function buildTable(rows: readonly LegacyCharsetRow[], column: LegacyEncoding): SequenceTable {
  const map = new Map<string, string>();
  for (const row of rows) {
    // The VNI column lists "ì"/"Ì" for both ì and ỹ; the first row (the plain letter) is the one fonts use.
    if (!map.has(row[column])) map.set(row[column], row.unicode);
  }
  return { map, maxLength: Math.max(...[...map.keys()].map((k) => k.length)) };
}

/*
 * VNI fonts draw each accent as its own glyph placed over the preceding
 * letter. The table covers the standard Vietnamese combinations; these rules
 * cover the rest the fonts can produce, notably the breve on vowels other than
 * "a" that Bahnar and other minority-language texts use ("oê" = ŏ, "iê" = ĭ,
 * "oâÊ" = ô̆) and "yõ"/"yû" (ỹ/ỷ), which the table writes differently.
 */
const VNI_MARKS: ReadonlyMap<string, string> = new Map(
  (
    [
      ['øØ', '\u0300'],
      ['ùÙ', '\u0301'],
      ['ûÛ', '\u0309'],
      ['õÕ', '\u0303'],
      ['ïÏ', '\u0323'],
      ['âÂ', '\u0302'],
      ['êÊ', '\u0306'],
      ['àÀ', '\u0302\u0300'],
      ['áÁ', '\u0302\u0301'],
      ['åÅ', '\u0302\u0309'],
      ['ãÃ', '\u0302\u0303'],
      ['äÄ', '\u0302\u0323'],
      ['èÈ', '\u0306\u0300'],
      ['éÉ', '\u0306\u0301'],
      ['úÚ', '\u0306\u0309'],
      ['üÜ', '\u0306\u0303'],
      ['ëË', '\u0306\u0323'],
    ] as const
  ).flatMap(([chars, marks]) => [...chars].map((c): [string, string] => [c, marks])),
);

const VOWEL_BASE = /^[aeiouyAEIOUY]/;

/** Whether the last letter written (skipping pieces that are only accents) is a vowel an accent can sit on. */
function endsWithVowel(out: readonly string[]): boolean {
  for (let k = out.length - 1; k >= 0; k--) {
    const base = out[k].normalize('NFD').replace(/[\u0300-\u036F]/g, '');
    if (base.length > 0) return VOWEL_BASE.test(base.slice(-1));
  }
  return false;
}

function decodeWith(table: SequenceTable, text: string, vniMarks: boolean): string {
  const out: string[] = [];
  let i = 0;
  outer: while (i < text.length) {
    for (let len = Math.min(table.maxLength, text.length - i); len >= 2; len--) {
      const hit = table.map.get(text.slice(i, i + len));
      if (hit !== undefined) {
        out.push(hit);
        i += len;
        continue outer;
      }
    }
    const ch = text[i];
    const marks = vniMarks ? VNI_MARKS.get(ch) : undefined;
    if (marks !== undefined && endsWithVowel(out)) {
      out.push(marks);
    } else {
      out.push(table.map.get(ch) ?? ch);
    }
    i++;
  }
  return out.join('').normalize('NFC');
}

// ---------------------------------------------------------------------------
// Vietnamese syllable shape

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const TONE_ON_CONSONANT = /[^\u0300-\u036faeiouy][\u0300-\u036f]*[\u0300\u0301\u0303\u0309\u0323]/;

// Vowel groups after removing the tone mark. Open ones may take a final consonant ("oan", "iêng").
const OPEN_NUCLEI = [
  'a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y',
  'iê', 'yê', 'oa', 'oă', 'oe', 'oo', 'uâ', 'uê', 'uô', 'uơ', 'uy', 'ươ', 'uyê',
];
// Closed ones end in a glide (i/y/o/u) or are ia/ua/ưa, and cannot ("aung" is not Vietnamese).
const CLOSED_NUCLEI = [
  'ai', 'ao', 'au', 'ay', 'âu', 'ây', 'eo', 'êu', 'ia', 'iu', 'oi', 'ôi', 'ơi', 'ua', 'ui', 'ưa', 'ưi', 'ưu',
  'iêu', 'yêu', 'oai', 'oay', 'oao', 'oeo', 'uây', 'uôi', 'ươi', 'ươu', 'uya', 'uyu', 'uai', 'uay', 'uao',
  // Common in Bahnar and other languages written with Vietnamese letters.
  'ei',
];
const alternatives = (list: string[]): string => [...list].sort((a, b) => b.length - a.length).join('|');

const SYLLABLE = new RegExp(
  '^(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvxfjwz])?' +
    `(?:(?:${alternatives(OPEN_NUCLEI)})(?:ch|ng|nh|[cmnpt])?|(?:${alternatives(CLOSED_NUCLEI)}))$`,
);

/**
 * True when a word has the shape of one Vietnamese syllable: onset, vowel
 * group, final consonant, at most one tone mark. Deliberately lenient (tone
 * and final-consonant agreement is not checked); it only has to tell
 * "nghiệp" from "nghieâp" or "N«ng".
 */
export function isPlausibleVietnameseSyllable(word: string): boolean {
  if (word.length === 0 || word.length > 12) return false;
  const d = word.normalize('NFD').toLowerCase();
  if ((d.match(TONE_MARKS)?.length ?? 0) > 1) return false;
  // Tones sit on vowels: "ñ" decomposes to n + tilde and must not pass for a toned letter.
  if (TONE_ON_CONSONANT.test(d)) return false;
  // A breve on anything but "a" marks a short vowel in minority-language spellings.
  const base = d.replace(TONE_MARKS, '').replace(/([^a])\u0306/g, '$1').normalize('NFC');
  return SYLLABLE.test(base);
}

// ---------------------------------------------------------------------------
// Detection of legacy encodings

// Runs of characters a legacy-encoded word can contain (TCVN3 uses ¡–¾, × and ÷ as letters).
const WORD = /[\u0300-\u036FA-Za-z0-9\u00A1-\u00FF\u0100-\u024F\u1E00-\u1EFF]+/g;
const DIGIT = /[0-9]/;
// Letters (and combining marks) beyond Latin-1: typed in Unicode, never produced by VNI or TCVN3.
const UNICODE_ONLY_LETTER = /[\u0300-\u036F\u0100-\u024F\u1E00-\u1EFF]/;
// Latin-1 letters that are not Vietnamese; left over after a conversion they mean it went wrong.
// Ð/ð are left out: old Unicode text uses Ð as a look-alike for Đ, and no VNI or TCVN3 sequence produces it.
const NON_VIETNAMESE_LATIN1 = /[ÄÅÆÇËÎÏÑÖØÛÜÞßäåæçëîïñöøûüþÿ]/;

/*
 * "Strong" sequences exist in legacy Vietnamese but not in the European
 * languages that share Latin-1: a vowel followed by a VNI accent glyph other
 * than the French-looking ones (où, coût, naïf, Noël, aiguë, würde), VNI's
 * đ/ư, and TCVN3's symbol-range letters. A text needs at least one before we
 * call it legacy, so "Où est le coût ?" stays French and "på så" Swedish.
 */
const STRONG: Record<LegacyEncoding, RegExp> = {
  vni: /[aeiouyAEIOUYôöÔÖ][øØõÕâÂêÊàÀáÁåÅãÃäÄèÈéÉúÚ]|[ñÑöÖ]/g,
  tcvn3: /[\u00A1-\u00AE\u00B5-\u00B9\u00BB-\u00BE]/g,
};

interface Evidence {
  /** Words that need conversion: not Vietnamese as they stand, Vietnamese after decoding. */
  for: Record<LegacyEncoding, number>;
  /** Words that cannot be in that encoding, or that conversion would break. */
  against: Record<LegacyEncoding, number>;
  /** Strong sequences in the converted words. */
  strong: Record<LegacyEncoding, number>;
}

const ENCODINGS: readonly LegacyEncoding[] = ['vni', 'tcvn3'];

function emptyEvidence(): Evidence {
  return { for: { vni: 0, tcvn3: 0 }, against: { vni: 0, tcvn3: 0 }, strong: { vni: 0, tcvn3: 0 } };
}

/** Add `b` into `into` (evidence is summed over thousands of words; no need for a fresh object each time). */
function accumulate(into: Evidence, b: Evidence): Evidence {
  for (const enc of ENCODINGS) {
    into.for[enc] += b.for[enc];
    into.against[enc] += b.against[enc];
    into.strong[enc] += b.strong[enc];
  }
  return into;
}

function isNeutral(e: Evidence): boolean {
  return ENCODINGS.every((enc) => e.for[enc] === 0 && e.against[enc] === 0);
}

/**
 * The better-supported legacy encoding when its support is at least `ratio`
 * times the evidence against it. Support means two converted words and a
 * strong sequence, or one converted word with nothing against it and two
 * strong sequences ("Ñieâu").
 */
function dominantEncoding(e: Evidence, ratio: number): LegacyEncoding | null {
  // Only an encoding with a strong sequence is a candidate: converted words alone also come from
  // languages written with diaeresis ("chä", "dëch" in some Bahnar spellings read as TCVN3 "chọ", "dởch").
  const candidates = ENCODINGS.filter((enc) => e.strong[enc] > 0 && e.for[enc] > 0).sort((a, b) => e.for[b] - e.for[a]);
  const [best, other] = candidates;
  if (!best || (other && e.for[other] === e.for[best])) return null;
  const n = e.for[best];
  if (n < 2 && (e.against[best] > 0 || e.strong[best] < 2)) return null;
  return n >= ratio * e.against[best] ? best : null;
}

// ---------------------------------------------------------------------------
// Mojibake (UTF-8 read as Windows-1252 / Latin-1)

const CP1252_HIGH: ReadonlyMap<string, number> = new Map([
  ['€', 0x80], ['‚', 0x82], ['ƒ', 0x83], ['„', 0x84], ['…', 0x85], ['†', 0x86], ['‡', 0x87], ['ˆ', 0x88],
  ['‰', 0x89], ['Š', 0x8a], ['‹', 0x8b], ['Œ', 0x8c], ['Ž', 0x8e], ['‘', 0x91], ['’', 0x92], ['“', 0x93],
  ['”', 0x94], ['•', 0x95], ['–', 0x96], ['—', 0x97], ['˜', 0x98], ['™', 0x99], ['š', 0x9a], ['›', 0x9b],
  ['œ', 0x9c], ['ž', 0x9e], ['Ÿ', 0x9f],
]);

/** The Windows-1252 byte for a character, or -1. U+0080–U+009F map to themselves: Latin-1 decoding produces them. */
function cp1252Byte(ch: string): number {
  const cp = ch.charCodeAt(0);
  if (cp <= 0xff) return cp;
  return CP1252_HIGH.get(ch) ?? -1;
}

/** Length of the valid UTF-8 sequence starting at bytes[i], or 0. */
function utf8SequenceLength(bytes: readonly number[], i: number): number {
  const b = bytes[i];
  let len: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) len = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    len = 3;
    if (b === 0xe0) lo = 0xa0;
    if (b === 0xed) hi = 0x9f; // surrogates
  } else if (b >= 0xf0 && b <= 0xf4) {
    len = 4;
    if (b === 0xf0) lo = 0x90;
    if (b === 0xf4) hi = 0x8f;
  } else return 0;
  for (let k = 1; k < len; k++) {
    const c = bytes[i + k];
    if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return 0;
  }
  return len;
}

function decodeSequence(bytes: readonly number[], i: number, len: number): number {
  let cp = bytes[i] & (0xff >> (len + 1));
  for (let k = 1; k < len; k++) cp = (cp << 6) | (bytes[i + k] & 0x3f);
  return cp;
}

/*
 * What UTF-8 mojibake of Vietnamese (and of the punctuation and emoji people
 * paste with it) decodes to. A sequence decoding to anything else — Cyrillic
 * from "Ñ…" in VNI text, IPA from "Ê”" — is a coincidence, not mojibake.
 */
function plausibleDecoded(cp: number): boolean {
  return (
    (cp >= 0xa0 && cp <= 0x24f) ||
    (cp >= 0x2b0 && cp <= 0x2ff) || // ˆ and ˜ are Windows-1252 characters, so double encoding produces them
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x1e00 && cp <= 0x1eff) ||
    (cp >= 0x2000 && cp <= 0x206f) ||
    (cp >= 0x20a0 && cp <= 0x20cf) ||
    (cp >= 0x2100 && cp <= 0x214f) ||
    (cp >= 0x2190 && cp <= 0x21ff) ||
    (cp >= 0x2600 && cp <= 0x27bf) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0x1f000 && cp <= 0x1faff)
  );
}

interface MojibakeWord {
  kind: 'clean' | 'broken' | 'none';
  /**
   * Two or more sequences, or one decoding beyond Latin-1 ("Ä‘" → đ). A lone
   * "Ã…" or "Ã”" is also how an upper-case "ĐÃ" or "XÃ" looks next to an
   * ellipsis or a closing quote, so on its own it proves little.
   */
  strong: boolean;
}

function classifyMojibakeWord(word: string): MojibakeWord {
  const bytes = Array.from(word, cp1252Byte);
  let valid = 0;
  let stray = 0;
  let beyondLatin1 = false;
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i] < 0x80) {
      i++;
      continue;
    }
    const len = utf8SequenceLength(bytes, i);
    if (len === 0) {
      stray++;
      i++;
      continue;
    }
    const cp = decodeSequence(bytes, i, len);
    i += len;
    // C1 controls come out of double encoding (bytes Windows-1252 leaves undefined); alone they prove nothing.
    if (cp >= 0x80 && cp <= 0x9f) continue;
    if (!plausibleDecoded(cp)) return { kind: 'none', strong: false };
    valid++;
    if (cp > 0xff) beyondLatin1 = true;
  }
  if (valid === 0) return { kind: 'none', strong: false };
  return { kind: stray === 0 ? 'clean' : 'broken', strong: valid >= 2 || beyondLatin1 };
}

// ASCII whitespace only: NBSP (0xA0) is a continuation byte inside mojibake ("à" → "Ã\u00A0").
const ASCII_SPACE = /([ \t\n\r\f\v]+)/;
// Letters only Unicode Vietnamese has; mojibake, being Windows-1252 characters, never contains them.
const UNICODE_VIETNAMESE = /[ĂăĐđĨĩŨũƠơƯư\u1EA0-\u1EF9]/;

interface MojibakeScan {
  clean: number;
  broken: number;
  strong: number;
  sample: string;
}

/**
 * Count mojibake words. In text that is already partly proper Unicode
 * Vietnamese, weak candidates only count once a strong one shows the text
 * really was mis-decoded.
 */
function scanMojibake(text: string): MojibakeScan {
  const words = text.split(ASCII_SPACE).map(classifyMojibakeWord);
  const strong = words.filter((w) => w.kind !== 'none' && w.strong).length;
  const counts = strong > 0 || !UNICODE_VIETNAMESE.test(text);
  const scan: MojibakeScan = { clean: 0, broken: 0, strong, sample: '' };
  if (!counts) return scan;
  text.split(ASCII_SPACE).forEach((word, i) => {
    const w = words[i];
    if (w.kind === 'clean') scan.clean++;
    if (w.kind === 'broken') {
      scan.broken++;
      if (!scan.sample) scan.sample = word;
    }
  });
  return scan;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Re-encode each Windows-1252-encodable run of a word to bytes and decode them as UTF-8. */
function unmojibakeWord(word: string): string | null {
  if (classifyMojibakeWord(word).kind !== 'clean') return word;
  let out = '';
  let run: number[] = [];
  const flush = (): boolean => {
    if (run.length === 0) return true;
    try {
      out += UTF8.decode(Uint8Array.from(run));
    } catch {
      return false;
    }
    run = [];
    return true;
  };
  for (const ch of word) {
    const b = ch.length === 1 ? cp1252Byte(ch) : -1;
    if (b >= 0) {
      run.push(b);
      continue;
    }
    if (!flush()) return null;
    out += ch;
  }
  return flush() ? out : null;
}

function unmojibake(text: string): string | null {
  const parts = text.split(ASCII_SPACE);
  for (let i = 0; i < parts.length; i += 2) {
    const fixed = unmojibakeWord(parts[i]);
    if (fixed === null) return null;
    parts[i] = fixed;
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------
// Planning which parts of a text to convert

type SegmentLabel = 'unicode' | LegacyEncoding | 'mixed';

interface Segment {
  text: string;
  label: SegmentLabel;
}

// Field boundaries inside a line: quoted CSV fields and tabs.
const FIELD_SPLIT = /("\s*[,;]\s*"|\t)/;
// Clause boundaries inside a field that mixes encodings (sentences, list items, quotes).
const CLAUSE_SPLIT = /([,;:"“”()]|[.!?](?=\s))/;

function shorten(s: string): string {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

export function createEncodingRepairer(tsvPath: string | URL = DEFAULT_LEGACY_CHARSETS_PATH): EncodingRepairer {
  const rows = parseLegacyCharsets(fs.readFileSync(tsvPath, 'utf8'));
  const tables: Record<LegacyEncoding, SequenceTable> = { vni: buildTable(rows, 'vni'), tcvn3: buildTable(rows, 'tcvn3') };
  const decode = (encoding: LegacyEncoding, text: string): string => decodeWith(tables[encoding], text, encoding === 'vni');

  // Characters each encoding can produce, taken from the table so the two never disagree.
  const vniSingles = new Set(rows.map((r) => r.vni).filter((seq) => seq.length === 1));
  const tcvn3Chars = new Set(rows.flatMap((r) => [...r.tcvn3]));
  const isVniBase = (c: string | undefined): boolean =>
    c !== undefined && (/[aeiouyAEIOUY]/.test(c) || vniSingles.has(c) || VNI_MARKS.has(c));

  /** Whether a word could have been typed in that encoding at all ("ký" cannot be VNI, "bà" cannot be TCVN3). */
  function possibleIn(encoding: LegacyEncoding, word: string): boolean {
    const chars = [...word];
    return chars.every((c, i) => {
      if (c < '\u0080') return true;
      if (encoding === 'tcvn3') return tcvn3Chars.has(c);
      // A VNI accent glyph sits on the letter before it.
      return vniSingles.has(c) || (VNI_MARKS.has(c) && isVniBase(chars[i - 1]));
    });
  }

  /** Evidence from one word (each count 0 or 1, strong counts sequences). */
  function wordEvidence(word: string): Evidence {
    const e = emptyEvidence();
    const asIs = isPlausibleVietnameseSyllable(word);
    for (const enc of ENCODINGS) {
      if (!possibleIn(enc, word)) {
        e.against[enc]++;
        continue;
      }
      const decoded = isPlausibleVietnameseSyllable(decode(enc, word));
      if (!asIs && decoded) {
        e.for[enc]++;
        e.strong[enc] += word.match(STRONG[enc])?.length ?? 0;
      } else if (asIs && !decoded) e.against[enc]++;
    }
    return e;
  }

  /** Whether any word could count for a legacy encoding: the words evidenceOf scores, not plausible as written. */
  function anyLegacyCandidate(text: string): boolean {
    for (const [word] of text.matchAll(WORD)) {
      if (DIGIT.test(word) || /^[A-Za-z]*$/.test(word) || /^[\u00A1-\u00BF]$/.test(word)) continue;
      if (!isPlausibleVietnameseSyllable(word)) return true;
    }
    return false;
  }

  /** Sum of word evidence; `cache` (one per repair call) saves re-scoring the words every level looks at. */
  function evidenceOf(text: string, cache: Map<string, Evidence>): Evidence {
    const e = emptyEvidence();
    for (const [word] of text.matchAll(WORD)) {
      // A lone symbol is punctuation far more often than a TCVN3 letter ("« très »" is French, not "ô trốs ằ").
      if (DIGIT.test(word) || /^[A-Za-z]*$/.test(word) || /^[\u00A1-\u00BF]$/.test(word)) continue;
      let w = cache.get(word);
      if (!w) {
        w = wordEvidence(word);
        cache.set(word, w);
      }
      accumulate(e, w);
    }
    return e;
  }

  /**
   * Label the clauses of a field that leans towards `encoding` but also has
   * evidence against it. A clause without evidence of its own follows its
   * neighbours only when they agree; when unsure we leave text alone.
   */
  function planClauses(field: string, encoding: LegacyEncoding, cache: Map<string, Evidence>): Segment[] {
    const pieces = field.split(CLAUSE_SPLIT);
    const labels = pieces.map((piece, i): SegmentLabel | null => {
      if (i % 2 === 1) return null; // separator
      const e = evidenceOf(piece, cache);
      if (dominantEncoding(e, 4) === encoding) return encoding;
      // Legacy words next to letters no legacy encoding has: a real mix we cannot untangle.
      // Without such letters the clause is more likely another Latin-script language.
      if (e.for[encoding] >= 2 && UNICODE_ONLY_LETTER.test(piece)) return 'mixed';
      if (e.against[encoding] > 0) return 'unicode';
      return null;
    });
    const decided = labels.flatMap((label, i) => (label && label !== 'mixed' ? [{ label, i }] : []));
    return pieces.map((text, i) => {
      const own = labels[i];
      if (own) return { text, label: own };
      const before = decided.filter((d) => d.i < i).pop()?.label;
      const after = decided.find((d) => d.i > i)?.label;
      const label = before && after && before !== after ? 'unicode' : (before ?? after ?? 'unicode');
      return { text, label };
    });
  }

  function planField(field: string, docEncoding: LegacyEncoding | null, cache: Map<string, Evidence>): Segment[] {
    const e = evidenceOf(field, cache);
    // In a document that is clearly legacy, a field with no evidence either way ("Sô") is legacy too.
    if (docEncoding && isNeutral(e)) return [{ text: field, label: docEncoding }];
    const clear = dominantEncoding(e, 4);
    if (clear) return [{ text: field, label: clear }];
    // At least as much for as against: some clauses may be legacy, look at them one by one.
    const leaning = dominantEncoding(e, 1);
    return leaning ? planClauses(field, leaning, cache) : [{ text: field, label: 'unicode' }];
  }

  /** Decide line by line, and inside a line field by field (CSV/TSV rows often pair a legacy column with a Unicode one). */
  function planLegacy(text: string, cache: Map<string, Evidence>): Segment[] {
    const lines = text.split(/(\n)/);
    const docEncoding = dominantEncoding(evidenceOf(text, cache), 4);
    return lines.flatMap((line, i): Segment[] => {
      if (i % 2 === 1) return [{ text: line, label: 'unicode' }];
      const fields = line.split(FIELD_SPLIT);
      return fields.flatMap((f, j): Segment[] => (j % 2 === 1 ? [{ text: f, label: 'unicode' }] : planField(f, docEncoding, cache)));
    });
  }

  function convertLegacy(text: string, cache: Map<string, Evidence>): RepairResult {
    const segments = planLegacy(text, cache);
    const mixed = segments.find((s) => s.label === 'mixed');
    if (mixed) {
      return { ok: false, reason: `mixed encodings: legacy (VNI/TCVN3) letters next to Unicode Vietnamese in "${shorten(mixed.text)}"` };
    }
    const counts: Record<LegacyEncoding, number> = { vni: 0, tcvn3: 0 };
    let out = '';
    for (const s of segments) {
      if (s.label !== 'vni' && s.label !== 'tcvn3') {
        out += s.text;
        continue;
      }
      const converted = decode(s.label, s.text);
      const leftover = converted.match(NON_VIETNAMESE_LATIN1);
      if (leftover) {
        const at = converted.indexOf(leftover[0]);
        return {
          ok: false,
          reason: `legacy ${s.label.toUpperCase()} sequences remain after conversion ("${leftover[0]}" in "${shorten(converted.slice(Math.max(0, at - 25), at + 25))}"): the text mixes encodings`,
        };
      }
      counts[s.label] += s.text.length;
      out += converted;
    }
    if (counts.vni === 0 && counts.tcvn3 === 0) return { ok: true, text, encoding: 'unicode', changed: false };
    return { ok: true, text: out, encoding: counts.vni >= counts.tcvn3 ? 'vni' : 'tcvn3', changed: out !== text };
  }

  function repair(text: string): RepairResult {
    if (text.length === 0) return { ok: true, text, encoding: 'unicode', changed: false };
    if (text.includes('\uFFFD')) {
      return { ok: false, reason: 'contains U+FFFD replacement characters: the text was decoded with the wrong encoding and the original letters are lost' };
    }
    if (looksLikeBinaryGarbage(text)) return { ok: false, reason: 'looks like binary data (control or private-use characters), not text' };

    // Pure ASCII cannot be in a legacy encoding or be mojibake.
    if (!/[\u0080-\u{10FFFF}]/u.test(text)) return { ok: true, text, encoding: 'unicode', changed: false };
    const cache = new Map<string, Evidence>();
    let current = text;
    let mojibake = false;
    const first = scanMojibake(text);
    if (first.clean + first.broken > 0) {
      // A few accidental byte patterns inside a long VNI/TCVN3 document are not mojibake.
      const legacy = evidenceOf(text, cache);
      const enc = dominantEncoding(legacy, 3);
      const accidental = enc !== null && legacy.for[enc] >= 4 * (first.clean + first.broken);
      if (!accidental) {
        for (let round = 0; round < 2; round++) {
          const scan = round === 0 ? first : scanMojibake(current);
          if (scan.broken > 0) {
            return { ok: false, reason: `mojibake (UTF-8 read as Windows-1252/Latin-1) that does not decode: "${shorten(scan.sample)}"` };
          }
          if (scan.clean === 0) break;
          const fixed = unmojibake(current);
          if (fixed === null) return { ok: false, reason: 'mojibake (UTF-8 read as Windows-1252/Latin-1) that does not decode' };
          current = fixed;
          mojibake = true;
        }
      }
    }

    // Only a word that is not a Vietnamese syllable as written can be evidence for a legacy
    // encoding (wordEvidence); text made only of such syllables, as nearly every question is,
    // stays Unicode, and decoding each word twice to find that out was a tenth of an answer's CPU.
    const legacy = anyLegacyCandidate(current) ? convertLegacy(current, cache) : ({ ok: true, text: current, encoding: 'unicode', changed: false } as const);
    if (!legacy.ok) return legacy;
    const encoding: RepairedEncoding = mojibake ? 'mojibake' : legacy.encoding;
    // Repaired text is composed (mojibake of decomposed input decodes to base letters + combining marks).
    const out = encoding === 'unicode' ? text : legacy.text.normalize('NFC');
    return { ok: true, text: out, encoding, changed: out !== text };
  }

  return {
    repair,
    detect: (text) => {
      const r = repair(text);
      return r.ok ? r.encoding : 'unknown';
    },
  };
}

/**
 * NFC + repair, for ingestion. Throws an Error naming the problem when the
 * text cannot be repaired. Pass a repairer when calling in a loop; the default
 * reads the charset table on every call.
 */
export function repairFileText(text: string, repairer: EncodingRepairer = createEncodingRepairer()): string {
  const result = repairer.repair(text.normalize('NFC'));
  if (!result.ok) throw new Error(`cannot repair text encoding: ${result.reason}`);
  return result.text;
}

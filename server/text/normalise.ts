/**
 * Text clean-up shared by the pipeline, ingestion and retrieval.
 *
 * Each function does one thing so callers can pick: the pipeline wants
 * `normaliseText`, the index wants `foldDiacritics` + `tokenize`, the garbage
 * check runs on the raw input before anything is removed.
 */

/*
 * Invisible characters are the classic way to smuggle text past filters
 * ("m\u200Bật khẩu") or to reorder what a reviewer sees (bidi overrides).
 * \p{Cf}/\p{Cc} cover most of them; the explicit ranges add the unassigned
 * code points inside the blocks the brief names (U+2065, the tag block's
 * unassigned slots) which \p{Cf} does not match. Lone surrogates (\p{Cs}) are
 * never valid text and would turn into U+FFFD as soon as the string is encoded.
 * \n and \t are kept because they carry structure; CR is handled separately.
 */
const INVISIBLE = /(?![\n\t])[\p{Cf}\p{Cc}\p{Cs}\u200B-\u200F\u2060-\u2064\u2065\u2066-\u2069\u202A-\u202E\u00AD\u{E0000}-\u{E007F}]/gu;

/** Remove zero-width, bidi-control, tag, soft-hyphen and other format/control characters (keeps \n and \t). */
export function stripInvisible(s: string): string {
  // CR would otherwise be deleted and glue an old-Mac line to the next one.
  return s.replace(/\r\n?/g, '\n').replace(INVISIBLE, '');
}

/*
 * Only the combining-diacritic blocks, not every \p{M}: dropping all marks
 * would also strip Thai/Khmer vowel signs, which are letters there.
 */
const COMBINING_DIACRITICS = /[\u0300-\u036F]|[\u1AB0-\u1AFF]|[\u1DC0-\u1DFF]|[\u20D0-\u20FF]|[\uFE20-\uFE2F]/g;

/**
 * "Đăng ký" → "Dang ky". Case is kept; đ/Đ, which NFD leaves alone, map to
 * d/D, and so do the look-alikes ð/Ð (eth) and ɖ/Ɖ that old converters and
 * some keyboards put in Vietnamese text.
 */
export function foldDiacritics(s: string): string {
  return (
    s
      .normalize('NFD')
      .replace(COMBINING_DIACRITICS, '')
      .replace(/[đðɖ]/g, 'd')
      .replace(/[ĐÐƉ]/g, 'D')
      // NFD splits Hangul syllables into jamo (letters, not marks); put them back.
      .normalize('NFC')
  );
}

/** Upper-case, diacritics folded, punctuation removed, spaces collapsed: for keyword matching on every channel. */
export function keywordForm(text: string): string {
  return foldDiacritics(text)
    .toUpperCase()
    .replace(/[^A-Z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/*
 * Marks stay inside a token so decomposed input ("a" + U+0301) does not split
 * into "a" and a lone accent; NFC first makes most of them precomposed anyway.
 */
const NON_WORD = /[^\p{L}\p{N}\p{M}]+/u;

/** Lower-case word tokens: splits on anything that is not a letter, digit or combining mark. */
export function tokenize(s: string): string[] {
  return s
    .normalize('NFC')
    .toLowerCase()
    .split(NON_WORD)
    .filter((t) => t.length > 0);
}

export interface NormaliseOptions {
  /** Keep line breaks (at most one blank line in a row) instead of turning them into spaces. */
  keepLineBreaks?: boolean;
}

/** NFC, invisible characters removed, whitespace collapsed and trimmed. */
export function normaliseText(s: string, opts: NormaliseOptions = {}): string {
  // Strip first: an invisible character between a letter and its accent would block composition.
  const clean = stripInvisible(s).normalize('NFC');
  if (!opts.keepLineBreaks) return clean.replace(/\s+/g, ' ').trim();
  return clean
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Share of code points that cannot be part of readable text before we call the input garbage. */
const GARBAGE_RATIO = 0.3;

function isGarbageCodePoint(cp: number): boolean {
  if (cp === 0xfffd) return true; // replacement character: bytes were already lost
  if (cp < 0x20) return cp !== 0x09 && cp !== 0x0a && cp !== 0x0d;
  if (cp === 0x7f) return true;
  if (cp >= 0xd800 && cp <= 0xdfff) return true; // lone surrogate
  if (cp >= 0xe000 && cp <= 0xf8ff) return true; // private use
  if (cp >= 0xf0000) return true; // supplementary private use planes
  if ((cp & 0xfffe) === 0xfffe) return true; // noncharacters U+xxFFFE/U+xxFFFF
  if (cp >= 0xfdd0 && cp <= 0xfdef) return true;
  // C1 controls (U+0080–U+009F) are not counted: they are what UTF-8 read as Latin-1 looks like, and that is repairable.
  return false;
}

/** True when more than 30% of the code points are U+FFFD, C0 controls, private-use or noncharacters. */
export function looksLikeBinaryGarbage(s: string): boolean {
  let total = 0;
  let bad = 0;
  for (const ch of s) {
    total++;
    if (isGarbageCodePoint(ch.codePointAt(0) ?? 0)) bad++;
  }
  return total > 0 && bad / total > GARBAGE_RATIO;
}

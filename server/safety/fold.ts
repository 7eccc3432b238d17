/**
 * Private text folding for the safety stage.
 *
 * The detectors match patterns on a folded copy (lower case, no Vietnamese
 * diacritics, đ → d, full-width digits → ASCII) but must report offsets in the
 * original text, so `foldSameLength` maps one UTF-16 unit to exactly one unit.
 * server/text/normalise.ts has the pipeline-wide folding; this variant exists
 * because that one is free to change the length of the string.
 */

// Zero-width and soft-hyphen characters that people (or scammers) slip between
// digits or letters; they fold to a plain space so patterns still see a gap.
const INVISIBLE = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/;

// Folding one character means NFKD and a regular expression, the safety stage's main cost when
// done for every character of every message. ASCII is folded by arithmetic; the Latin letters
// Vietnamese uses (U+0080–U+024F, U+1E00–U+1EFF) come from a table built once at load.
function foldChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : ch;
  return LATIN_FOLDED.get(ch) ?? foldCharSlow(ch);
}

function foldCharSlow(ch: string): string {
  if (ch === 'đ' || ch === 'Đ') return 'd';
  if (INVISIBLE.test(ch)) return ' ';
  const base = ch.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  if (base.length === 1) return base;
  const lower = ch.toLowerCase();
  return lower.length === 1 ? lower : ch;
}

const LATIN_FOLDED: ReadonlyMap<string, string> = new Map(
  [...Array.from({ length: 0x250 - 0x80 }, (_, i) => 0x80 + i), ...Array.from({ length: 0x100 }, (_, i) => 0x1e00 + i)].map((c) => {
    const ch = String.fromCharCode(c);
    return [ch, foldCharSlow(ch)];
  }),
);

/**
 * Folds `text` (expected NFC) character by character; the result has the same
 * length, so an index into it is an index into `text`.
 */
export function foldSameLength(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Surrogate pairs (emoji, rare CJK) are copied unchanged, unit by unit.
    if (code >= 0xd800 && code <= 0xdfff) {
      out += text[i];
      continue;
    }
    out += foldChar(text[i]);
  }
  return out;
}

/** Folded form for phrase matching where offsets do not matter. */
export function foldForMatch(text: string): string {
  return foldSameLength(text.normalize('NFC')).replace(/\s+/g, ' ').trim();
}

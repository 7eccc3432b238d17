/**
 * Reduces a host label to a "skeleton" so look-alike names compare equal:
 * Cyrillic/Greek letters that render like Latin ones, Vietnamese diacritics,
 * and the digit/letter swaps scammers use (0↔o, 1↔l/i, 5↔s, rn↔m, vv↔w).
 */

// Lower-case Cyrillic and Greek letters that are visually identical (or nearly)
// to a Latin letter in common fonts. Source: Unicode confusables.txt, the subset
// that matters for Latin-script domain names.
const SCRIPT_CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', һ: 'h', і: 'i', ї: 'i', ј: 'j', к: 'k', ӏ: 'l', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c',
  т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ь: 'b', г: 'r', п: 'n', и: 'u',
  α: 'a', β: 'b', γ: 'y', δ: 'd', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  ı: 'i', ɡ: 'g', ɩ: 'i', ɑ: 'a', ʋ: 'u',
};

/** Maps confusable letters to Latin and removes diacritics; keeps length-independent form. */
export function toLatinLookalike(label: string): string {
  let out = '';
  for (const ch of label.toLowerCase()) {
    if (ch === 'đ') {
      out += 'd';
      continue;
    }
    const mapped = SCRIPT_CONFUSABLES[ch];
    out += mapped ?? ch.normalize('NFD').replace(/\p{M}/gu, '');
  }
  return out;
}

/**
 * Skeleton for comparison: Latin look-alike form, hyphens and underscores
 * dropped, and each ambiguous glyph group collapsed to one representative.
 */
export function skeleton(label: string): string {
  return toLatinLookalike(label)
    .replace(/[-_]/g, '')
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/0/g, 'o')
    .replace(/[1i]/g, 'l')
    .replace(/5/g, 's');
}

type Script = 'latin' | 'cyrillic' | 'greek' | 'other';

function scriptOf(ch: string): Script | null {
  if (!/\p{L}/u.test(ch)) return null;
  if (/\p{Script=Latin}/u.test(ch)) return 'latin';
  if (/\p{Script=Cyrillic}/u.test(ch)) return 'cyrillic';
  if (/\p{Script=Greek}/u.test(ch)) return 'greek';
  return 'other';
}

/** True when one label mixes letters of several scripts (e.g. Latin with a Cyrillic "о"). */
export function isMixedScript(label: string): boolean {
  const scripts = new Set<Script>();
  for (const ch of label) {
    const s = scriptOf(ch);
    if (s) scripts.add(s);
  }
  return scripts.size > 1;
}

/** True when the label has letters that are not plain ASCII Latin. */
export function hasNonLatinLetters(label: string): boolean {
  for (const ch of label) {
    const s = scriptOf(ch);
    if (s && s !== 'latin') return true;
  }
  return false;
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent swaps), stopping early above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Number.POSITIVE_INFINITY;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
  }
  return rows[a.length][b.length];
}

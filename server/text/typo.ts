/**
 * Spelling correction for query tokens against the vocabulary of the index.
 *
 * Symmetric delete (the SymSpell idea): every vocabulary word is indexed under
 * the strings obtained by deleting up to N characters; a query generates its
 * own deletes and looks them up. Two strings within edit distance N always
 * share such a delete, so candidates come from a handful of map look-ups
 * instead of a scan of ~20k words, and the exact distance is checked only for
 * those few candidates.
 */
import { foldDiacritics } from './normalise.js';

/** Corrects one query token against the index vocabulary, or null when it should stay as typed. */
export type TypoCorrect = (token: string) => string | null;

export interface TypoCorrectorOptions {
  /** Shortest token we try to correct (shorter ones are too ambiguous: "hs", "tk"...). Default 4. */
  minLength?: number;
  /** Shortest token allowed two edits. Default 8. */
  distance2MinLength?: number;
}

export interface TypoCorrector {
  /**
   * The vocabulary word a folded token was probably meant to be, or null when
   * the token is already known, too short, contains a digit, or has no single
   * best candidate.
   */
  correct(token: string): string | null;
}

const HAS_DIGIT = /\p{N}/u;

function fold(token: string): string {
  return foldDiacritics(token).toLowerCase();
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Calls `visit` with `word` and every string within `max` single-character
 * deletions of it. A string can be visited more than once (deleting either
 * "n" of "nn" gives the same result); callers tolerate that, which is cheaper
 * than de-duplicating ~40 strings per word for 20k words.
 */
function forEachDelete(word: string, max: number, visit: (s: string) => void): void {
  visit(word);
  let frontier = [word];
  for (let d = 0; d < max; d++) {
    const next: string[] = [];
    for (const s of frontier) {
      // Folded tokens are almost always BMP-only, where code-unit slicing is exact and much faster.
      const units = SURROGATE.test(s) ? Array.from(s) : null;
      const length = units ? units.length : s.length;
      for (let i = 0; i < length; i++) {
        // Deleting the second of two equal neighbours gives the same string as deleting the first.
        if (units ? units[i] === units[i - 1] : i > 0 && s[i] === s[i - 1]) continue;
        const t = units ? units.slice(0, i).join('') + units.slice(i + 1).join('') : s.slice(0, i) + s.slice(i + 1);
        visit(t);
        next.push(t);
      }
    }
    frontier = next;
  }
}

/**
 * Optimal-string-alignment Damerau–Levenshtein distance (adjacent
 * transpositions count as one edit). Anything above `limit` is reported as
 * `limit + 1`, which allows an early exit once every cell of a row exceeds
 * it: we only care whether the distance is within 2.
 */
export function damerauLevenshtein(a: readonly string[], b: readonly string[], limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  let prevPrev = new Array<number>(width).fill(0);
  let prev = Array.from({ length: width }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(width).fill(0);
    row[0] = i;
    let rowMin = row[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2] + 1);
      row[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return Math.min(prev[b.length], limit + 1);
}

export function createTypoCorrector(vocabulary: ReadonlyMap<string, number>, opts: TypoCorrectorOptions = {}): TypoCorrector {
  const minLength = opts.minLength ?? 4;
  const distance2MinLength = opts.distance2MinLength ?? 8;

  // Fold defensively and merge words that only differed by diacritics or case.
  const freq = new Map<string, number>();
  for (const [word, n] of vocabulary) {
    const w = fold(word);
    if (w.length === 0 || HAS_DIGIT.test(w)) continue;
    freq.set(w, (freq.get(w) ?? 0) + n);
  }

  const words: string[] = [];
  const wordChars: string[][] = [];
  // Most deletion keys belong to a single word; storing a bare id for those halves the index's memory.
  const index = new Map<string, number | number[]>();
  for (const w of freq.keys()) {
    const chars = Array.from(w);
    const id = words.length;
    words.push(w);
    wordChars.push(chars);
    // A word can be two edits from a query of length ≥ distance2MinLength only if it has ≥ that length − 2 characters.
    const depth = chars.length >= distance2MinLength - 2 ? 2 : 1;
    forEachDelete(w, depth, (key) => {
      const entry = index.get(key);
      if (entry === undefined) index.set(key, id);
      else if (typeof entry === 'number') {
        if (entry !== id) index.set(key, [entry, id]);
      } else if (entry[entry.length - 1] !== id) entry.push(id);
    });
  }

  function correct(token: string): string | null {
    const q = fold(token);
    const chars = Array.from(q);
    if (chars.length < minLength || HAS_DIGIT.test(q) || freq.has(q)) return null;
    const maxDistance = chars.length >= distance2MinLength ? 2 : 1;

    const candidates = new Set<number>();
    forEachDelete(q, maxDistance, (key) => {
      const entry = index.get(key);
      if (typeof entry === 'number') candidates.add(entry);
      else if (entry) for (const id of entry) candidates.add(id);
    });

    // Fewer edits first, then the more frequent word; an unresolved tie means we do not know.
    let best: { id: number; distance: number; freq: number } | null = null;
    let tied = false;
    for (const id of candidates) {
      const distance = damerauLevenshtein(chars, wordChars[id], maxDistance);
      if (distance > maxDistance) continue;
      const f = freq.get(words[id]) ?? 0;
      if (!best || distance < best.distance || (distance === best.distance && f > best.freq)) {
        best = { id, distance, freq: f };
        tied = false;
      } else if (distance === best.distance && f === best.freq) {
        tied = true;
      }
    }
    return best && !tied ? words[best.id] : null;
  }

  return { correct };
}

import { describe, expect, it } from 'vitest';
import { pseudoWords } from './pseudo-words.js';
import { createTypoCorrector, damerauLevenshtein } from './typo.js';

const chars = (s: string): string[] => Array.from(s);

describe('damerauLevenshtein', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['dang', 'dang', 0],
    ['dang', 'dnag', 1], // adjacent transposition
    ['dang', 'dan', 1],
    ['dang', 'dangg', 1],
    ['dang', 'dung', 1],
    ['khoan', 'khaon', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3], // optimal string alignment: no edits inside a transposed pair
  ])('%s → %s = %i', (a, b, d) => {
    expect(damerauLevenshtein(chars(a), chars(b))).toBe(d);
    expect(damerauLevenshtein(chars(b), chars(a))).toBe(d);
  });

  it('gives the same answer with and without the early exit', () => {
    let seed = 7;
    const next = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 8;
    const word = (): string[] => Array.from({ length: next() % 8 }, () => 'abc'[next() % 3]);
    for (let n = 0; n < 2000; n++) {
      const [a, b] = [word(), word()];
      const full = damerauLevenshtein(a, b);
      expect(damerauLevenshtein(a, b, 2)).toBe(full <= 2 ? full : 3);
    }
  });

  it('stops early above the limit', () => {
    expect(damerauLevenshtein(chars('abcdefgh'), chars('zyxwvuts'), 2)).toBe(3);
    expect(damerauLevenshtein(chars('a'), chars('abcdef'), 2)).toBe(3);
  });
});

describe('createTypoCorrector', () => {
  const vocab = new Map<string, number>([
    ['dang', 50],
    ['nhap', 40],
    ['khoan', 30],
    ['khoang', 5],
    ['matkhau', 3],
    ['chungthuc', 12],
    ['chungminh', 9],
    ['thuongtru', 20],
    ['tamtru', 18],
    ['canhan', 7],
    ['canham', 7],
    ['ct01', 100],
  ]);
  const { correct } = createTypoCorrector(vocab);

  it('corrects one substitution, insertion, deletion or transposition', () => {
    expect(correct('nhpa')).toBe('nhap');
    expect(correct('nhapp')).toBe('nhap');
    expect(correct('khan')).toBe('khoan');
    expect(correct('khoab')).toBe('khoan');
  });

  it('picks the more frequent word among equally close candidates', () => {
    expect(correct('khoanq')).toBe('khoan'); // khoan (30) and khoang (5) are both one edit away
    expect(correct('khoangg')).toBe('khoang'); // khoan would need two edits, and 7 letters allow one
  });

  it('prefers fewer edits over higher frequency', () => {
    const c = createTypoCorrector(new Map([['hosox', 1], ['hoso', 1000]]));
    expect(c.correct('hosoxy')).toBe('hosox');
  });

  it('allows two edits only for tokens of 8 characters or more', () => {
    expect(correct('thoungtru')).toBe('thuongtru'); // 9 chars, transposition
    expect(correct('thuontr')).toBe(null); // 7 chars, two deletions away
    expect(correct('thuongtr')).toBe('thuongtru'); // 8 chars, one deletion
    expect(correct('chungthcu')).toBe('chungthuc');
    expect(correct('chxngthxc')).toBe('chungthuc'); // 9 chars, two substitutions
  });

  it('returns null on an unresolved tie', () => {
    expect(correct('canhao')).toBe(null); // canhan and canham: same distance, same frequency
  });

  it('returns null for known words, short tokens, numbers and codes', () => {
    expect(correct('dang')).toBe(null);
    expect(correct('dag')).toBe(null);
    expect(correct('hs')).toBe(null);
    expect(correct('2015')).toBe(null);
    expect(correct('ct02')).toBe(null);
    expect(correct('12345678')).toBe(null);
    expect(correct('')).toBe(null);
  });

  it('returns null when nothing is close', () => {
    expect(correct('zzzzzz')).toBe(null);
  });

  it('folds its input and its vocabulary', () => {
    expect(correct('Đăngg')).toBe('dang');
    const c = createTypoCorrector(new Map([['đăng', 3], ['Dang', 2], ['ký', 1]]));
    expect(c.correct('dangg')).toBe('dang');
    expect(c.correct('dang')).toBe(null);
  });

  it('never suggests a vocabulary entry containing digits', () => {
    const c = createTypoCorrector(new Map([['ct01a', 100]]));
    expect(c.correct('ctola')).toBe(null);
  });

  it('works on an empty vocabulary', () => {
    expect(createTypoCorrector(new Map()).correct('anything')).toBe(null);
  });

  it('respects custom length thresholds', () => {
    const c = createTypoCorrector(new Map([['abc', 1], ['abcdef', 1]]), { minLength: 3, distance2MinLength: 6 });
    expect(c.correct('abd')).toBe('abc');
    expect(c.correct('abxdey')).toBe('abcdef');
  });

  it('corrects on a 20k-word vocabulary (its speed is measured by npm run bench:typo, not here)', () => {
    const words = pseudoWords(20_000);
    const c = createTypoCorrector(new Map(words.map((w, i) => [w, 1 + (i % 1000)])));
    const queries = words.slice(0, 2000).map((w, i) => (i % 2 ? `${w}z` : w.slice(1)));
    const found = queries.filter((q) => c.correct(q)).length;
    expect(found).toBeGreaterThan(500);
  });
});

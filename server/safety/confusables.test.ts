import { describe, expect, it } from 'vitest';
import { editDistance, isMixedScript, skeleton, toLatinLookalike } from './confusables.js';

describe('confusables', () => {
  it('maps Cyrillic/Greek look-alikes and Vietnamese diacritics to Latin', () => {
    expect(toLatinLookalike('dichvucоng')).toBe('dichvucong'); // Cyrillic о
    expect(toLatinLookalike('vnеіd')).toBe('vneid'); // Cyrillic е, і
    expect(toLatinLookalike('dịchvụcông')).toBe('dichvucong');
    expect(toLatinLookalike('αρρ')).toBe('app');
  });

  it('collapses digit/letter swaps in the skeleton', () => {
    expect(skeleton('d1chvuc0ng')).toBe(skeleton('dichvucong'));
    expect(skeleton('vvebsite')).toBe(skeleton('website'));
    expect(skeleton('carnau')).toBe(skeleton('camau'));
    expect(skeleton('5onla')).toBe(skeleton('sonla'));
    expect(skeleton('dich-vu-cong')).toBe(skeleton('dichvucong'));
  });

  it('detects mixed scripts', () => {
    expect(isMixedScript('dichvucоng')).toBe(true);
    expect(isMixedScript('dichvucong')).toBe(false);
    expect(isMixedScript('dịchvụcông')).toBe(false);
  });

  it('computes a bounded edit distance with adjacent swaps', () => {
    expect(editDistance('dichvucong', 'dichvucong', 2)).toBe(0);
    expect(editDistance('dichvucogn', 'dichvucong', 2)).toBe(1);
    expect(editDistance('chinphu', 'chinhphu', 2)).toBe(1);
    expect(editDistance('abc', 'xyzxyz', 2)).toBe(3);
  });
});

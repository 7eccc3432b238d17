/**
 * Deterministic pseudo-words (a 32-bit LCG; a float LCG loses precision and can fall into a short
 * cycle) with a realistic spread of lengths: a large vocabulary for the typo corrector's test and
 * benchmark, the same on every machine.
 */
export function pseudoWords(count: number, seed = 42): string[] {
  let state = seed;
  const next = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) >>> 8;
  const letters = 'abcdeghiklmnopqrstuvxy';
  const words = new Set<string>();
  while (words.size < count) {
    const len = 3 + (next() % 9);
    let w = '';
    for (let i = 0; i < len; i++) w += letters[next() % letters.length];
    words.add(w);
  }
  return [...words];
}

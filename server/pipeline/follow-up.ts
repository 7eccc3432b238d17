/**
 * A follow-up ("còn lệ phí thì sao?") is answered with the new part only: the title and the
 * summary were in the answer just before, and repeating them fills a phone screen (and, as the
 * summary, a whole SMS) with what the citizen has already read. The summary becomes the first
 * sentence of what is new, which is what SMS and the Zalo preview show first.
 */
import type { Composition } from './composer.js';
import { markdownToPlainSentence } from './plain-text.js';

/** `c` composed from the article titled `title`, without its title and summary. */
export function asFollowUp(c: Composition, title: string): Composition {
  const parts = c.text.split('\n\n');
  const rest = parts.filter((p, i) => !(i === 0 && p === `**${title}**`) && p !== c.summary);
  if (!rest.length) return c;
  const text = rest.join('\n\n');
  return { ...c, text, summary: markdownToPlainSentence(text) || c.summary };
}

import type { KnowledgeDoc } from './types.js';
import { foldDiacritics } from '../text/normalise.js';
import { sha256 } from './hash.js';

export interface Chunk {
  /** -1 is the overview chunk (title, summary, keywords, aliases); others index doc.sections. */
  sectionIndex: number;
  heading: string;
  /** What the lexical and vector search see. */
  text: string;
  folded: string;
  hash: string;
}

const MAX_CHUNK_CHARS = 2400;

function splitLong(text: string): string[] {
  if (text.length <= MAX_CHUNK_CHARS) return [text];
  const parts: string[] = [];
  let current = '';
  for (const para of text.split(/\n(?=\S)/)) {
    if (current && current.length + para.length > MAX_CHUNK_CHARS) {
      parts.push(current);
      current = '';
    }
    current = current ? `${current}\n${para}` : para;
  }
  if (current) parts.push(current);
  return parts;
}

// The sentence an article writes for an unknown value ("{{else}} Hỏi tại Bộ phận Một cửa…",
// server/knowledge/profile-render.ts) is shown only instead of another: searched, it would add
// the same words to many articles and blur the one that is about them.
const ELSE_ALTERNATIVE = /\s*\{\{\s*else\s*\}\}[^\n]*?[.!?…](?=\s|$)/gu;

/** One overview chunk plus one chunk per heading (long sections split at paragraph boundaries). */
export function chunkDoc(doc: KnowledgeDoc): Chunk[] {
  const make = (sectionIndex: number, heading: string, text: string): Chunk => {
    const full = text.normalize('NFC').replace(ELSE_ALTERNATIVE, '');
    return { sectionIndex, heading, text: full, folded: foldDiacritics(full).toLowerCase(), hash: sha256(full) };
  };
  const overview = [doc.title, doc.summary, doc.keywords.join(', '), doc.aliases.join('. ')].filter(Boolean).join('\n');
  const chunks = [make(-1, '', overview)];
  doc.sections.forEach((s, i) => {
    for (const part of splitLong(s.text)) chunks.push(make(i, s.heading, `${doc.title}\n${s.heading}\n${part}`));
  });
  return chunks;
}

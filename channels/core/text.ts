/** Text helpers shared by the channel formatters. */

/** Removes Vietnamese (and other Latin) diacritics; đ/Đ are mapped by hand because NFD leaves them alone. */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

// One keyword form for the assistant and the channels (handoff keywords and SMS/Zalo commands must agree).
export { keywordForm } from '../../server/text/normalise.js';

/**
 * Markdown (as the composer writes it) to plain text for chat apps and SMS: no `**`, headings
 * as plain lines, list bullets as "•", links as "title (url)", rules as blank lines.
 */
export function markdownToPlain(md: string): string {
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (let line of lines) {
    if (/^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
      out.push('');
      continue;
    }
    line = line.replace(/^\s{0,3}#{1,6}\s+/, '');
    line = line.replace(/^(\s*)[-*+]\s+/, '$1• ');
    line = line.replace(/^\s*>\s?/, '');
    line = line.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, '$1 ($2)');
    line = line.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, t: string, u: string) => (t === u ? u : `${t} (${u})`));
    line = line.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/__([^_]+)__/g, '$1');
    line = line.replace(/(^|[\s(])\*([^*\s][^*]*?)\*(?=[\s).,;:!?]|$)/g, '$1$2');
    line = line.replace(/(^|[\s(])_([^_\s][^_]*?)_(?=[\s).,;:!?]|$)/g, '$1$2');
    line = line.replace(/`([^`]+)`/g, '$1');
    line = line.replace(/\*\*/g, '');
    out.push(line.replace(/\s+$/, ''));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * Splits text into pieces that end at a sentence boundary (". ", "! ", "? ", "…", or a line
 * break). Each piece keeps its trailing whitespace so joining them gives the text back.
 */
export function sentencePieces(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    let boundary = -1;
    if (ch === '\n') {
      boundary = i + 1;
    } else if (ch === '.' || ch === '!' || ch === '?' || ch === '…') {
      let j = i;
      while (j < n && /[.!?…]/.test(text[j])) j++;
      // A "." inside a number or a URL ("1.5", "dichvucong.gov.vn") is not a boundary.
      if (j >= n || /\s/.test(text[j])) boundary = j;
      else i = j - 1;
    }
    if (boundary >= 0) {
      let k = boundary;
      while (k < n && /\s/.test(text[k])) k++;
      pieces.push(text.slice(start, k));
      start = k;
      i = k;
      continue;
    }
    i++;
  }
  if (start < n) pieces.push(text.slice(start));
  return pieces;
}

/** Splits a too-long piece at word boundaries (hard cut when one word is longer than `max`). */
function splitWords(piece: string, max: number, measure: (s: string) => number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of piece.split(/(?<=\s)/)) {
    if (measure(current + word) <= max) {
      current += word;
      continue;
    }
    if (current) out.push(current);
    current = '';
    let w = word;
    while (measure(w) > max) {
      let n = Math.min(w.length, max);
      while (n > 1 && measure(w.slice(0, n)) > max) n--;
      out.push(w.slice(0, n));
      w = w.slice(n);
    }
    current = w;
  }
  if (current) out.push(current);
  return out;
}

/**
 * Packs text into chunks of at most `max` (as measured), cutting at sentence boundaries, else
 * at word boundaries. Chunks are trimmed.
 */
export function chunkText(text: string, max: number, measure: (s: string) => number = (s) => s.length): string[] {
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    const t = current.trim();
    if (t) chunks.push(t);
    current = '';
  };
  for (const piece of sentencePieces(text)) {
    if (measure((current + piece).trimEnd()) <= max) {
      current += piece;
      continue;
    }
    flush();
    if (measure(piece.trimEnd()) <= max) {
      current = piece;
      continue;
    }
    const parts = splitWords(piece, max, measure);
    for (let i = 0; i < parts.length - 1; i++) {
      current = parts[i];
      flush();
    }
    current = parts[parts.length - 1] ?? '';
  }
  flush();
  return chunks;
}

/**
 * The longest head of `text` that fits `max` and ends at a sentence boundary (or a word boundary
 * when even the first sentence does not fit). Returns the head and the rest, both trimmed.
 */
export function cutAtSentence(text: string, max: number, measure: (s: string) => number = (s) => s.length): { head: string; rest: string } {
  if (measure(text.trim()) <= max) return { head: text.trim(), rest: '' };
  let head = '';
  for (const piece of sentencePieces(text)) {
    if (measure((head + piece).trimEnd()) <= max) head += piece;
    else break;
  }
  if (!head.trim()) {
    head = splitWords(text, max, measure)[0] ?? '';
  }
  return { head: head.trim(), rest: text.slice(head.length).trim() };
}

export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

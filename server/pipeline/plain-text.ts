/** The first sentence of a Markdown text as plain text: headings, bold and list markers removed. */
export function markdownToPlainSentence(markdown: string): string {
  const plain = markdown
    .split('\n')
    .map((l) => l.replace(/^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)/, '').replace(/\*\*|__|_/g, '').trim())
    .filter((l) => l && !/^[^.!?]{1,60}$/.test(l) || /[.!?]$/.test(l))
    .join(' ');
  const m = /^(.+?[.!?])(?:\s|$)/u.exec(plain);
  return (m ? m[1] : plain).trim();
}

/**
 * A Markdown list (or any lines) as one plain line, every item kept: what SMS and previews show
 * when the list itself is the answer (the documents to bring), where one sentence would drop all
 * but the first paper.
 */
export function markdownToPlainList(markdown: string): string {
  return markdown
    .split('\n')
    .map((l) => l.replace(/^\s*(?:#{1,6}\s+|[-*+•]\s+|\d+[.)]\s+)/, '').replace(/\*\*|__|_/g, '').trim())
    .filter(Boolean)
    .map((l) => (/[.!?:;]$/.test(l) ? l : `${l};`))
    .join(' ')
    .replace(/;$/, '.');
}

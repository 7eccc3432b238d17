import Database from 'better-sqlite3';
import type { KnowledgeDoc } from '../server/knowledge/types.js';

/**
 * The baseline we must beat: plain SQLite FTS5 BM25 over the same documents, default tokenizer,
 * the question's words OR-ed, none of our normalisation, expansion, typo tolerance or vectors.
 */
export function createBaseline(docs: KnowledgeDoc[]) {
  const db = new Database(':memory:');
  db.exec('CREATE VIRTUAL TABLE docs USING fts5(title, body)');
  const insert = db.prepare('INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)');
  docs.forEach((d, i) => insert.run(i + 1, d.title, [d.summary, d.keywords.join(' '), d.aliases.join(' '), ...d.sections.map((s) => `${s.heading}\n${s.text}`)].join('\n')));
  const search = db.prepare('SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 5');
  return {
    rank(question: string): KnowledgeDoc[] {
      const words = question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
      if (!words.length) return [];
      const rows = search.all(words.map((w) => `"${w}"`).join(' OR ')) as Array<{ rowid: number }>;
      return rows.map((r) => docs[r.rowid - 1]);
    },
    close: () => db.close(),
  };
}

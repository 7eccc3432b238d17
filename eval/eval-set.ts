import fs from 'node:fs';

export interface EvalItem {
  q: string;
  topic: string;
  style?: string;
  expect?: 'answer' | 'fallback' | 'safety';
  lang?: string;
  /** Multi-turn items: earlier turns are asked first in the same conversation; `q` is the last. */
  turns?: string[];
  source: string;
  line: number;
}

export class EvalSetError extends Error {}

/** Reads a JSONL evaluation set; a malformed line is an error naming the file and line. */
export function readEvalSet(file: string): EvalItem[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new EvalSetError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const items: EvalItem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new EvalSetError(`${file}:${i + 1}: not valid JSON`);
    }
    const turns = Array.isArray(obj.turns) ? obj.turns.map(String) : undefined;
    const q = typeof obj.q === 'string' ? obj.q : turns?.[turns.length - 1];
    if (typeof q !== 'string' || !q.trim()) throw new EvalSetError(`${file}:${i + 1}: needs "q" (or "turns")`);
    if (typeof obj.topic !== 'string') throw new EvalSetError(`${file}:${i + 1}: needs "topic"`);
    const expect = obj.expect as EvalItem['expect'] | undefined;
    if (expect !== undefined && !['answer', 'fallback', 'safety'].includes(expect)) throw new EvalSetError(`${file}:${i + 1}: bad "expect"`);
    items.push({
      q,
      topic: obj.topic,
      ...(typeof obj.style === 'string' ? { style: obj.style } : {}),
      ...(expect ? { expect } : {}),
      ...(typeof obj.lang === 'string' ? { lang: obj.lang } : {}),
      ...(turns ? { turns: turns.slice(0, -1) } : {}),
      source: file,
      line: i + 1,
    });
  });
  return items;
}

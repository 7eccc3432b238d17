import type { Db } from '../db/database.js';
import { createHashedEmbedder } from '../embeddings/hashed-embedder.js';
import { shortHash } from '../knowledge/hash.js';
import { filterSql, type AnswerFilters } from './filters.js';

export interface GapCluster {
  id: string;
  count: number;
  questions: string[];
  /** Topics the retriever leaned to for these questions (what was close), most frequent first. */
  nearTopics: string[];
  expectedArticles: string[];
  lastSeen: string;
  /** Officers' replies filed from the desk for these questions (redacted), newest first. */
  staffAnswers: string[];
}

interface GapRow {
  question: string;
  createdAt: string;
  candidates: Array<{ topics: string[] }>;
  expected: string | null;
  /** A staff reply filed from the desk (staff_answer_gaps). */
  staffAnswer?: string;
}

const SIMILARITY = 0.42;
const embedder = createHashedEmbedder(512);

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** Greedy clustering of questions by their hashed n-gram vectors (centroid similarity). */
export async function clusterQuestions(rows: GapRow[]): Promise<GapCluster[]> {
  const vectors = await embedder.embedPassages(rows.map((r) => r.question));
  const clusters: Array<{ centroid: Float32Array; members: number[] }> = [];
  vectors.forEach((v, i) => {
    let best = -1;
    let bestSim = SIMILARITY;
    clusters.forEach((c, j) => {
      const s = cosine(v, c.centroid);
      if (s >= bestSim) {
        bestSim = s;
        best = j;
      }
    });
    if (best < 0) clusters.push({ centroid: Float32Array.from(v), members: [i] });
    else {
      const c = clusters[best];
      c.members.push(i);
      for (let k = 0; k < v.length; k++) c.centroid[k] += (v[k] - c.centroid[k]) / c.members.length;
    }
  });
  const count = <T,>(items: T[]) => {
    const m = new Map<T, number>();
    for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1]).map(([x]) => x);
  };
  return clusters
    .map((c) => {
      const members = c.members.map((i) => rows[i]);
      const questions = [...new Set(members.map((m) => m.question))];
      return {
        id: shortHash(questions.slice().sort().join('\n'), 10),
        count: members.length,
        questions: questions.slice(0, 10),
        nearTopics: count(members.flatMap((m) => m.candidates[0]?.topics ?? [])).slice(0, 3),
        expectedArticles: count(members.map((m) => m.expected).filter((x): x is string => Boolean(x))),
        lastSeen: members.map((m) => m.createdAt).sort().at(-1) ?? '',
        staffAnswers: [...new Set(members.filter((m) => m.staffAnswer).sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((m) => m.staffAnswer!))].slice(0, 3),
      };
    })
    .sort((a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen));
}

/** Questions we failed: fallbacks and answers reviewers judged wrong or that should have fallen back. */
export function gapRows(db: Db, filters: AnswerFilters): GapRow[] {
  const { where, params } = filterSql(filters);
  const latest = '(SELECT verdict FROM reviews r WHERE r.answer_id = a.id ORDER BY r.id DESC LIMIT 1)';
  const rows = db
    .prepare(
      `SELECT a.question_redacted AS question, a.created_at AS createdAt, a.candidates,
         (SELECT expected_article FROM reviews r WHERE r.answer_id = a.id ORDER BY r.id DESC LIMIT 1) AS expected
       FROM answers a ${where ? `${where} AND` : 'WHERE'} (a.kind = 'fallback' OR ${latest} IN ('wrong', 'should_fallback'))
         AND a.question_redacted <> ''
       ORDER BY a.created_at DESC LIMIT 5000`,
    )
    .all(params) as Array<{ question: string; createdAt: string; candidates: string; expected: string | null }>;
  const failed: GapRow[] = rows.map((r) => ({ question: r.question, createdAt: r.createdAt, candidates: JSON.parse(r.candidates), expected: r.expected }));
  return [...failed, ...staffAnswerRows(db, filters)];
}

/**
 * Staff replies filed from the desk, one row per citizen question they answered, filtered by the
 * same period, channel, province and language as the failed answers (the other filters are about
 * the assistant's answers and do not apply).
 */
function staffAnswerRows(db: Db, f: AnswerFilters): GapRow[] {
  const to = f.to ? new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000).toISOString() : null;
  const rows = db
    .prepare(
      `SELECT questions, answer_redacted, created_at FROM staff_answer_gaps
       WHERE (@from IS NULL OR created_at >= @from) AND (@to IS NULL OR created_at < @to)
         AND (@channel IS NULL OR channel = @channel) AND (@province IS NULL OR province = @province) AND (@lang IS NULL OR lang = @lang)
       ORDER BY created_at DESC LIMIT 1000`,
    )
    .all({ from: f.from ? `${f.from}T00:00:00.000Z` : null, to, channel: f.channel ?? null, province: f.province ?? null, lang: f.lang ?? null }) as Array<{ questions: string; answer_redacted: string; created_at: string }>;
  return rows.flatMap((r) => (JSON.parse(r.questions) as string[]).map((question) => ({ question, createdAt: r.created_at, candidates: [], expected: null, staffAnswer: r.answer_redacted })));
}

/** A draft article brief an editor can start from (front matter skeleton + the citizens' questions). */
export function gapBrief(cluster: GapCluster, today = new Date().toISOString().slice(0, 10)): string {
  return [
    '---',
    'id: TODO.new-topic',
    `topics: [${cluster.expectedArticles[0] ?? 'TODO'}]`,
    'title: TODO',
    'lang: vi',
    'summary: >-',
    '  TODO: 2–3 câu trả lời trực tiếp.',
    `keywords: []`,
    'aliases:',
    ...cluster.questions.slice(0, 6).map((q) => `  - ${JSON.stringify(q)}`),
    'sources: []',
    `updated: ${today}`,
    'verify: true',
    'status: draft',
    '---',
    '',
    `<!-- Content gap ${cluster.id}: ${cluster.count} question(s), last seen ${cluster.lastSeen}. -->`,
    `<!-- Close topics at the time: ${cluster.nearTopics.join(', ') || 'none'}. -->`,
    '',
    '## Câu hỏi của người dân',
    ...cluster.questions.map((q) => `- ${q}`),
    '',
    ...(cluster.staffAnswers.length
      ? ['## Cán bộ đã trả lời (đã che thông tin nhạy cảm; kiểm tra với nguồn chính thức trước khi dùng)', ...cluster.staffAnswers.flatMap((a) => ['', ...a.split('\n').map((l) => `> ${l}`)]), '']
      : []),
    '## Các bước',
    '1. TODO',
    '',
    '## Lưu ý',
    '- **TODO: điều quan trọng nhất.**',
    '',
    '## Hỗ trợ',
    '- Gọi {{province_hotline}} hoặc {{national_hotline}}.',
    '',
  ].join('\n');
}

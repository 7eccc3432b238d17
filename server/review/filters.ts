import type { Verdict } from '../domain/staff.js';
import { AppError } from '../errors.js';

/** Filters shared by the review queue, the export and the dashboards. */
export interface AnswerFilters {
  from?: string;
  to?: string;
  channel?: string;
  province?: string;
  lang?: string;
  kind?: string;
  /** One code of OUTCOMES (server/domain/outcomes.ts). */
  outcome?: string;
  topic?: string;
  confidence?: 'low' | 'medium' | 'high';
  feedback?: 'up' | 'down' | 'none';
  review?: 'unreviewed' | 'reviewed' | Verdict;
  q?: string;
  includeTest?: boolean;
}

export const CONFIDENCE_BANDS = { low: [0, 0.5], medium: [0.5, 0.8], high: [0.8, 1.01] } as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class FilterError extends AppError {
  constructor(message: string) {
    super('invalid_request', message);
  }
}

/** WHERE clause and parameters over `answers a` (with `latest_review` available as a subquery). */
export function filterSql(f: AnswerFilters): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (!f.includeTest) clauses.push('a.is_test = 0');
  if (f.from) {
    if (!DATE.test(f.from)) throw new FilterError('"from" must be YYYY-MM-DD');
    clauses.push('a.created_at >= @from');
    params.from = `${f.from}T00:00:00.000Z`;
  }
  if (f.to) {
    if (!DATE.test(f.to)) throw new FilterError('"to" must be YYYY-MM-DD');
    clauses.push('a.created_at <= @to');
    params.to = `${f.to}T23:59:59.999Z`;
  }
  for (const key of ['channel', 'province', 'lang', 'kind', 'outcome'] as const) {
    if (f[key]) {
      clauses.push(`a.${key} = @${key}`);
      params[key] = f[key];
    }
  }
  if (f.topic) {
    clauses.push("EXISTS (SELECT 1 FROM json_each(a.topics) WHERE json_each.value = @topic)");
    params.topic = f.topic;
  }
  if (f.confidence) {
    const band = CONFIDENCE_BANDS[f.confidence];
    if (!band) throw new FilterError('"confidence" must be low, medium or high');
    clauses.push('a.confidence >= @cmin AND a.confidence < @cmax');
    params.cmin = band[0];
    params.cmax = band[1];
  }
  if (f.feedback === 'up' || f.feedback === 'down') {
    clauses.push('EXISTS (SELECT 1 FROM feedback fb WHERE fb.answer_id = a.id AND fb.rating = @rating)');
    params.rating = f.feedback;
  } else if (f.feedback === 'none') clauses.push('NOT EXISTS (SELECT 1 FROM feedback fb WHERE fb.answer_id = a.id)');
  if (f.review === 'unreviewed') clauses.push('NOT EXISTS (SELECT 1 FROM reviews r WHERE r.answer_id = a.id)');
  else if (f.review === 'reviewed') clauses.push('EXISTS (SELECT 1 FROM reviews r WHERE r.answer_id = a.id)');
  else if (f.review) {
    clauses.push('(SELECT verdict FROM reviews r WHERE r.answer_id = a.id ORDER BY r.id DESC LIMIT 1) = @verdict');
    params.verdict = f.review;
  }
  if (f.q && f.q.trim()) {
    const terms = (f.q.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10);
    if (terms.length) {
      clauses.push('a.rowid IN (SELECT rowid FROM answers_fts WHERE answers_fts MATCH @fts)');
      params.fts = terms.map((t) => `"${t}"`).join(' AND ');
    }
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

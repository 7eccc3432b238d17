import type { Db } from '../db/database.js';
import { filterSql, type AnswerFilters } from './filters.js';

export interface DashboardMetrics {
  perDay: Array<{ day: string; channel: string; answers: number }>;
  outcomesPerDay: Array<{ day: string; answer: number; fallback: number; safety: number; other: number }>;
  satisfactionPerDay: Array<{ day: string; up: number; down: number; share: number | null }>;
  topTopics: Array<{ topic: string; answers: number }>;
  reviewerAccuracyPerDay: Array<{ day: string; reviewed: number; correct: number; share: number | null }>;
  latencyP95PerDay: Array<{ day: string; p95: number; n: number }>;
  /** Answers per outcome code over live records (purged days keep kinds only; older records have none). */
  outcomeCounts: Array<{ outcome: string; answers: number }>;
  totals: { answers: number; fallbacks: number; safety: number; feedbackUp: number; feedbackDown: number };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Dashboard figures over live records plus the aggregates kept for purged days. Test traffic excluded unless asked. */
export function dashboardMetrics(db: Db, filters: AnswerFilters): DashboardMetrics {
  const { where, params } = filterSql(filters);
  const live = db
    .prepare(`SELECT substr(a.created_at, 1, 10) AS day, a.channel, a.kind, COUNT(*) AS n FROM answers a ${where} GROUP BY day, a.channel, a.kind`)
    .all(params) as Array<{ day: string; channel: string; kind: string; n: number }>;
  const aggWhere: string[] = [];
  const aggParams: Record<string, unknown> = {};
  const aggFilter = (value: string | undefined, clause: string, key: string) => {
    if (!value) return;
    aggWhere.push(clause);
    aggParams[key] = value;
  };
  aggFilter(filters.from, 'day >= @from', 'from');
  aggFilter(filters.to, 'day <= @to', 'to');
  aggFilter(filters.channel, 'channel = @channel', 'channel');
  aggFilter(filters.province, 'province = @province', 'province');
  const kept = db
    .prepare(`SELECT day, channel, kind, answers AS n, feedback_up AS up, feedback_down AS down, reviews_total AS rt, reviews_correct AS rc FROM daily_aggregates ${aggWhere.length ? `WHERE ${aggWhere.join(' AND ')}` : ''}`)
    .all(aggParams) as Array<{ day: string; channel: string; kind: string; n: number; up: number; down: number; rt: number; rc: number }>;

  const byDayChannel = new Map<string, number>();
  const outcomes = new Map<string, { answer: number; fallback: number; safety: number; other: number }>();
  for (const r of [...live, ...kept]) {
    const key = `${r.day}|${r.channel}`;
    byDayChannel.set(key, (byDayChannel.get(key) ?? 0) + r.n);
    const o = outcomes.get(r.day) ?? { answer: 0, fallback: 0, safety: 0, other: 0 };
    if (r.kind === 'answer' || r.kind === 'fallback' || r.kind === 'safety') o[r.kind] += r.n;
    else o.other += r.n;
    outcomes.set(r.day, o);
  }

  const fb = db
    .prepare(`SELECT substr(f.created_at, 1, 10) AS day, SUM(f.rating = 'up') AS up, SUM(f.rating = 'down') AS down FROM feedback f JOIN answers a ON a.id = f.answer_id ${where} GROUP BY day`)
    .all(params) as Array<{ day: string; up: number; down: number }>;
  const sat = new Map<string, { up: number; down: number }>();
  for (const r of [...fb, ...kept]) {
    const s = sat.get(r.day) ?? { up: 0, down: 0 };
    s.up += r.up;
    s.down += r.down;
    sat.set(r.day, s);
  }

  const topics = db
    .prepare(`SELECT j.value AS topic, COUNT(*) AS n FROM answers a, json_each(a.topics) j ${where} GROUP BY j.value ORDER BY n DESC LIMIT 10`)
    .all(params) as Array<{ topic: string; n: number }>;

  const latestOnly = 'r.id = (SELECT MAX(id) FROM reviews r2 WHERE r2.answer_id = r.answer_id)';
  const rev = db
    .prepare(
      `SELECT substr(r.created_at, 1, 10) AS day, COUNT(*) AS total, SUM(r.verdict = 'correct') AS correct
       FROM reviews r JOIN answers a ON a.id = r.answer_id ${where ? `${where} AND ${latestOnly}` : `WHERE ${latestOnly}`} GROUP BY day`,
    )
    .all(params) as Array<{ day: string; total: number; correct: number }>;
  const accuracy = new Map<string, { reviewed: number; correct: number }>();
  for (const r of rev) accuracy.set(r.day, { reviewed: r.total, correct: r.correct });
  for (const r of kept) {
    if (!r.rt) continue;
    const a = accuracy.get(r.day) ?? { reviewed: 0, correct: 0 };
    a.reviewed += r.rt;
    a.correct += r.rc;
    accuracy.set(r.day, a);
  }

  const lat = db.prepare(`SELECT substr(a.created_at, 1, 10) AS day, a.latency_ms AS ms FROM answers a ${where}`).all(params) as Array<{ day: string; ms: number }>;
  const latByDay = new Map<string, number[]>();
  for (const r of lat) (latByDay.get(r.day) ?? latByDay.set(r.day, []).get(r.day)!).push(r.ms);

  const outcomeCounts = db
    .prepare(`SELECT COALESCE(a.outcome, 'unrecorded') AS outcome, COUNT(*) AS n FROM answers a ${where} GROUP BY 1 ORDER BY n DESC, outcome`)
    .all(params) as Array<{ outcome: string; n: number }>;

  const days = (m: Map<string, unknown>) => [...m.keys()].sort();
  const totals = { answers: 0, fallbacks: 0, safety: 0, feedbackUp: 0, feedbackDown: 0 };
  for (const o of outcomes.values()) {
    totals.answers += o.answer + o.fallback + o.safety + o.other;
    totals.fallbacks += o.fallback;
    totals.safety += o.safety;
  }
  for (const s of sat.values()) {
    totals.feedbackUp += s.up;
    totals.feedbackDown += s.down;
  }
  return {
    perDay: [...byDayChannel.entries()].map(([k, answers]) => ({ day: k.split('|')[0], channel: k.split('|')[1], answers })).sort((a, b) => a.day.localeCompare(b.day)),
    outcomesPerDay: days(outcomes).map((day) => ({ day, ...outcomes.get(day)! })),
    satisfactionPerDay: days(sat).map((day) => {
      const s = sat.get(day)!;
      return { day, ...s, share: s.up + s.down ? s.up / (s.up + s.down) : null };
    }),
    topTopics: topics.map((t) => ({ topic: t.topic, answers: t.n })),
    reviewerAccuracyPerDay: days(accuracy).map((day) => {
      const a = accuracy.get(day)!;
      return { day, ...a, share: a.reviewed ? a.correct / a.reviewed : null };
    }),
    latencyP95PerDay: days(latByDay).map((day) => {
      const xs = latByDay.get(day)!.sort((a, b) => a - b);
      return { day, p95: Math.round(percentile(xs, 0.95) * 10) / 10, n: xs.length };
    }),
    outcomeCounts: outcomeCounts.map((o) => ({ outcome: o.outcome, answers: o.n })),
    totals,
  };
}

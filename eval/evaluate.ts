import type { Assistant } from '../server/assistant.js';
import type { KnowledgeDoc } from '../server/knowledge/types.js';
import { detectSensitive } from '../server/safety/sensitive-data.js';
import { createBaseline } from './baseline.js';
import type { EvalItem } from './eval-set.js';

export interface Failure {
  q: string;
  style: string;
  expected: string;
  got: string;
  kind: string;
  confidence: number;
  source: string;
}

export interface StyleFigures {
  n: number;
  top1: number;
  baseline_top1: number;
}

export interface EvalReport {
  total: number;
  top1: number;
  mrr5: number;
  fallback_accuracy: number | null;
  safety_recall: number | null;
  safety_false_alarm_rate: number;
  stored_unredacted: number;
  fallback_decision: { precision: number | null; recall: number | null; in_scope_fallbacks: number };
  by_style: Record<string, StyleFigures>;
  baseline: { top1: number; mrr5: number };
  failures: Failure[];
  counts: { topic: number; none: number; safety: number };
}

const ANSWERED = new Set(['answer', 'greeting', 'handoff', 'safety']);

function ratio(n: number, d: number): number {
  return d === 0 ? 0 : Math.round((n / d) * 1000) / 1000;
}

/** Runs every item through the real pipeline (in-process) and the baseline, and scores them. */
export async function evaluate(assistant: Assistant, items: EvalItem[], baselineDocs: KnowledgeDoc[]): Promise<EvalReport> {
  const baseline = createBaseline(baselineDocs);
  const styles = new Map<string, { n: number; hit: number; base: number }>();
  const failures: Failure[] = [];
  let topicN = 0, top1Hits = 0, rr = 0, baseHits = 0, baseRr = 0;
  let noneN = 0, noneOk = 0, safetyN = 0, safetyOk = 0, falseAlarms = 0, unredacted = 0, inScopeFallbacks = 0, noneFallbacks = 0;
  const getStored = assistant.db.prepare('SELECT question_redacted FROM answers WHERE id = ?');

  for (const item of items) {
    let conversationId: string | undefined;
    for (const turn of item.turns ?? []) {
      const r = await assistant.pipeline.handle({ text: turn, channel: 'eval', isTest: true, conversationId, lang: item.lang });
      conversationId = r.answer.conversationId;
    }
    const { answer, record } = await assistant.pipeline.handle({ text: item.q, channel: 'eval', isTest: true, conversationId, lang: item.lang });
    const style = item.style ?? 'unlabelled';
    const stored = (getStored.get(answer.answerId) as { question_redacted: string }).question_redacted;
    // Re-running detection on the stored text must change nothing (placeholders are not secrets).
    const leaks = detectSensitive(stored).redacted !== stored;
    if (leaks) unredacted++;
    // The first-ranked source of the answer as given (a follow-up may answer from the previous turn's source).
    const firstTopics = answer.citations.length && ANSWERED.has(answer.kind) ? answer.topics : [];
    const got = answer.kind === 'fallback' ? 'fallback' : (firstTopics[0] ?? answer.kind);
    const fail = (expected: string) => failures.push({ q: item.q, style, expected, got, kind: answer.kind, confidence: answer.confidence, source: `${item.source}:${item.line}` });

    if (item.topic === 'none') {
      noneN++;
      if (answer.kind === 'fallback') {
        noneOk++;
        noneFallbacks++;
      } else fail('fallback');
      continue;
    }
    if (item.topic === 'safety') {
      safetyN++;
      const redacted = !leaks;
      if (answer.kind === 'safety' && redacted) safetyOk++;
      else fail('safety');
      continue;
    }
    topicN++;
    if (answer.kind === 'safety') falseAlarms++;
    if (answer.kind === 'fallback') inScopeFallbacks++;
    const hit = answer.kind !== 'fallback' && firstTopics.includes(item.topic);
    const rank = record.candidates.slice(0, 5).findIndex((c) => c.topics.includes(item.topic));
    if (hit) top1Hits++;
    else fail(item.topic);
    rr += rank >= 0 ? 1 / (rank + 1) : 0;
    const base = baseline.rank(item.q);
    const baseRank = base.findIndex((d) => d.topics.includes(item.topic));
    if (baseRank === 0) baseHits++;
    baseRr += baseRank >= 0 ? 1 / (baseRank + 1) : 0;
    const s = styles.get(style) ?? { n: 0, hit: 0, base: 0 };
    s.n++;
    if (hit) s.hit++;
    if (baseRank === 0) s.base++;
    styles.set(style, s);
  }
  baseline.close();

  const fallbacksTotal = noneFallbacks + inScopeFallbacks;
  return {
    total: items.length,
    top1: ratio(top1Hits, topicN),
    mrr5: ratio(rr, topicN),
    fallback_accuracy: noneN ? ratio(noneOk, noneN) : null,
    safety_recall: safetyN ? ratio(safetyOk, safetyN) : null,
    safety_false_alarm_rate: ratio(falseAlarms, topicN),
    stored_unredacted: unredacted,
    fallback_decision: {
      precision: fallbacksTotal ? ratio(noneFallbacks, fallbacksTotal) : null,
      recall: noneN ? ratio(noneFallbacks, noneN) : null,
      in_scope_fallbacks: inScopeFallbacks,
    },
    by_style: Object.fromEntries([...styles].map(([k, v]) => [k, { n: v.n, top1: ratio(v.hit, v.n), baseline_top1: ratio(v.base, v.n) }])),
    baseline: { top1: ratio(baseHits, topicN), mrr5: ratio(baseRr, topicN) },
    failures,
    counts: { topic: topicN, none: noneN, safety: safetyN },
  };
}

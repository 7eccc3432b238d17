import type { Assistant } from '../server/assistant.js';
import type { KnowledgeDoc } from '../server/knowledge/types.js';
import type { Answer, QuickReply } from '../server/domain/answer.js';
import { foldDiacritics, tokenize } from '../server/text/normalise.js';
import type { EvalItem } from './eval-set.js';
import type { Ranker } from './minisearch-peer.js';
import type { SetFile } from './set-files.js';

export type ItemClass = 'in-scope' | 'out-of-scope' | 'safety';

export interface CheckResult {
  passed: number;
  total: number;
}

/** What one eval item did; the figures are aggregates of these. */
export interface ItemResult {
  set: string;
  role: SetFile['role'];
  style: string;
  source: string;
  q: string;
  topic: string;
  why?: string;
  cls: ItemClass;
  /** 0-based rank of the first right document in the top 5, -1 when absent (in-scope only). */
  rank: { ours: number; bm25: number; minisearch: number };
  kind: string;
  outcome: string | null;
  got: string;
  confidence: number;
  /** An article or record was given as the answer (not a fallback, not a question back). */
  answered: boolean;
  /** As shipped: answered from the right topic (in-scope only). */
  hit: boolean;
  confidentlyWrong: boolean;
  declined: boolean;
  clarified: boolean;
  /** The chosen quick reply then answered from the right topic; null when not clarified or out of scope. */
  clarifySuccess: boolean | null;
  checks: { mustInclude: CheckResult; mustIncludeLead: CheckResult; mustNotInclude: CheckResult; procedure: CheckResult; failed: string[] };
  /** Characters of the answer text as shown (Markdown), and the text itself for before/after reading. */
  chars: number;
  text: string;
  ask: string | null;
  /** The assistant treated it as a safety case (warning first). */
  safetyRoute: boolean;
  ms: { ours: number; bm25: number; minisearch: number };
}

export interface RankFigures {
  top1: number | null;
  mrr5: number | null;
}

export interface Figures {
  n: number;
  in_scope: number;
  out_of_scope: number;
  safety: number;
  ranking: { ours: RankFigures; bm25: RankFigures; minisearch: RankFigures };
  shipped_top1: number | null;
  confidently_wrong: { count: number; rate: number | null; in_scope: number; out_of_scope: number };
  honest_decline: number | null;
  fallback: { precision: number | null; recall: number | null; in_scope_fallbacks: number };
  clarification: { clarified: number; rate: number | null; success: number | null };
  checks: { must_include: CheckResult; must_include_lead: CheckResult; must_not_include: CheckResult; procedure: CheckResult };
  /** Length of the answers given (answered items only), in characters of the Markdown text: what a phone screen has to hold. */
  answer_chars: { n: number; median: number | null; p95: number | null };
  safety_recall: number | null;
  safety_false_alarms: number;
}

const ANSWERED = new Set(['answer', 'greeting', 'handoff', 'safety']);
const CLARIFICATION = 'clarification';

function ratio(n: number, d: number): number | null {
  return d === 0 ? null : Math.round((n / d) * 1000) / 1000;
}

function rankOf(topicLists: string[][], topic: string): number {
  return topicLists.slice(0, 5).findIndex((t) => t.includes(topic));
}

/** The answer object's `outcome`, once the pipeline carries one (read defensively until then). */
function outcomeOf(answer: Answer): string | null {
  const o = (answer as unknown as { outcome?: unknown }).outcome;
  return typeof o === 'string' ? o : null;
}

function isClarification(answer: Answer): boolean {
  return (answer.kind as string) === CLARIFICATION || outcomeOf(answer) === CLARIFICATION;
}

const foldedWords = (s: string) => new Set(tokenize(foldDiacritics(s)));

/**
 * The quick reply a citizen asking about `topic` would tap: one that names the topic (if replies
 * ever carry it), else the one whose words overlap most with that topic's titles, keywords and
 * aliases. Null when no reply shares a word with the topic (the citizen would tap none).
 */
export function chooseReply(replies: QuickReply[], topic: string, docs: KnowledgeDoc[]): QuickReply | null {
  const named = replies.find((r) => {
    const extra = r as unknown as { topic?: unknown; topics?: unknown };
    return extra.topic === topic || (Array.isArray(extra.topics) && extra.topics.includes(topic));
  });
  if (named) return named;
  const vocab = new Set<string>();
  for (const d of docs) if (d.topics.includes(topic)) for (const w of foldedWords([d.title, ...d.keywords, ...d.aliases].join(' '))) vocab.add(w);
  let best: QuickReply | null = null;
  let bestScore = 0;
  for (const r of replies) {
    const words = [...foldedWords(`${r.label} ${r.payload}`)];
    const score = words.length ? words.filter((w) => vocab.has(w)).length / words.length : 0;
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}

/**
 * What a phone shows before any scrolling: the answer without its bold title line, first
 * LEAD_CHARS characters. About seven lines of a 360-px screen in the widget's font; a fact
 * asked for should be there, not below the steps.
 */
export const LEAD_CHARS = 300;

export function leadOf(text: string): string {
  return text.replace(/^\*\*[^\n]*\*\*\n+/, '').slice(0, LEAD_CHARS);
}

function runChecks(item: EvalItem, answer: Answer): ItemResult['checks'] {
  const failed: string[] = [];
  const mi = item.mustInclude ?? [];
  const mn = item.mustNotInclude ?? [];
  const lead = leadOf(answer.text);
  const miLead = mi.filter((re) => re.test(lead)).length;
  const miPassed = mi.filter((re) => re.test(answer.text) || (failed.push(`must_include /${re.source}/`), false)).length;
  const mnPassed = mn.filter((re) => !re.test(answer.text) || (failed.push(`must_not_include /${re.source}/`), false)).length;
  let procPassed = 0;
  if (item.procedure) {
    const want = foldDiacritics(item.procedure).toLowerCase().replace(/\s+/g, ' ').trim();
    if (answer.citations.some((c) => foldDiacritics(c.title).toLowerCase().replace(/\s+/g, ' ').trim() === want)) procPassed = 1;
    else failed.push(`procedure "${item.procedure}" not cited (cited: ${answer.citations.map((c) => `"${c.title}"`).join(', ') || 'nothing'})`);
  }
  return {
    mustInclude: { passed: miPassed, total: mi.length },
    mustIncludeLead: { passed: miLead, total: mi.length },
    mustNotInclude: { passed: mnPassed, total: mn.length },
    procedure: { passed: procPassed, total: item.procedure ? 1 : 0 },
    failed,
  };
}

export interface EvalDeps {
  assistant: Assistant;
  docs: KnowledgeDoc[];
  bm25: Ranker;
  minisearch: Ranker;
}

function timed<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const v = fn();
  return [v, performance.now() - t];
}

/** Runs one item through the real pipeline (in-process) and both peers. */
export async function evaluateItem(deps: EvalDeps, item: EvalItem, set: SetFile): Promise<ItemResult> {
  const { pipeline } = deps.assistant;
  let conversationId: string | undefined;
  for (const turn of item.turns ?? []) {
    const r = await pipeline.handle({ text: turn, channel: 'eval', isTest: true, conversationId, lang: item.lang });
    conversationId = r.answer.conversationId;
  }
  const t0 = performance.now();
  const { answer, record } = await pipeline.handle({ text: item.q, channel: 'eval', isTest: true, conversationId, lang: item.lang });
  const oursMs = performance.now() - t0;
  const cls: ItemClass = item.topic === 'none' ? 'out-of-scope' : item.topic === 'safety' ? 'safety' : 'in-scope';
  // Peers see the last turn only: they have no conversation to draw on.
  const [bm25Docs, bm25Ms] = cls === 'in-scope' ? timed(() => deps.bm25.rank(item.q)) : [[], 0];
  const [miniDocs, miniMs] = cls === 'in-scope' ? timed(() => deps.minisearch.rank(item.q)) : [[], 0];

  const clarified = isClarification(answer);
  const answered = !clarified && answer.kind !== 'fallback' && ANSWERED.has(answer.kind) && answer.citations.length > 0;
  const hit = cls === 'in-scope' && answered && answer.topics.includes(item.topic);
  let clarifySuccess: boolean | null = null;
  if (clarified && cls === 'in-scope') {
    const reply = chooseReply(answer.quickReplies, item.topic, deps.docs);
    if (!reply) clarifySuccess = false;
    else {
      const next = await pipeline.handle({ text: reply.payload, channel: 'eval', isTest: true, conversationId: answer.conversationId, lang: item.lang });
      clarifySuccess = next.answer.kind !== 'fallback' && next.answer.citations.length > 0 && next.answer.topics.includes(item.topic);
    }
  }
  const topics = record.candidates.map((c) => c.topics);
  return {
    set: set.name,
    role: set.role,
    style: item.style ?? 'unlabelled',
    source: `${item.source}:${item.line}`,
    q: item.q,
    topic: item.topic,
    ...(item.why ? { why: item.why } : {}),
    cls,
    rank: {
      ours: cls === 'in-scope' ? rankOf(topics, item.topic) : -1,
      bm25: cls === 'in-scope' ? rankOf(bm25Docs.map((d) => d.topics), item.topic) : -1,
      minisearch: cls === 'in-scope' ? rankOf(miniDocs.map((d) => d.topics), item.topic) : -1,
    },
    kind: answer.kind,
    outcome: outcomeOf(answer),
    // A procedure record has no topic: name what was cited instead.
    got: clarified ? CLARIFICATION : answer.kind === 'fallback' ? 'fallback' : answered ? (answer.topics[0] ?? `${answer.citations[0].kind} "${answer.citations[0].title}"`) : answer.kind,
    confidence: answer.confidence,
    answered,
    hit,
    confidentlyWrong: (cls === 'in-scope' && answered && !hit) || (cls === 'out-of-scope' && answered),
    declined: answer.kind === 'fallback' && !clarified,
    clarified,
    clarifySuccess,
    checks: runChecks(item, answer),
    chars: answer.text.length,
    text: answer.text,
    ask: answer.ask ?? null,
    safetyRoute: answer.kind === 'safety',
    ms: { ours: oursMs, bm25: bm25Ms, minisearch: miniMs },
  };
}

function rankFigures(results: ItemResult[], engine: keyof ItemResult['rank']): RankFigures {
  const inScope = results.filter((r) => r.cls === 'in-scope');
  return {
    top1: ratio(inScope.filter((r) => r.rank[engine] === 0).length, inScope.length),
    mrr5: ratio(inScope.reduce((s, r) => s + (r.rank[engine] >= 0 ? 1 / (r.rank[engine] + 1) : 0), 0), inScope.length),
  };
}

const sumChecks = (results: ItemResult[], key: 'mustInclude' | 'mustIncludeLead' | 'mustNotInclude' | 'procedure'): CheckResult =>
  results.reduce((acc, r) => ({ passed: acc.passed + r.checks[key].passed, total: acc.total + r.checks[key].total }), { passed: 0, total: 0 });

/** Median and 95th percentile (nearest rank) of answer lengths. */
export function lengthFigures(chars: number[]): Figures['answer_chars'] {
  if (!chars.length) return { n: 0, median: null, p95: null };
  const s = [...chars].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, median: rank(0.5), p95: rank(0.95) };
}

/**
 * Figures for any group of items. `leakedItems` are the items whose secrets were found in the
 * stored bytes: a safety item counts as handled only when it was routed to safety and leaked nothing.
 */
export function figuresFor(results: ItemResult[], leakedItems: Set<string>): Figures {
  const inScope = results.filter((r) => r.cls === 'in-scope');
  const out = results.filter((r) => r.cls === 'out-of-scope');
  const safety = results.filter((r) => r.cls === 'safety');
  const decided = [...inScope, ...out];
  const inFallbacks = inScope.filter((r) => r.declined).length;
  const outFallbacks = out.filter((r) => r.declined).length;
  const clarified = decided.filter((r) => r.clarified);
  const clarifiedIn = inScope.filter((r) => r.clarified);
  const cwIn = inScope.filter((r) => r.confidentlyWrong).length;
  const cwOut = out.filter((r) => r.confidentlyWrong).length;
  return {
    n: results.length,
    in_scope: inScope.length,
    out_of_scope: out.length,
    safety: safety.length,
    ranking: { ours: rankFigures(results, 'ours'), bm25: rankFigures(results, 'bm25'), minisearch: rankFigures(results, 'minisearch') },
    shipped_top1: ratio(inScope.filter((r) => r.hit).length, inScope.length),
    confidently_wrong: { count: cwIn + cwOut, rate: ratio(cwIn + cwOut, decided.length), in_scope: cwIn, out_of_scope: cwOut },
    honest_decline: ratio(outFallbacks, out.length),
    fallback: { precision: ratio(outFallbacks, outFallbacks + inFallbacks), recall: ratio(outFallbacks, out.length), in_scope_fallbacks: inFallbacks },
    clarification: {
      clarified: clarified.length,
      rate: ratio(clarified.length, decided.length),
      success: ratio(clarifiedIn.filter((r) => r.clarifySuccess).length, clarifiedIn.length),
    },
    checks: { must_include: sumChecks(results, 'mustInclude'), must_include_lead: sumChecks(results, 'mustIncludeLead'), must_not_include: sumChecks(results, 'mustNotInclude'), procedure: sumChecks(results, 'procedure') },
    answer_chars: lengthFigures(results.filter((r) => r.answered).map((r) => r.chars)),
    safety_recall: ratio(safety.filter((r) => r.safetyRoute && !leakedItems.has(r.source)).length, safety.length),
    safety_false_alarms: inScope.filter((r) => r.safetyRoute).length,
  };
}

/** Figures per style of a group, styles in order of first appearance. */
export function byStyle(results: ItemResult[], leakedItems: Set<string>): Record<string, Figures> {
  const groups = new Map<string, ItemResult[]>();
  for (const r of results) groups.set(r.style, [...(groups.get(r.style) ?? []), r]);
  return Object.fromEntries([...groups].map(([style, rs]) => [style, figuresFor(rs, leakedItems)]));
}

/** Why an item counts against us, or null when it does not. */
export function failureOf(r: ItemResult, leakedItems: Set<string>): string | null {
  const parts: string[] = [];
  if (r.cls === 'in-scope' && !r.hit) parts.push(`expected ${r.topic}, got ${r.got}`);
  if (r.cls === 'out-of-scope' && !r.declined) parts.push(`expected a decline, got ${r.got}`);
  if (r.cls === 'safety' && !r.safetyRoute) parts.push(`expected safety, got ${r.got}`);
  if (leakedItems.has(r.source)) parts.push('a secret was found in stored bytes');
  parts.push(...r.checks.failed);
  return parts.length ? parts.join('; ') : null;
}

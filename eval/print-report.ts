import path from 'node:path';
import type { CheckResult, Figures } from './evaluate.js';
import type { EvalRun } from './run-eval.js';

/** "file:line" shown relative to the working directory. */
const rel = (source: string): string => (path.isAbsolute(source) ? path.relative(process.cwd(), source) : source);
// Wide enough for the longest set name and its role.
const LABEL = 46;
const pct = (x: number | null): string => (x === null ? '  n/a' : (x * 100).toFixed(1).padStart(5));
const checks = (c: CheckResult): string => (c.total ? `${c.passed}/${c.total}` : '-').padStart(7);

interface Row {
  label: string;
  f: Figures;
}

function rowsFor(label: string, f: Figures, styles: Record<string, Figures>): Row[] {
  const rows: Row[] = [{ label, f }];
  // A set with one style would repeat its own line.
  if (Object.keys(styles).length > 1) for (const [s, sf] of Object.entries(styles)) rows.push({ label: `  ${s}`, f: sf });
  return rows;
}

function rankingTable(rows: Row[]): string[] {
  return [
    'Ranking on in-scope questions (top-1 / MRR@5 of the first-ranked candidates, before the answer/decline decision),',
    'and as shipped (answered from the right topic, after the decision). Peers rank the last turn alone.',
    `${'set / style'.padEnd(LABEL)}  n_in |  ours top1 mrr5 |  bm25 top1 mrr5 | minis top1 mrr5 | shipped top1`,
    // Sets and styles with no in-scope question have nothing to rank.
    ...rows.filter(({ f }) => f.in_scope > 0).map(
      ({ label, f }) =>
        `${label.padEnd(LABEL).slice(0, LABEL)} ${String(f.in_scope).padStart(5)} |      ${pct(f.ranking.ours.top1)} ${pct(f.ranking.ours.mrr5)} |      ${pct(f.ranking.bm25.top1)} ${pct(f.ranking.bm25.mrr5)} |      ${pct(f.ranking.minisearch.top1)} ${pct(f.ranking.minisearch.mrr5)} |        ${pct(f.shipped_top1)}`,
    ),
  ];
}

function decisionTable(rows: Row[]): string[] {
  return [
    'Decisions. conf.wrong = answered with a wrong topic (in scope) or answered at all (out of scope), as a rate of',
    'in-scope + out-of-scope questions; decline = honest decline rate on out-of-scope; fb P/R = fallback precision/recall;',
    'clar = clarification rate, ok = clarified turns whose chosen quick reply then lands on the right topic;',
    'checks = must_include / in the first 300 characters / must_not_include / procedure passed; safety = routed to safety with no secret stored;',
    'chars = median / p95 characters of the answers given.',
    `${'set / style'.padEnd(LABEL)}  n_in n_out | conf.wrong (in+out) | decline  fb P  fb R |  clar    ok | must_inc    lead not_inc    proc | safety | chars med  p95`,
    ...rows.map(
      ({ label, f }) =>
        `${label.padEnd(LABEL).slice(0, LABEL)} ${String(f.in_scope).padStart(5)} ${String(f.out_of_scope).padStart(5)} | ${pct(f.confidently_wrong.rate)} (${String(f.confidently_wrong.in_scope).padStart(3)}+${String(f.confidently_wrong.out_of_scope).padStart(3)})     |   ${pct(f.honest_decline)} ${pct(f.fallback.precision)} ${pct(f.fallback.recall)} | ${pct(f.clarification.rate)} ${pct(f.clarification.success)} | ${checks(f.checks.must_include)} ${checks(f.checks.must_include_lead)} ${checks(f.checks.must_not_include)} ${checks(f.checks.procedure)} | ${f.safety ? pct(f.safety_recall) : '    -'}  | ${String(f.answer_chars.median ?? '-').padStart(9)} ${String(f.answer_chars.p95 ?? '-').padStart(4)}`,
    ),
  ];
}

/** One line per item and secret form, with every file it was found in. */
function groupLeaks(leaks: EvalRun['secrets']['leaks']): string[] {
  const byKey = new Map<string, string[]>();
  for (const l of leaks) {
    const k = `${rel(l.item)}: "${l.masked}" (${l.form})`;
    byKey.set(k, [...(byKey.get(k) ?? []), l.file]);
  }
  return [...byKey].map(([k, files]) => `${k} in ${files.join(', ')}`);
}

const trim = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function printReport(run: EvalRun, showFailures: boolean): string {
  const rows: Row[] = [];
  for (const s of run.sets) rows.push(...rowsFor(`${s.name} [${s.role}]`, s.figures, s.by_style));
  for (const role of ['held-out', 'tuning'] as const) {
    const g = run.by_role[role];
    // One set of a role is already its own total.
    if (g && run.sets.filter((s) => s.role === role).length > 1) rows.push(...rowsFor(`ALL ${role} sets`, g.figures, g.by_style));
  }
  const t = run.timing;
  const lines = [
    `Sets: ${run.sets.map((s) => `${s.name} (${s.role}, ${s.figures.n})`).join(', ')}`,
    `Questions: ${run.total}. Held-out sets were never used to fit or tune anything; tuning sets were.`,
    '',
    ...rankingTable(rows),
    '',
    ...decisionTable(rows),
    '',
    `Median ms per question: ours ${t.ours_median_ms} (whole pipeline, stored), bm25 ${t.bm25_median_ms}, minisearch ${t.minisearch_median_ms} (ranking only); minisearch index built in ${t.minisearch_build_ms} ms over ${run.docs} documents`,
    `Secrets: ${run.secrets.probes} secret(s) from ${run.secrets.items} question(s) looked for in ${run.secrets.files} stored files (${(run.secrets.bytes / 1e6).toFixed(1)} MB) under the data folder; leaks found: ${run.secrets.leaks.length}`,
    ...groupLeaks(run.secrets.leaks).map((l) => `  LEAK ${l}`),
    ...(run.secrets.present_before_questions.length
      ? [`  not checkable (already in the stored bytes before any question): ${groupLeaks(run.secrets.present_before_questions).join('; ')}`]
      : []),
    `Safety false alarms on in-scope questions: ${run.all.safety_false_alarms}`,
    `Links, every 10th blocklist entry held out: detection ${pct(run.links.detectionRate)}% of ${run.links.heldOut} (a parent domain or sibling is often still loaded)`,
    `Links, every 10th blocklist domain held out with all its hosts (heuristics alone): detection ${pct(run.links.unseenDomainDetectionRate)}% of ${run.links.heldOutDomains}`,
    `Links, official hosts flagged (false alarms): ${pct(run.links.falseAlarmRate)}% of ${run.links.official}`,
  ];
  if (run.label_problems.length) lines.push('', `Label problems (${run.label_problems.length}):`, ...run.label_problems.map((p) => `  ${rel(p)}`));
  if (showFailures) {
    lines.push('', `Failures (${run.failures.length}):`);
    for (const f of run.failures) lines.push(`  ${rel(f.source)} [${f.style}] "${trim(f.q, 110)}" ${f.problem} (${f.kind}, conf ${f.confidence})`);
  }
  return lines.join('\n');
}

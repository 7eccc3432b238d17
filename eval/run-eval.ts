import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../server/config.js';
import { createAssistant } from '../server/assistant.js';
import { loadKnowledge } from '../server/knowledge/knowledge-source.js';
import type { KnowledgeDoc } from '../server/knowledge/types.js';
import { foldDiacritics } from '../server/text/normalise.js';
import { createBaseline } from './baseline.js';
import { EvalSetError, readEvalSet, type EvalItem } from './eval-set.js';
import { byStyle, evaluateItem, failureOf, figuresFor, type Figures, type ItemResult } from './evaluate.js';
import { measureLinkGeneralisation, type LinkFigures } from './link-generalisation.js';
import { createMiniSearchPeer } from './minisearch-peer.js';
import { mergeLeaks, scanForSecrets, type Leak, type SecretProbe } from './secret-scan.js';
import type { SetFile, SetRole } from './set-files.js';

export interface EvalRun {
  total: number;
  /** Headline figures over every question, under the names earlier reports and the before-stop check read. */
  top1: number | null;
  mrr5: number | null;
  fallback_accuracy: number | null;
  safety_recall: number | null;
  confidently_wrong: number | null;
  docs: number;
  sets: Array<{ name: string; file: string; role: SetRole; figures: Figures; by_style: Record<string, Figures> }>;
  by_role: Partial<Record<SetRole, { figures: Figures; by_style: Record<string, Figures> }>>;
  all: Figures;
  timing: { ours_median_ms: number; bm25_median_ms: number; minisearch_median_ms: number; minisearch_build_ms: number };
  secrets: { items: number; probes: number; files: number; bytes: number; leaks: Leak[]; present_before_questions: Leak[] };
  links: LinkFigures;
  /** Labels that name no topic or record we hold: a typo there would count as a failure forever. */
  label_problems: string[];
  failures: Array<{ source: string; set: string; style: string; q: string; problem: string; kind: string; confidence: number; why?: string }>;
}

export interface RunOptions {
  threshold?: number;
  /** A file to write every item's answer to (JSONL: source, question, ask, outcome, hit, text), for reading answers before and after a change. */
  answersFile?: string;
  env?: NodeJS.ProcessEnv;
}

/** Reads the sets; a line claiming `held_out` against its folder is an error naming file and line. */
export function loadSets(sets: SetFile[]): Array<{ set: SetFile; items: EvalItem[] }> {
  return sets.map((set) => {
    const items = readEvalSet(set.file);
    const wrong = items.find((i) => i.heldOut !== undefined && i.heldOut !== (set.role === 'held-out'));
    if (wrong) throw new EvalSetError(`${wrong.source}:${wrong.line}: "held_out": ${wrong.heldOut} disagrees with the folder of the set (${set.role})`);
    return { set, items };
  });
}

const foldTitle = (s: string) => foldDiacritics(s).toLowerCase().replace(/\s+/g, ' ').trim();

/** Topics and procedure titles of the items that no loaded document carries. */
export function checkLabels(items: EvalItem[], docs: KnowledgeDoc[]): string[] {
  const topics = new Set(docs.flatMap((d) => d.topics));
  const titles = new Set(docs.map((d) => foldTitle(d.title)));
  const problems: string[] = [];
  for (const i of items) {
    if (i.topic !== 'none' && i.topic !== 'safety' && !topics.has(i.topic)) problems.push(`${i.source}:${i.line}: no document has topic "${i.topic}"`);
    if (i.procedure && !titles.has(foldTitle(i.procedure))) problems.push(`${i.source}:${i.line}: no document is titled "${i.procedure}"`);
  }
  return problems;
}

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)] * 100) / 100;
}

/**
 * Runs every set through a fresh assistant in a throw-away data folder (the evaluation never
 * writes into the operator's database), logs included, then searches every stored byte for the
 * items' secrets, before and after closing (a WAL is folded into the database on close).
 */
export async function runEval(loaded: Array<{ set: SetFile; items: EvalItem[] }>, opts: RunOptions = {}): Promise<EvalRun> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-eval-'));
  try {
    const env = opts.env ?? process.env;
    // Everything the assistant stores goes under dataDir, whatever the caller's environment says.
    const config = loadConfig({
      ...env,
      DATA_DIR: dataDir,
      DATABASE_PATH: path.join(dataDir, 'dvc.sqlite'),
      INDEX_DIR: path.join(dataDir, 'index'),
      ...(opts.threshold !== undefined ? { ANSWER_THRESHOLD: String(opts.threshold) } : {}),
    });
    fs.mkdirSync(path.join(dataDir, 'logs'));
    const logFile = path.join(dataDir, 'logs', 'assistant.log');
    // Logs at the configured level go to a file the secret scan reads; errors also to stderr.
    const logStream = pino.multistream([
      { level: 'error', stream: pino.destination(2) },
      { level: config.logLevel as pino.Level, stream: pino.destination({ dest: logFile, sync: true }) },
    ]);
    const log = pino({ level: config.logLevel }, logStream);
    const assistant = await createAssistant(config, log);
    const results: ItemResult[] = [];
    const perSet: ItemResult[][] = [];
    let docs = 0;
    let miniBuild = 0;
    let preClose: Leak[] = [];
    let before: Leak[] = [];
    const labelProblems: string[] = [];
    const probes: SecretProbe[] = loaded.flatMap(({ items }) => items.flatMap((i) => (i.secrets ?? []).map((secret) => ({ item: `${i.source}:${i.line}`, secret }))));
    try {
      const knowledge = loadKnowledge({ knowledgeDir: config.knowledgeDir, db: assistant.db, officialUrl: null }).docs;
      docs = knowledge.length;
      labelProblems.push(...checkLabels(loaded.flatMap((l) => l.items), knowledge));
      const bm25 = createBaseline(knowledge);
      const t = performance.now();
      const minisearch = createMiniSearchPeer(knowledge);
      miniBuild = Math.round(performance.now() - t);
      // A secret already in the stored bytes before any question (a number that happens to be in the
      // catalogue) cannot be checked in that file: it is reported apart, never as a leak.
      before = scanForSecrets(dataDir, probes).leaks;
      try {
        for (const { items, set } of loaded) {
          const rs: ItemResult[] = [];
          for (const item of items) rs.push(await evaluateItem({ assistant, docs: knowledge, bm25, minisearch }, item, set));
          perSet.push(rs);
          results.push(...rs);
        }
      } finally {
        bm25.close();
        minisearch.close();
      }
      preClose = scanForSecrets(dataDir, probes).leaks;
    } finally {
      assistant.close();
    }
    const scan = scanForSecrets(dataDir, probes);
    const key = (l: Leak) => `${l.item}\u0000${l.masked}\u0000${l.form}\u0000${l.file.replace(/-(wal|shm)$/, '')}`;
    const unverifiable = new Set(before.map(key));
    const found = mergeLeaks(preClose, scan.leaks);
    const leaks = found.filter((l) => !unverifiable.has(key(l)));
    const leaked = new Set(leaks.map((l) => l.item));

    if (opts.answersFile) {
      const lines = results.map((r) => JSON.stringify({ source: r.source, set: r.set, q: r.q, topic: r.topic, ask: r.ask, kind: r.kind, outcome: r.outcome, hit: r.hit, failed: r.checks.failed, chars: r.chars, text: r.text }));
      fs.writeFileSync(opts.answersFile, lines.join('\n') + '\n');
    }
    const links = measureLinkGeneralisation();
    const group = (rs: ItemResult[]) => ({ figures: figuresFor(rs, leaked), by_style: byStyle(rs, leaked) });
    const byRole: EvalRun['by_role'] = {};
    for (const role of ['held-out', 'tuning'] as const) {
      const rs = results.filter((r) => r.role === role);
      if (rs.length) byRole[role] = group(rs);
    }
    const failures: EvalRun['failures'] = [];
    for (const r of results) {
      const problem = failureOf(r, leaked);
      if (problem) failures.push({ source: r.source, set: r.set, style: r.style, q: r.q, problem, kind: r.kind, confidence: r.confidence, ...(r.why ? { why: r.why } : {}) });
    }
    const all = figuresFor(results, leaked);
    return {
      total: results.length,
      top1: all.shipped_top1,
      mrr5: all.ranking.ours.mrr5,
      fallback_accuracy: all.honest_decline,
      safety_recall: all.safety_recall,
      confidently_wrong: all.confidently_wrong.rate,
      docs,
      sets: loaded.map(({ set }, i) => ({ name: set.name, file: set.file, role: set.role, ...group(perSet[i] ?? []) })),
      by_role: byRole,
      all,
      timing: {
        ours_median_ms: median(results.map((r) => r.ms.ours)),
        bm25_median_ms: median(results.filter((r) => r.cls === 'in-scope').map((r) => r.ms.bm25)),
        minisearch_median_ms: median(results.filter((r) => r.cls === 'in-scope').map((r) => r.ms.minisearch)),
        minisearch_build_ms: miniBuild,
      },
      secrets: { items: new Set(probes.map((p) => p.item)).size, probes: probes.length, files: scan.files, bytes: scan.bytes, leaks, present_before_questions: before },
      links,
      label_problems: labelProblems,
      failures,
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

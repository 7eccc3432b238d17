import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, PROJECT_ROOT } from '../server/config.js';
import { createAssistant } from '../server/assistant.js';
import { loadKnowledge } from '../server/knowledge/knowledge-source.js';
import { evaluate, type EvalReport } from './evaluate.js';
import { readEvalSet, EvalSetError, type EvalItem } from './eval-set.js';
import { measureLinkGeneralisation, type LinkFigures } from './link-generalisation.js';

const USAGE = `Usage: npm run eval -- [--set FILE]... [--json] [--threshold X]
  Default sets: ../shared/eval/dev-questions.jsonl (if present) and eval/sets/*.jsonl.
  --json        print exactly one JSON object on stdout
  --threshold   answer/fallback threshold to evaluate (default: the configured one)`;

function defaultSets(): string[] {
  const sets: string[] = [];
  const shared = path.resolve(PROJECT_ROOT, '..', 'shared', 'eval', 'dev-questions.jsonl');
  if (fs.existsSync(shared)) sets.push(shared);
  const own = path.join(PROJECT_ROOT, 'eval', 'sets');
  if (fs.existsSync(own)) for (const f of fs.readdirSync(own).filter((f) => f.endsWith('.jsonl')).sort()) sets.push(path.join(own, f));
  return sets;
}

function pct(x: number | null): string {
  return x === null ? '  n/a' : `${(x * 100).toFixed(1).padStart(5)}%`;
}

function printReport(report: EvalReport, links: LinkFigures, sets: string[]): void {
  const lines = [
    `Sets: ${sets.map((s) => path.relative(process.cwd(), s)).join(', ')}`,
    `Questions: ${report.total} (${report.counts.topic} with a topic, ${report.counts.none} out of scope, ${report.counts.safety} safety)`,
    '',
    '                         ours   baseline (plain FTS5 BM25)',
    `top-1 topic accuracy    ${pct(report.top1)}   ${pct(report.baseline.top1)}`,
    `MRR@5                   ${pct(report.mrr5)}   ${pct(report.baseline.mrr5)}`,
    '',
    'By style                 n    ours   baseline',
    ...Object.entries(report.by_style).map(([k, v]) => `  ${k.padEnd(20)} ${String(v.n).padStart(3)}  ${pct(v.top1)}  ${pct(v.baseline_top1)}`),
    '',
    `Out of scope answered with a fallback: ${pct(report.fallback_accuracy)}`,
    `Fallback decision: precision ${pct(report.fallback_decision.precision)}, recall ${pct(report.fallback_decision.recall)}, in-scope questions that fell back: ${report.fallback_decision.in_scope_fallbacks}`,
    `Safety recall (kind safety and stored redacted): ${pct(report.safety_recall)}`,
    `Safety false alarms on in-scope questions: ${pct(report.safety_false_alarm_rate)}`,
    `Stored questions still holding a sensitive item: ${report.stored_unredacted}`,
    `Links, every 10th blocklist entry held out: detection ${pct(links.detectionRate)} of ${links.heldOut} (a parent domain or sibling is often still loaded)`,
    `Links, every 10th blocklist domain held out with all its hosts (heuristics alone): detection ${pct(links.unseenDomainDetectionRate)} of ${links.heldOutDomains}`,
    `Links, official hosts flagged (false alarms): ${pct(links.falseAlarmRate)} of ${links.official}`,
    '',
    `Failures (${report.failures.length}):`,
    ...report.failures.map((f) => `  [${f.style}] "${f.q}" expected ${f.expected}, got ${f.got} (${f.kind}, conf ${f.confidence})`),
  ];
  console.log(lines.join('\n'));
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const sets: string[] = [];
  let threshold: number | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--set') sets.push(path.resolve(args[++i] ?? ''));
    else if (args[i] === '--threshold') threshold = Number(args[++i]);
    else if (args[i] !== '--json') {
      console.error(`Unknown argument "${args[i]}"\n${USAGE}`);
      return 2;
    }
  }
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) {
    console.error('--threshold must be a number between 0 and 1');
    return 2;
  }
  const json = args.includes('--json');
  const chosen = sets.length ? sets : defaultSets();
  let items: EvalItem[];
  try {
    items = chosen.flatMap(readEvalSet);
  } catch (err) {
    if (err instanceof EvalSetError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  // A throw-away data folder: the evaluation never writes into the operator's database.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-eval-'));
  try {
    const config = loadConfig({ ...process.env, DATA_DIR: dataDir, ...(threshold !== undefined ? { ANSWER_THRESHOLD: String(threshold) } : {}) });
    const assistant = await createAssistant(config, pino({ level: 'error' }, pino.destination(2)));
    try {
      const { docs } = loadKnowledge({ knowledgeDir: config.knowledgeDir, db: assistant.db, officialUrl: null });
      const report = await evaluate(assistant, items, docs);
      const links = measureLinkGeneralisation();
      if (json) console.log(JSON.stringify({ ...report, links }));
      else printReport(report, links, chosen);
    } finally {
      assistant.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);

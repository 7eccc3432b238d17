import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfigOrExit, PROJECT_ROOT } from '../server/config.js';
import { createAssistant } from '../server/assistant.js';
import { readEvalSet } from '../eval/eval-set.js';
import { listOwnSets } from '../eval/set-files.js';
import { runMain } from './run-main.js';

/**
 * Where the time of one answer goes, stage by stage, with no HTTP in the way: the same question mix
 * as `npm run bench`, answered one after another in this process against a throw-away data
 * folder. Per stage it prints the mean and p95 of the milliseconds each stage recorded, plus the
 * store (commit) and the whole turn, and the process CPU time per answer. `npm run bench` says how
 * fast the server is; this says which stage to look at when it got slower. Asserts nothing.
 *
 * Usage: npm run bench:stages [-- --rounds N]   (run under `node --cpu-prof` for a profile)
 */
function questions(): string[] {
  const sets = [path.resolve(PROJECT_ROOT, '..', 'shared', 'eval', 'dev-questions.jsonl'), ...listOwnSets(path.join(PROJECT_ROOT, 'eval', 'sets')).map((s) => s.file)];
  return sets.filter((f) => fs.existsSync(f)).flatMap((f) => readEvalSet(f).map((i) => i.q));
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--rounds');
  const rounds = at >= 0 ? Number(args[at + 1]) : 2;
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error('Usage: npm run bench:stages [-- --rounds N]  (N ≥ 1)');
    return 2;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-bench-stages-'));
  try {
    const config = loadConfigOrExit({ ...process.env, DATA_DIR: dataDir });
    const assistant = await createAssistant(config, pino({ level: 'warn' }, pino.destination(2)));
    try {
      const qs = questions();
      // One warm-up pass: the JIT and the index's lazy parts, as the server's warm-up does.
      for (const q of qs.slice(0, 50)) await assistant.pipeline.handle({ text: q, channel: 'api' });
      const perStage = new Map<string, number[]>();
      const turns: number[] = [];
      const stores: number[] = [];
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let n = 0;
      for (let r = 0; r < rounds; r++) {
        for (const q of qs) {
          const start = performance.now();
          const { record } = await assistant.pipeline.handle({ text: q, channel: 'api' });
          const whole = performance.now() - start;
          turns.push(whole);
          stores.push(whole - record.latencyMs);
          for (const s of record.stages) {
            const list = perStage.get(s.stage) ?? [];
            list.push(s.ms);
            perStage.set(s.stage, list);
          }
          n++;
        }
      }
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const rows: [string, number[]][] = [...perStage.entries(), ['store', stores], ['whole turn', turns]];
      console.log(`${n} answers (${qs.length} questions × ${rounds}), ${(wall / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms CPU per answer`);
      console.log('stage        mean ms   p95 ms   max ms   share of turn');
      const total = turns.reduce((a, b) => a + b, 0);
      for (const [name, list] of rows) {
        const sorted = [...list].sort((a, b) => a - b);
        const sum = list.reduce((a, b) => a + b, 0);
        console.log(`${name.padEnd(12)} ${(sum / list.length).toFixed(2).padStart(7)} ${quantile(sorted, 0.95).toFixed(2).padStart(8)} ${sorted[sorted.length - 1].toFixed(2).padStart(8)}   ${((100 * sum) / total).toFixed(1).padStart(5)} %`);
      }
    } finally {
      assistant.close();
    }
    return 0;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

runMain(main);

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../server/config.js';
import { createAssistant } from '../server/assistant.js';
import { DEFAULT_CONFIDENCE_MODEL_PATH, FEATURE_NAMES, featureVector, sigmoid, type ConfidenceModel } from '../server/retrieval/confidence.js';
import { readEvalSet } from './eval-set.js';

/**
 * Fits the answer/fallback model: runs the given sets with the threshold at 0 (always answer),
 * labels each question "should answer" when it is in scope and the top source is right, "should
 * fall back" when it is out of scope or the top source is wrong, and fits a small L2-regularised logistic regression on the
 * top candidate's features. With --write the model is saved to server/retrieval/confidence-model.json.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = args.includes('--write');
  // --dump FILE: one JSON line per question (set, style, label, the first candidates' features) for offline analysis.
  const dumpAt = args.indexOf('--dump');
  const dumpFile = dumpAt >= 0 ? args[dumpAt + 1] : undefined;
  const sets = args.filter((a, i) => a !== '--write' && a !== '--dump' && (dumpAt < 0 || i !== dumpAt + 1));
  if (!sets.length) {
    console.error('Usage: tsx eval/tune-confidence.ts SET.jsonl... [--write]');
    process.exit(2);
  }
  const dump: string[] = [];
  const items = sets.flatMap(readEvalSet).filter((i) => i.topic !== 'safety' && !i.turns);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-tune-'));
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, ANSWER_THRESHOLD: '0' });
  const assistant = await createAssistant(config, pino({ level: 'error' }));
  const x: number[][] = [];
  const y: number[] = [];
  let embedder = '';
  for (const item of items) {
    const { record } = await assistant.pipeline.handle({ text: item.q, channel: 'eval', isTest: true, lang: item.lang });
    embedder = record.embedderId ?? '';
    const top = record.candidates[0];
    if (dumpFile)
      dump.push(JSON.stringify({ set: item.source, style: item.style, topic: item.topic, q: item.q, candidates: record.candidates.slice(0, 5).map((c) => ({ id: c.id, topics: c.topics, score: c.score, features: c.features })) }));
    if (!top) continue;
    if (item.topic === 'none') {
      x.push(featureVector(top.features));
      y.push(0);
    } else {
      // An in-scope question whose first candidate is the wrong article is as much a "do not
      // answer" as an out-of-scope one: answering it is the confidently wrong reply the model
      // exists to prevent (decision 0020). Leaving such questions out, as before, taught the
      // model nothing about them.
      x.push(featureVector(top.features));
      y.push(top.topics.includes(item.topic) ? 1 : 0);
    }
  }
  assistant.close();
  if (dumpFile) fs.writeFileSync(dumpFile, dump.join('\n') + '\n');
  fs.rmSync(dataDir, { recursive: true, force: true });

  // Class weights balance the few out-of-scope examples against the many in-scope ones.
  const pos = y.filter((v) => v === 1).length;
  const neg = y.length - pos;
  const cw = (label: number) => (label === 1 ? y.length / (2 * pos) : y.length / (2 * neg));
  const w = new Array(FEATURE_NAMES.length).fill(0);
  let b = 0;
  const lambda = 0.001;
  for (let epoch = 0; epoch < 20000; epoch++) {
    const gw = new Array(w.length).fill(0);
    let gb = 0;
    x.forEach((row, i) => {
      const p = sigmoid(b + row.reduce((s, v, j) => s + v * w[j], 0));
      const err = (p - y[i]) * cw(y[i]);
      row.forEach((v, j) => (gw[j] += err * v));
      gb += err;
    });
    for (let j = 0; j < w.length; j++) w[j] -= 0.5 * (gw[j] / x.length + lambda * w[j]);
    b -= 0.5 * (gb / x.length);
  }
  const probs = x.map((row) => sigmoid(b + row.reduce((s, v, j) => s + v * w[j], 0)));
  const rates = (th: number) => {
    let tp = 0, tn = 0;
    probs.forEach((p, i) => {
      if (y[i] === 1 && p >= th) tp++;
      if (y[i] === 0 && p < th) tn++;
    });
    return { threshold: th, answerRate: +(tp / pos).toFixed(3), fallbackRate: +(tn / neg).toFixed(3) };
  };
  const model: ConfidenceModel = {
    bias: +b.toFixed(4),
    weights: Object.fromEntries(FEATURE_NAMES.map((n, j) => [n, +w[j].toFixed(4)])) as ConfidenceModel['weights'],
    fittedOn: sets.map((s) => path.basename(s)).join(', ') + ` (${pos} to answer, ${neg} to decline: out of scope or wrong first source)`,
    fittedAt: new Date().toISOString().slice(0, 10),
    embedder,
  };
  console.log(JSON.stringify({ model, atThresholds: [0.3, 0.4, 0.5, 0.6, 0.7].map(rates) }, null, 2));
  if (write) fs.writeFileSync(DEFAULT_CONFIDENCE_MODEL_PATH, JSON.stringify(model, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

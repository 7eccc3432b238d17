/**
 * Measures the Bahnar language profile on held-out data: trained on the train split of the
 * shipped sentence pairs, tested on the test split — Bahnar sides as positives, Vietnamese
 * sides (as written and without diacritics) as negatives — and checks that no Vietnamese
 * question of the evaluation sets flips to another language.
 */
import fs from 'node:fs';
import path from 'node:path';
import { foldDiacritics } from '../text/normalise.js';
import { createLanguageDetector, loadBahnarCorpus, loadEnglishExamples, loadKeywordTable, trainProfile, DEFAULT_DETECTOR_SETTINGS, type DetectorSettings } from '../i18n/language-detect.js';
import { projectPath } from '../project-root.js';
import { listOwnSets } from '../../eval/set-files.js';

const ROOT = projectPath();

export interface DetectionEval {
  train: number;
  bahnar: { total: number; correct: number };
  vietnamese: { total: number; correct: number };
  vietnameseNoDiacritics: { total: number; correct: number };
  accuracy: number;
  precision: number;
  recall: number;
  questions: { total: number; flipped: Array<{ q: string; lang: string; reason: string }> };
  /** English questions of the same sets not detected as English (not a hard requirement, reported). */
  english: { total: number; missed: Array<{ q: string; lang: string; reason: string }> };
  missedExamples: string[];
}

/** Questions of the shared dev set and the project's own evaluation sets in one language (dev-set "english" style = en). */
export function evalQuestions(lang: 'vi' | 'en', root: string = ROOT): string[] {
  const files = [path.resolve(root, '../shared/eval/dev-questions.jsonl')];
  files.push(...listOwnSets(path.join(root, 'eval', 'sets')).map((s) => s.file));
  const out: string[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as { q?: string; turns?: string[]; lang?: string; style?: string };
      if ((r.lang ?? (r.style === 'english' ? 'en' : 'vi')) !== lang) continue;
      for (const q of [...(r.q ? [r.q] : []), ...(r.turns ?? [])]) out.push(q);
    }
  }
  return out;
}

export function evaluateDetection(knowledgeDir: string = path.join(ROOT, 'knowledge'), settings: DetectorSettings = DEFAULT_DETECTOR_SETTINGS): DetectionEval {
  const corpus = loadBahnarCorpus(knowledgeDir);
  if (!corpus) throw new Error(`no Bahnar corpus under ${knowledgeDir}/translation/bahnar`);
  const detector = createLanguageDetector(trainProfile(corpus.train.bdq, corpus.train.vi, loadEnglishExamples(knowledgeDir)), settings, loadKeywordTable(knowledgeDir));
  const offered = ['vi', 'en', 'bdq'];
  const isBdq = (t: string) => detector.detect(t, { offered }).lang === 'bdq';
  const missed: string[] = [];
  const bCorrect = corpus.test.bdq.filter((t) => {
    const ok = isBdq(t);
    if (!ok && missed.length < 10) missed.push(t);
    return ok;
  }).length;
  const vCorrect = corpus.test.vi.filter((t) => !isBdq(t)).length;
  const folded = corpus.test.vi.map((t) => foldDiacritics(t));
  const fCorrect = folded.filter((t) => !isBdq(t)).length;
  const tp = bCorrect;
  const fp = corpus.test.vi.length - vCorrect + (folded.length - fCorrect);
  const total = corpus.test.bdq.length + corpus.test.vi.length + folded.length;
  const all = ['vi', 'en', 'bdq', 'km', 'blt'];
  const questions = evalQuestions('vi');
  const flipped = questions
    .map((q) => ({ q, ...detector.detect(q, { offered: all }) }))
    .filter((r) => r.lang !== 'vi')
    .map((r) => ({ q: r.q, lang: r.lang, reason: r.reason }));
  const english = evalQuestions('en');
  const englishMissed = english.map((q) => ({ q, ...detector.detect(q, { offered: all }) })).filter((r) => r.lang !== 'en').map((r) => ({ q: r.q, lang: r.lang, reason: r.reason }));
  return {
    train: corpus.train.bdq.length,
    bahnar: { total: corpus.test.bdq.length, correct: bCorrect },
    vietnamese: { total: corpus.test.vi.length, correct: vCorrect },
    vietnameseNoDiacritics: { total: folded.length, correct: fCorrect },
    accuracy: (bCorrect + vCorrect + fCorrect) / total,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: corpus.test.bdq.length ? tp / corpus.test.bdq.length : 0,
    questions: { total: questions.length, flipped },
    english: { total: english.length, missed: englishMissed },
    missedExamples: missed,
  };
}

export function formatDetectionEval(e: DetectionEval): string {
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  return [
    `Bahnar detection (character 1–3-gram profile, trained on ${e.train} Bahnar + ${e.train} Vietnamese sentences and the English articles)`,
    `  held-out Bahnar sentences detected as Bahnar:       ${e.bahnar.correct}/${e.bahnar.total} (recall ${pct(e.recall)})`,
    `  held-out Vietnamese sentences kept Vietnamese:      ${e.vietnamese.correct}/${e.vietnamese.total}`,
    `  same Vietnamese without diacritics kept Vietnamese: ${e.vietnameseNoDiacritics.correct}/${e.vietnameseNoDiacritics.total}`,
    `  accuracy ${pct(e.accuracy)}, precision ${pct(e.precision)}`,
    `Vietnamese evaluation questions flipped to another language: ${e.questions.flipped.length}/${e.questions.total}`,
    ...e.questions.flipped.map((f) => `  FLIPPED to ${f.lang}: ${f.q} (${f.reason})`),
    `English evaluation questions detected as English: ${e.english.total - e.english.missed.length}/${e.english.total}`,
    ...e.english.missed.map((f) => `  not English (${f.lang}): ${f.q} (${f.reason})`),
  ].join('\n');
}

/**
 * Prints the accuracy of Bahnar language detection on held-out sentence pairs and checks that
 * no Vietnamese evaluation question flips to another language. Exit 1 on any flip.
 *
 *   npx tsx scripts/translation-detect-eval.ts [--json] [--missed]
 */
import { evaluateDetection, formatDetectionEval } from '../server/translation/detect-eval.js';

const result = evaluateDetection();
if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
else {
  console.log(formatDetectionEval(result));
  if (process.argv.includes('--missed')) for (const m of result.missedExamples) console.log(`  missed: ${m}`);
}
process.exit(result.questions.flipped.length ? 1 : 0);

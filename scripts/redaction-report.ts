/**
 * Prints the secret detector's recall per kind and false-positive rate per look-alike category
 * on server/safety/redaction-corpus.jsonl, with every miss and false alarm.
 * Usage: npm run redaction:report [-- path/to/corpus.jsonl]
 */
import { loadCorpus, measureRedaction, REDACTION_CORPUS_PATH } from '../server/safety/redaction-corpus.js';

const report = measureRedaction(loadCorpus(process.argv[2] ?? REDACTION_CORPUS_PATH));
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
console.log('Secrets (recall = share removed from the redacted text)');
for (const [kind, f] of Object.entries(report.secrets)) console.log(`  ${kind.padEnd(13)} ${String(f.ok).padStart(4)}/${String(f.total).padEnd(4)} recall ${pct(f.recall)}`);
console.log('Harmless look-alikes (false positive = anything redacted)');
for (const [cat, f] of Object.entries(report.harmless)) console.log(`  ${cat.padEnd(15)} ${String(f.total - f.ok).padStart(3)}/${String(f.total).padEnd(4)} false positives ${pct(f.falsePositiveRate)}`);
console.log(`Overall: recall ${pct(report.overall.recall)} on ${report.overall.secrets} secrets; false positives ${pct(report.overall.falsePositiveRate)} on ${report.overall.harmless} look-alikes`);
const failures = [...Object.values(report.secrets).flatMap((f) => f.failures.map((x) => `MISS  ${x}`)), ...Object.values(report.harmless).flatMap((f) => f.failures.map((x) => `FALSE ${x}`))];
for (const f of failures) console.log(f);

/**
 * Builds the Bahnar translation memory and glossary shipped in knowledge/translation/bahnar/
 * from the BARTBahnar data in ../shared/data/bahnar/ (Apache-2.0), and prints what the
 * encoding repair did. Re-running on the same input gives the same files.
 *
 *   npx tsx scripts/translation-build-bahnar.ts [--from DIR] [--out DIR] [--check]
 *
 * --check  build in memory and compare with the shipped files; exit 1 when they differ.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createEncodingRepairer } from '../server/text/encoding-repair.js';
import { buildGlossary, buildTranslationMemory } from '../server/translation/bahnar-corpus.js';
import { PROJECT_ROOT } from '../server/project-root.js';

const ROOT = PROJECT_ROOT;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function main(): number {
  const from = arg('--from', path.resolve(ROOT, '../shared/data/bahnar'));
  const out = arg('--out', path.join(ROOT, 'knowledge/translation/bahnar'));
  const check = process.argv.includes('--check');
  const repairer = createEncodingRepairer();

  const pairs = fs.readFileSync(path.join(from, 'bahnar-vietnamese-pairs.csv'), 'utf8');
  const { records, report } = buildTranslationMemory(pairs, repairer);
  const dict = fs.readFileSync(path.join(from, 'bahnar-vietnamese-dictionary.csv'), 'utf8');
  const { glossary, report: g } = buildGlossary(dict, repairer);

  const tm = records.map((r) => JSON.stringify({ id: r.id, vi: r.vi, bdq: r.bdq, encoding: r.encoding, split: r.split })).join('\n') + '\n';
  const gl =
    'vi\tbdq\n' +
    [...glossary.entries()]
      .sort(([a], [b]) => a.localeCompare(b, 'vi'))
      .map(([term, glosses]) => `${term}\t${glosses.join(' | ')}`)
      .join('\n') +
    '\n';
  const stats = {
    pairs: report.pairs,
    bahnar_lines_unchanged: report.unchanged,
    bahnar_lines_repaired: report.repaired,
    bahnar_lines_rejected_by_repair: report.rejected.length,
    rejected: report.rejected,
    bahnar_lines_with_residual_legacy_letters: report.residualLegacy.length,
    residual_legacy_pair_ids: report.residualLegacy,
    empty_pairs: report.empty.length,
    tm_pairs: report.kept,
    tm_train: report.train,
    tm_test: report.test,
    dictionary_entries: g.entries,
    dictionary_entries_kept: g.kept,
    dictionary_entries_noisy: g.noisy,
    dictionary_entries_rejected_by_repair: g.rejected,
    dictionary_entries_repaired: g.repaired,
    glossary_vietnamese_terms: g.viTerms,
  };
  const statsJson = JSON.stringify(stats, null, 2) + '\n';

  console.log(`pairs: ${report.pairs}`);
  console.log(`  Bahnar side: ${report.unchanged} already Unicode, repaired ${JSON.stringify(report.repaired)}, ${report.rejected.length} rejected by the repairer, ${report.residualLegacy.length} left out (VNI letters still visible after repair), ${report.empty.length} empty`);
  for (const r of report.rejected) console.log(`    rejected pair ${r.id}: ${r.reason.slice(0, 160)}`);
  console.log(`  translation memory: ${report.kept} pairs (${report.train} train, ${report.test} held out for detection tests)`);
  console.log(`dictionary: ${g.entries} entries, ${g.kept} kept, ${g.noisy} noisy, ${g.rejected} rejected by the repairer, ${g.repaired} repaired`);
  console.log(`  glossary: ${g.viTerms} Vietnamese terms`);

  const files: Record<string, string> = { 'tm.vi-bdq.jsonl': tm, 'glossary.vi-bdq.tsv': gl, 'build-stats.json': statsJson };
  if (check) {
    const differ = Object.entries(files).filter(([name, text]) => !fs.existsSync(path.join(out, name)) || fs.readFileSync(path.join(out, name), 'utf8') !== text);
    if (differ.length) {
      console.error(`out of date: ${differ.map(([n]) => n).join(', ')}`);
      return 1;
    }
    console.log('shipped files are up to date');
    return 0;
  }
  fs.mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(out, name), text);
  const licence = path.join(out, 'LICENSE-BARTBahnar.txt');
  fs.writeFileSync(licence, fs.readFileSync(path.join(from, 'LICENSE-BARTBahnar.txt')));
  fs.chmodSync(licence, 0o644);
  console.log(`wrote ${Object.keys(files).join(', ')} and LICENSE-BARTBahnar.txt to ${path.relative(process.cwd(), out) || out}`);
  return 0;
}

process.exit(main());

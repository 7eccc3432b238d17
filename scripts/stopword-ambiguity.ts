import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { PROJECT_ROOT } from '../server/config.js';
import { foldDiacritics, tokenize } from '../server/text/normalise.js';

/**
 * Finds folded stop words that are also common content syllables in the Vietnamese articles
 * (e.g. "dang": đang / đăng) and writes them to `ambiguous_folded` in stopwords.yaml.
 */
const MIN_COUNT = 3;
const file = path.join(PROJECT_ROOT, 'knowledge', 'dictionaries', 'stopwords.yaml');
const doc = parseDocument(fs.readFileSync(file, 'utf8'));
const stop = new Set((doc.get('vietnamese') as { toJSON(): string[] }).toJSON().map((w) => w.normalize('NFC').toLowerCase()));
const counts = new Map<string, number>();
const dir = path.join(PROJECT_ROOT, 'knowledge', 'articles', 'vi');
for (const f of fs.readdirSync(dir)) for (const t of tokenize(fs.readFileSync(path.join(dir, f), 'utf8').normalize('NFC').toLowerCase())) counts.set(t, (counts.get(t) ?? 0) + 1);
const ambiguous = new Set<string>();
for (const [word, n] of counts) {
  if (n < MIN_COUNT || stop.has(word)) continue;
  const folded = foldDiacritics(word);
  if ([...stop].some((s) => foldDiacritics(s) === folded)) ambiguous.add(folded);
}
doc.set('ambiguous_folded', [...ambiguous].sort());
fs.writeFileSync(file, doc.toString({ lineWidth: 100, flowCollectionPadding: false }));
console.log(`${ambiguous.size} ambiguous folded stop words: ${[...ambiguous].sort().join(', ')}`);

import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PROJECT_ROOT } from '../server/config.js';

const USAGE = `Usage: npm run make:national-catalogue -- --out FILE [--from FILE] [--levels a,b,…]
  Writes a national-scale catalogue for benchmarks and the evaluation: every record of the source
  catalogue as a national record, plus a copy for each of the 34 provinces (province in the title
  and the agency) at each local level (default: tỉnh, xã, phường, đặc khu) — the way the national
  database repeats a procedure per province and level. Nothing in it is new content.
  --from    source catalogue (default: the shipped sample catalogue knowledge/procedures/dvc-procedures-2021.json)
  --levels  which local levels to repeat each record at`;

/** How a level is written in a record's agency: the unit that carries it out. */
const LEVEL_AGENCY: Record<string, (agency: string) => string> = {
  'tỉnh': (agency) => agency || 'Ủy ban nhân dân cấp tỉnh',
  'xã': () => 'Ủy ban nhân dân xã',
  'phường': () => 'Ủy ban nhân dân phường',
  'đặc khu': () => 'Ủy ban nhân dân đặc khu',
};

function main(): number {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const out = value('--out');
  if (!out || args.includes('--help')) {
    console.error(USAGE);
    return out ? 0 : 2;
  }
  const from = path.resolve(value('--from') ?? path.join(PROJECT_ROOT, 'knowledge', 'procedures', 'dvc-procedures-2021.json'));
  const levels = (value('--levels') ?? Object.keys(LEVEL_AGENCY).join(',')).split(',').map((l) => l.trim());
  const unknown = levels.filter((l) => !LEVEL_AGENCY[l]);
  if (unknown.length) {
    console.error(`Unknown level(s): ${unknown.join(', ')}; known: ${Object.keys(LEVEL_AGENCY).join(', ')}`);
    return 2;
  }
  if (!fs.existsSync(from)) {
    console.error(`No such catalogue: ${from}`);
    return 2;
  }
  const source = JSON.parse(fs.readFileSync(from, 'utf8')) as Array<Record<string, unknown>>;
  // The province list is the same data the scope rule reads.
  const scope = parseYaml(fs.readFileSync(path.join(PROJECT_ROOT, 'knowledge', 'dictionaries', 'procedure-scope.yaml'), 'utf8')) as {
    provinces: Array<{ name: string; kind?: string }>;
  };
  const records: Array<Record<string, unknown>> = [...source];
  for (const p of scope.provinces) {
    const place = `${p.kind ?? 'tỉnh'} ${p.name}`;
    for (const level of levels) {
      for (const r of source) {
        const agency = typeof r['Cơ quan thực hiện'] === 'string' ? (r['Cơ quan thực hiện'] as string).trim().replace(/\.$/, '') : '';
        records.push({ ...r, title: `${r.title} (${place})`, 'Cơ quan thực hiện': `${LEVEL_AGENCY[level](agency)}, ${place}` });
      }
    }
  }
  fs.writeFileSync(out, JSON.stringify(records));
  console.log(`${records.length} records (${source.length} national + ${source.length} × ${scope.provinces.length} provinces × ${levels.length} levels) written to ${out}`);
  return 0;
}

process.exit(main());

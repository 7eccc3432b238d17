import fs from 'node:fs';
import { loadConfigOrExit } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { readCatalogueFile, storeProcedures } from '../server/knowledge/procedures.js';

const USAGE = `Usage: npm run import:procedures -- FILE [--date YYYY or YYYY-MM-DD]
  Imports a CSDL-TTHC-shaped catalogue export (a JSON array of procedure records with
  "title", "Trình tự thực hiện", "Cách thức thực hiện", "Thành phần hồ sơ", "Cơ quan thực hiện")
  into the database; then run "npm run ingest" (or restart) to index it.
  --date  when the catalogue was published, shown beside every answer built from it`;

function main(): number {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--date');
  const dateIdx = args.indexOf('--date');
  const date = dateIdx >= 0 ? args[dateIdx + 1] : null;
  if (!file || args.includes('--help')) {
    console.error(USAGE);
    return file ? 0 : 2;
  }
  if (date !== null && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(date ?? '')) {
    console.error(`--date must look like 2021 or 2021-06-30, got "${date}"`);
    return 2;
  }
  if (!fs.existsSync(file)) {
    console.error(`No such file: ${file}`);
    return 2;
  }
  const report = readCatalogueFile(file, date);
  for (const e of report.errors) console.error(e.index >= 0 ? `record ${e.index}: ${e.message}` : e.message);
  if (report.records.length === 0) {
    console.error('Nothing imported: no valid procedure record in the file.');
    return 1;
  }
  const config = loadConfigOrExit();
  const db = openDatabase(config.databasePath);
  try {
    const counts = storeProcedures(db, report.records);
    console.log(`${report.records.length} valid records: ${counts.inserted} new, ${counts.updated} updated, ${counts.unchanged} unchanged; ${report.duplicates} duplicates skipped; ${report.errors.length} rejected.`);
    console.log('Run "npm run ingest" to index them (a running server picks the new index up by itself).');
    return report.errors.length ? 1 : 0;
  } finally {
    db.close();
  }
}

process.exit(main());

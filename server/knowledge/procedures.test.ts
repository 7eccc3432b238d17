import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config.js';
import { openDatabase } from '../db/database.js';
import { loadProcedures, loadTopicRules, parseCatalogue, procedureToDoc, readCatalogueFile, storeProcedures, topicsForTitle } from './procedures.js';
import { tempDir } from '../test-support/temp-dir.js';
import { sharedData } from '../test-support/shared-data.js';

// The sample catalogue as shipped (knowledge/procedures/NOTICE.md), a verbatim copy of the team's original.
const SHARED = path.join(PROJECT_ROOT, 'knowledge', 'procedures', 'dvc-procedures-2021.json');
const original = sharedData('data/procedures/dvc-procedures-2021.json');
const RULES = loadTopicRules(path.join(PROJECT_ROOT, 'knowledge', 'dictionaries', 'procedure-topics.yaml'));
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('the shipped sample catalogue', () => {
  it.skipIf(!original.present)(`is a verbatim copy of the original, with a provenance notice${original.note}`, () => {
    expect(fs.readFileSync(SHARED)).toEqual(fs.readFileSync(original.path));
    const notice = fs.readFileSync(path.join(PROJECT_ROOT, 'knowledge', 'procedures', 'NOTICE.md'), 'utf8');
    expect(notice).toContain('shared/data/procedures/dvc-procedures-2021.json');
    expect(notice).toMatch(/Source:.*dichvucong_7sins/);
  });
});

describe('procedure catalogue import', () => {
  it('imports the 87 shared records (2 exact duplicates kept once) and cleans scraping artefacts', () => {
    const report = readCatalogueFile(SHARED, '2021');
    expect(report.errors).toEqual([]);
    expect(report.records.length + report.duplicates).toBe(87);
    expect(report.duplicates).toBe(2);
    const residence = report.records.find((r) => r.title === 'Đăng ký thường trú')!;
    expect(residence.steps).not.toContain('</p>');
    expect(residence.ways[0].deadline).toMatch(/07 Ngày làm việc/);
    expect(JSON.stringify(report.records)).not.toContain('Xem chi tiết');
    // Empty "?ma=" links from the scraper are not passed on as form links.
    expect(report.records.flatMap((r) => r.documents).every((d) => d.formUrl === null || !d.formUrl.endsWith('ma='))).toBe(true);
  });

  it('maps records to coverage-map topics from data', () => {
    const { records } = readCatalogueFile(SHARED, '2021');
    const doc = procedureToDoc(records.find((r) => r.title === 'Đăng ký thường trú')!, RULES, 'https://dichvucong.gov.vn');
    expect(doc.topics).toEqual(['service.residence-registration']);
    expect(doc.sections.map((s) => s.heading)).toContain('Thành phần hồ sơ');
    expect(doc.updated).toBe('2021');
    const birth = records.filter((r) => /khai sinh/i.test(r.title)).map((r) => procedureToDoc(r, RULES, null));
    expect(birth.length).toBeGreaterThan(3);
    expect(birth.every((d) => d.topics.includes('service.birth-registration'))).toBe(true);
  });

  it('matches a rule on whole words: "Đăng ký xét tuyển" is not vehicle registration', () => {
    expect(topicsForTitle('Đăng ký xét tuyển trình độ đại học, trình độ cao đẳng ngành giáo dục mầm non', RULES)).toEqual([]);
    expect(topicsForTitle('Đăng ký xe mô tô', RULES)).toEqual(['service.vehicle-registration']);
    expect(topicsForTitle('Sang tên xe', RULES)).toEqual(['service.vehicle-registration']);
  });

  it('is idempotent: re-importing changes nothing', () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = openDatabase(path.join(dir, 'a.sqlite'));
    const { records } = readCatalogueFile(SHARED, '2021');
    expect(storeProcedures(db, records).inserted).toBe(records.length);
    expect(storeProcedures(db, records)).toEqual({ inserted: 0, updated: 0, unchanged: records.length });
    expect(loadProcedures(db)).toHaveLength(records.length);
    db.close();
  });

  it('reports bad records and bad files without crashing', () => {
    expect(parseCatalogue({ not: 'an array' }, 's', null).errors[0].message).toMatch(/JSON array/);
    const r = parseCatalogue([{ title: '' }, 42, { title: 'Chỉ có tên' }, { title: 'Đủ', 'Trình tự thực hiện': 'Bước 1' }], 's', null);
    expect(r.records.map((x) => x.title)).toEqual(['Đủ']);
    expect(r.errors.map((e) => e.index)).toEqual([0, 1, 2]);
    const dir = tempDir();
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ nope');
    expect(readCatalogueFile(path.join(dir, 'bad.json'), null).errors[0].message).toMatch(/not valid JSON/);
    expect(readCatalogueFile(path.join(dir, 'missing.json'), null).errors[0].message).toMatch(/cannot read/);
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config.js';
import { loadScopeRules, parseScopeRules, procedureScope, scopeOf, ScopeRulesError } from './procedure-scope.js';
import { groupProcedures } from './procedure-groups.js';
import { loadTopicRules, readCatalogueFile, type ProcedureRecord } from './procedures.js';

const RULES = loadScopeRules(path.join(PROJECT_ROOT, 'knowledge', 'dictionaries', 'procedure-scope.yaml'));
const TOPICS = loadTopicRules(path.join(PROJECT_ROOT, 'knowledge', 'dictionaries', 'procedure-topics.yaml'));
const SHARED = path.join(PROJECT_ROOT, 'knowledge', 'procedures', 'dvc-procedures-2021.json');

function record(over: Partial<ProcedureRecord>): ProcedureRecord {
  return {
    id: over.id ?? `proc-${Math.random().toString(16).slice(2, 12)}`,
    title: 'Đăng ký thường trú',
    agency: 'Công an xã',
    steps: 'Bước 1: nộp hồ sơ.',
    ways: [{ channel: 'Trực tuyến', deadline: '07 Ngày làm việc', fee: '', description: '' }],
    documents: [{ name: 'Tờ khai CT01', formUrl: null, copies: '1' }],
    recordDate: '2021',
    source: 'test.json',
    ...over,
  };
}

describe('procedure scope rule (knowledge/dictionaries/procedure-scope.yaml)', () => {
  it('lists the 34 provinces of 2025 and maps former provinces to their successor', () => {
    expect(new Set(RULES.successor.values()).size).toBe(34);
    expect(RULES.successor.get('kon-tum')).toBe('quang-ngai');
    expect(procedureScope('kon-tum', RULES).provinces).toEqual(['kon-tum', 'quang-ngai']);
    expect(procedureScope('dong-nai', RULES).provinces).toEqual(['dong-nai']);
    // The national profile is answered from national records only.
    expect(procedureScope('national', RULES).provinces).toEqual([]);
  });

  it('takes the province from a locality field first, then the agency, then the title', () => {
    expect(scopeOf(record({ extra: { 'Địa phương': 'Bà Rịa - Vũng Tàu' }, agency: 'Sở Tư pháp tỉnh Gia Lai' }), RULES).province).toBe('ho-chi-minh');
    expect(scopeOf(record({ agency: 'Sở Tư pháp tỉnh Gia Lai', title: 'Đăng ký thường trú (tỉnh Sơn La)' }), RULES).province).toBe('gia-lai');
    const byTitle = scopeOf(record({ title: 'Đăng ký thường trú (thành phố Hồ Chí Minh)', agency: 'Công an xã' }), RULES);
    expect(byTitle).toMatchObject({ province: 'ho-chi-minh', baseTitle: 'Đăng ký thường trú', groupKey: 'title:dang ky thuong tru' });
    expect(scopeOf(record({ title: 'Dang ky thuong tru - tinh Kon Tum' }), RULES)).toMatchObject({ province: 'quang-ngai', baseTitle: 'Dang ky thuong tru' });
  });

  it('treats a record naming no province as national', () => {
    expect(scopeOf(record({ agency: 'Bộ Nội vụ', title: 'Thủ tục đăng ký khai sinh' }), RULES)).toMatchObject({ province: null, level: 'central' });
  });

  it('does not read "xã hội" or "địa phương" as the commune level, nor "Thuế" as Huế', () => {
    expect(scopeOf(record({ agency: 'Bảo hiểm xã hội cấp huyện' }), RULES).level).not.toBe('commune');
    expect(scopeOf(record({ agency: 'Các cơ sở khám chữa bệnh Trung ương và địa phương' }), RULES).level).not.toBe('commune');
    expect(scopeOf(record({ agency: 'Ủy ban nhân dân xã, tỉnh Gia Lai' }), RULES).level).toBe('commune');
    expect(scopeOf(record({ agency: 'Cục Thuế tỉnh' }), RULES)).toMatchObject({ province: null, level: 'province' });
  });

  it('groups by a procedure code field when the export has one', () => {
    const a = scopeOf(record({ title: 'Cấp giấy A', extra: { 'Mã thủ tục': '1.000123' } }), RULES);
    const b = scopeOf(record({ title: 'Cấp giấy A (bản tỉnh)', extra: { 'Mã thủ tục': '1.000123' } }), RULES);
    expect(a.groupKey).toBe(b.groupKey);
  });

  it('finds no province in any of the 87 sample records', () => {
    const { records } = readCatalogueFile(SHARED, '2021');
    expect(records.filter((r) => scopeOf(r, RULES).province !== null)).toEqual([]);
  });

  it('rejects a broken rule file with a clear error', () => {
    expect(() => parseScopeRules('provinces: []')).toThrow(ScopeRulesError);
    expect(() => parseScopeRules('provinces: [{ name: "Gia Lai" }]')).toThrow(/code/);
    expect(() => parseScopeRules('provinces: [{ code: a, name: X }, { code: b, name: X }]')).toThrow(/two provinces/);
    expect(() => parseScopeRules('provinces: [{ code: a, name: X }]\nlevels: [{ level: x, match: "(" }]')).toThrow(ScopeRulesError);
    expect(() => parseScopeRules('provinces: [')).toThrow(/YAML/);
  });
});

describe('procedures with variants', () => {
  const national = record({ id: 'proc-national', agency: 'Bộ Công an' });
  const giaLai = record({ id: 'proc-gialai', title: 'Đăng ký thường trú (tỉnh Gia Lai)', agency: 'Ủy ban nhân dân xã, tỉnh Gia Lai' });
  const giaLaiWard = record({ id: 'proc-gialai-2', title: 'Đăng ký thường trú (tỉnh Gia Lai)', agency: 'Ủy ban nhân dân phường, tỉnh Gia Lai' });
  const sonLa = record({ id: 'proc-sonla', title: 'Đăng ký thường trú (tỉnh Sơn La)', agency: 'Sở Tư pháp tỉnh Sơn La' });

  it('indexes the same procedure in several provinces and levels once, with every record as a variant', () => {
    const docs = groupProcedures([giaLai, national, sonLa, giaLaiWard], { scopeRules: RULES, topicRules: TOPICS, officialUrl: null });
    expect(docs).toHaveLength(1);
    const [doc] = docs;
    expect(doc.id).toMatch(/^proc-g-/);
    expect(doc.title).toBe('Đăng ký thường trú');
    // The national record is the one searched.
    expect(doc.sections.find((s) => s.heading === 'Cơ quan thực hiện')?.text).toBe('Bộ Công an');
    expect(doc.variants!.map((v) => [v.recordId, v.province])).toEqual([
      // National first, then by level (province before commune), then by province.
      ['proc-national', null],
      ['proc-sonla', 'son-la'],
      ['proc-gialai', 'gia-lai'],
      ['proc-gialai-2', 'gia-lai'],
    ]);
    expect(doc.topics.length).toBeGreaterThan(0);
  });

  it('keeps a single record as it was (its own id and title)', () => {
    const [doc] = groupProcedures([national], { scopeRules: RULES, topicRules: TOPICS, officialUrl: null });
    expect(doc.id).toBe('proc-national');
    expect(doc.variants).toHaveLength(1);
  });

  it('keeps different procedures with the same title apart', () => {
    const other = record({ id: 'proc-other', agency: 'Bộ Tư pháp', steps: 'Một trình tự khác.' });
    const docs = groupProcedures([national, other], { scopeRules: RULES, topicRules: TOPICS, officialUrl: null });
    expect(docs.map((d) => d.id).sort()).toEqual(['proc-national', 'proc-other']);
  });

  it('groups the sample catalogue exactly as its records (no province repeats in it)', () => {
    const { records } = readCatalogueFile(SHARED, '2021');
    const docs = groupProcedures(records, { scopeRules: RULES, topicRules: TOPICS, officialUrl: null });
    expect(docs.map((d) => d.id).sort()).toEqual(records.map((r) => r.id).sort());
  });
});

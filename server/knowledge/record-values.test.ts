import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config.js';
import { readCatalogueFile, procedureToDoc, loadTopicRules, DISTRICT_NOTE } from './procedures.js';
import { explainAbbreviations, isDistrictAgency, knownDeadline, knownFee, loadRecordWording, parseRecordWording, RecordWordingError, singleDeadline, waysLines } from './record-values.js';

const DICT = path.join(PROJECT_ROOT, 'knowledge', 'dictionaries');
const wording = loadRecordWording(path.join(DICT, 'record-wording.yaml'));
const RULES = loadTopicRules(path.join(DICT, 'procedure-topics.yaml'));
const CATALOGUE = path.join(PROJECT_ROOT, 'knowledge', 'procedures', 'dvc-procedures-2021.json');

describe('values a record cannot mean', () => {
  it.each(['0', '0 Ngày', '', '  ', '30', '1', 'khác', 'Khác', 'Không xác định', 'Không có'])('deadline %j is unknown', (raw) => {
    expect(knownDeadline(raw)).toBe('');
  });

  it('keeps real deadlines, with the unit in lower case and no doubled full stop', () => {
    expect(knownDeadline('07 Ngày làm việc')).toBe('07 ngày làm việc');
    expect(knownDeadline('1 Tháng')).toBe('1 tháng');
    expect(knownDeadline('Ngay trong ngày tiếp nhận hồ sơ; trả kết quả trong ngày làm việc tiếp theo.')).toBe('Ngay trong ngày tiếp nhận hồ sơ; trả kết quả trong ngày làm việc tiếp theo');
    expect(knownDeadline('Không quy định')).toBe('Không quy định');
  });

  it.each(['Phí: đồng', 'Lệ phí: đồng', 'Lệ phí: 0 đồng', 'Phí: Đồng', ''])('fee %j is unknown', (raw) => {
    expect(knownFee(raw)).toBe('');
  });

  it('groups digits, drops a repeated unit and repeated amounts, and says "không thu" for "Không đồng"', () => {
    expect(knownFee('Lệ phí: 200000 đồng')).toBe('Lệ phí: 200.000 đồng');
    expect(knownFee('Phí: 250000 đồng Phí: 500000 đồng')).toBe('Phí: 250.000 đồng; 500.000 đồng');
    expect(knownFee('Lệ phí: 50.000 đồng/lần đồng Lệ phí: 20.000 đồng/lần đồng')).toBe('Lệ phí: 50.000 đồng/lần; 20.000 đồng/lần');
    expect(knownFee('Phí: 250.000 đồng Lệ phí: 150.000 đồng Lệ phí: 150.000 đồng')).toBe('Phí: 250.000 đồng. Lệ phí: 150.000 đồng');
    expect(knownFee('Phí: Không Đồng')).toBe('Phí: không thu');
  });
});

describe('ways of submitting', () => {
  const way = (channel: string, deadline: string, fee = '') => ({ channel, deadline, fee });

  it('shows a deadline repeated for every way once', () => {
    const lines = waysLines([way('Trực tiếp', '5 Ngày'), way('Trực tuyến', '5 Ngày'), way('Dịch vụ bưu chính', '5 Ngày')]);
    expect(lines).toEqual(['Cách nộp: trực tiếp, trực tuyến, qua bưu chính.', 'Thời hạn giải quyết: 5 ngày.']);
  });

  it('gives one line per distinct deadline when the ways differ', () => {
    const lines = waysLines([way('Trực tiếp', '5 Ngày làm việc', 'Lệ phí: 200000 đồng'), way('Trực tuyến', '3 Ngày làm việc', 'Lệ phí: 200000 đồng'), way('Dịch vụ bưu chính', '5 Ngày làm việc', 'Lệ phí: 200000 đồng')]);
    expect(lines).toEqual([
      'Cách nộp: trực tiếp, trực tuyến, qua bưu chính.',
      'Thời hạn giải quyết khi nộp trực tiếp hoặc qua bưu chính: 5 ngày làm việc.',
      'Thời hạn giải quyết khi nộp trực tuyến: 3 ngày làm việc.',
      'Lệ phí: 200.000 đồng.',
    ]);
  });

  it('leaves out a deadline of 0 and a fee without an amount: no "Thời hạn giải quyết: 0"', () => {
    const lines = waysLines([way('Trực tiếp', '0', 'Phí: đồng'), way('Trực tuyến', '0', 'Phí: đồng')]);
    expect(lines).toEqual(['Cách nộp: trực tiếp, trực tuyến.']);
    expect(singleDeadline([way('Trực tiếp', '0'), way('Trực tuyến', '')])).toBeNull();
    expect(singleDeadline([way('Trực tiếp', '0'), way('Trực tuyến', '07 Ngày làm việc')])).toBe('07 ngày làm việc');
  });
});

describe('district-level agencies and abbreviations', () => {
  it('flags agencies of the district level, not provincial or commune ones', () => {
    for (const a of ['Phòng Tư Pháp', 'Bảo hiểm xã hội cấp huyện', 'Chi cục thuế huyện, thành phố', 'Phòng Lao động- Thương Binh và Xã hội', 'UBND huyện Đắk Hà']) expect(isDistrictAgency(a, wording)).toBe(true);
    for (const a of ['Ủy ban nhân dân cấp xã', 'Sở Giáo dục và Đào tạo', 'Phòng cảnh sát quản lý hành chính về trật tự xã hội', 'Cục Thuế tỉnh', 'Công an Xã']) expect(isDistrictAgency(a, wording)).toBe(false);
  });

  it('explains each abbreviation once, at its first use, and not when the text already does', () => {
    expect(explainAbbreviations('Đơn vị SDLĐ nộp hồ sơ. SDLĐ nhận kết quả; NLĐ ký.', wording)).toBe('Đơn vị SDLĐ (sử dụng lao động) nộp hồ sơ. SDLĐ nhận kết quả; NLĐ (người lao động) ký.');
    expect(explainAbbreviations('Đăng ký người phụ thuộc (NPT): NPT phải có mã số thuế.', wording)).toBe('Đăng ký người phụ thuộc (NPT): NPT phải có mã số thuế.');
    // Whole words only: "NSDLĐ" is its own entry, not "SDLĐ" inside it.
    expect(explainAbbreviations('NSDLĐ gửi danh sách.', wording)).toBe('NSDLĐ (người sử dụng lao động) gửi danh sách.');
  });

  it('refuses an entry without a reason', () => {
    expect(() => parseRecordWording('abbreviations:\n  - { abbr: X, means: y }\ndistrict_agencies: []\n')).toThrow(RecordWordingError);
    expect(() => parseRecordWording('abbreviations: []\n')).toThrow(/district_agencies/);
  });
});

describe('the shipped records as documents', () => {
  const { records } = readCatalogueFile(CATALOGUE, '2021');
  const docs = records.map((r) => procedureToDoc(r, RULES, null, wording));
  const text = (d: (typeof docs)[number]) => [d.summary, ...d.sections.map((s) => s.text)].join('\n');

  it('never says "Thời hạn giải quyết: 0" nor a fee without an amount', () => {
    for (const d of docs) {
      expect(text(d)).not.toMatch(/thời hạn( giải quyết)?: 0\b/i);
      expect(text(d)).not.toMatch(/phí:\s*(đồng|0 đồng)?\s*($|[.;\n])/im);
    }
  });

  it('lists the documents it counts, and gives each deadline once', () => {
    for (const d of docs) {
      const list = d.sections.find((s) => s.heading === 'Thành phần hồ sơ')?.text ?? '';
      const m = /^Hồ sơ gồm (\d+) loại giấy tờ:\n([^]*)$/.exec(list);
      if (m) expect(m[2].split('\n').filter((l) => l.startsWith('- '))).toHaveLength(Number(m[1]));
      if (m) expect(m[2].split('\n').every((l) => l.startsWith('- '))).toBe(true);
      const ways = d.sections.find((s) => s.heading === 'Cách thức thực hiện, thời hạn và lệ phí')?.text ?? '';
      const deadlines = ways.match(/(?<=thời hạn giải quyết[^:\n]*: )[^\n]+/gi) ?? [];
      expect(new Set(deadlines).size).toBe(deadlines.length);
    }
    expect(docs.some((d) => /Hồ sơ gồm 4 loại giấy tờ:/.test(text(d)))).toBe(true);
  });

  it('says of a district agency that the level ended on 1 July 2025', () => {
    const foreign = docs.find((d) => d.title === 'Thủ tục đăng ký khai sinh có yếu tố nước ngoài')!;
    expect(foreign.sections.find((s) => s.heading === 'Cơ quan thực hiện')!.text).toContain(DISTRICT_NOTE);
    expect(foreign.summary).toMatch(/cấp huyện, đã kết thúc từ 1\/7\/2025/);
    const ordinary = docs.find((d) => d.title === 'Thủ tục đăng ký khai sinh')!;
    expect(text(ordinary)).not.toContain('cấp huyện');
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config.js';
import { foldDiacritics, tokenize } from '../text/normalise.js';
import type { Candidate } from './hybrid-retriever.js';
import { casesOf, loadSpecialCases, parseSpecialCases, preferVariant, VariantTableError } from './procedure-variants.js';

const cases = loadSpecialCases(path.join(PROJECT_ROOT, 'knowledge', 'dictionaries', 'procedure-variants.yaml'));
const words = (q: string) => tokenize(foldDiacritics(q.toLowerCase()));

/** A ranked candidate with what the rule reads: kind, title, topics, coverage. */
function cand(id: string, title: string, opts: { kind?: 'procedure' | 'article'; topics?: string[]; coverage?: number } = {}): Candidate {
  return { doc: { id, kind: opts.kind ?? 'procedure', title, topics: opts.topics ?? ['service.birth-registration'] }, coverage: opts.coverage ?? 1 } as unknown as Candidate;
}

const birth = [
  cand('paternity-foreign', 'Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con có yếu tố nước ngoài'),
  cand('ordinary', 'Thủ tục đăng ký khai sinh'),
  cand('article', 'Đăng ký khai sinh trực tuyến', { kind: 'article' }),
  cand('paternity', 'Thủ tục đăng ký khai sinh kết hợp nhận cha, mẹ, con'),
  cand('foreign', 'Thủ tục đăng ký khai sinh có yếu tố nước ngoài'),
];

describe('the ordinary procedure unless the question names the special case', () => {
  it('answers "đăng ký khai sinh cần giấy tờ gì" from the ordinary record, not the foreign-element paternity one', () => {
    const r = preferVariant(birth, words('thủ tục đăng ký khai sinh cần giấy tờ gì'), cases);
    expect(r.candidates[0].doc.id).toBe('ordinary');
    expect(r.moved).toEqual({ from: 'paternity-foreign', to: 'ordinary', unnamed: ['foreign_element', 'paternity'], named: [] });
    expect(r.candidates.map((c) => c.doc.id).sort()).toEqual(birth.map((c) => c.doc.id).sort());
  });

  it('answers a question naming the foreign element from the foreign-element record', () => {
    const ordinaryFirst = [birth[1], birth[0], birth[4], birth[3]];
    expect(preferVariant(ordinaryFirst, words('đăng ký khai sinh có yếu tố nước ngoài'), cases).candidates[0].doc.id).toBe('foreign');
    expect(preferVariant(ordinaryFirst, words('dang ky khai sinh co yeu to nuoc ngoai'), cases).candidates[0].doc.id).toBe('foreign');
    // Both named: the record that has both.
    expect(preferVariant(ordinaryFirst, words('khai sinh kết hợp nhận cha cho con, mẹ là người nước ngoài'), cases).candidates[0].doc.id).toBe('paternity-foreign');
  });

  it('leaves an article first, and records of another procedure alone', () => {
    const articleFirst = [birth[2], birth[0], birth[1]];
    expect(preferVariant(articleFirst, words('khai sinh'), cases).moved).toBeNull();
    const other = [cand('reissue', 'Cấp lại giấy phép lao động cho chuyên gia', { topics: [] }), cand('death', 'Thủ tục đăng ký khai tử', { topics: ['service.death-registration'] })];
    expect(preferVariant(other, words('giấy phép lao động'), cases).moved).toBeNull();
  });

  it('groups records without a topic by their titles (one title inside the other)', () => {
    const permits = [cand('reissue', 'Cấp lại giấy phép lao động cho chuyên gia khoa học công nghệ', { topics: [] }), cand('issue', 'Cấp giấy phép lao động cho chuyên gia khoa học công nghệ', { topics: [] })];
    expect(preferVariant(permits, words('xin giấy phép lao động cho chuyên gia'), cases).candidates[0].doc.id).toBe('issue');
    expect(preferVariant(permits, words('giấy phép lao động bị mất thì xin cấp lại thế nào'), cases).moved).toBeNull();
  });

  it('keeps the special record when the question words point at it (the ordinary one covers much less)', () => {
    const r = preferVariant([birth[0], cand('ordinary', 'Thủ tục đăng ký khai sinh', { coverage: 0.6 })], words('khai sinh cần giấy tờ gì'), cases);
    expect(r.moved).toBeNull();
  });

  it('looks only at the first few candidates', () => {
    const far = [birth[0], ...Array.from({ length: 5 }, (_, i) => cand(`x${i}`, `Thủ tục đăng ký khai sinh kết hợp nhận cha, mẹ, con có yếu tố nước ngoài ${i}`)), birth[1]];
    expect(preferVariant(far, words('khai sinh'), cases).candidates[0].doc.id).toBe('paternity-foreign');
  });

  it('tells which cases a title is, named or not', () => {
    expect(casesOf('Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới', 'khai sinh o xa bien gioi', cases)).toEqual({ named: ['border_area'], unnamed: ['foreign_element'] });
  });

  it('refuses a case without a reason or without cues, naming it', () => {
    expect(() => parseSpecialCases('cases:\n  x:\n    title: [a]\n    question: [b]\n')).toThrow(/case "x" needs a reason/);
    expect(() => parseSpecialCases('cases:\n  x:\n    reason: a good long reason\n    title: []\n    question: [b]\n')).toThrow(VariantTableError);
    expect(() => parseSpecialCases('nothing: here\n')).toThrow(/"cases"/);
  });

  it('has a reason for every case in the dictionary', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
    for (const c of cases) expect(c.reason.length).toBeGreaterThan(40);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../project-root.js';
import { createI18n, translator } from '../i18n/i18n.js';
import { loadProvinceProfile } from '../knowledge/province-profiles.js';
import { loadLexicon } from '../retrieval/lexicon.js';
import { tempDir } from '../test-support/temp-dir.js';
import { composeDecline, declineKind, loadDeclineTable } from './decline.js';

const knowledgeDir = path.join(PROJECT_ROOT, 'knowledge');
const table = loadDeclineTable(knowledgeDir);

describe('what an unanswerable question is about', () => {
  it.each([
    ['Tôi bị đau lưng mấy hôm nay, uống thuốc gì cho đỡ?', 'health'],
    ['toi bi dau lung may hom nay uong thuoc gi', 'health'],
    ['Nhà hàng xóm đang bị cướp, tôi phải làm gì?', 'emergency'],
    ['Tôi muốn khởi kiện hàng xóm lấn đất thì nộp tòa án nào?', 'legal'],
    ['Quyết toán thuế thu nhập cá nhân năm nay tôi phải nộp bao nhiêu?', 'tax'],
    ['Vay vốn ngân hàng chính sách lãi suất bao nhiêu?', 'banking'],
    ['Xóm tôi mất điện từ sáng, báo ai?', 'utilities'],
    ['giá vàng hôm nay bao nhiêu', 'other'],
  ])('reads "%s" as %s', (q, kind) => {
    expect(declineKind(q, table)).toBe(kind);
  });

  it('matches whole words only: "Đài Loan" is not a loan, "kiến nghị" is not a lawsuit', () => {
    expect(declineKind('Con trai tôi lấy vợ bên Đài Loan, tôi muốn làm hộ chiếu', table)).toBe('other');
    expect(declineKind('tôi muốn gửi phản ánh kiến nghị', table)).toBe('other');
  });

  it('refuses a table with an unknown kind or a kind without cues, naming the file', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'dictionaries'));
    fs.writeFileSync(path.join(dir, 'dictionaries', 'out-of-scope.yaml'), 'kinds:\n  astrology:\n    reason: stars\n    cues: [tu vi]\n');
    expect(() => loadDeclineTable(dir)).toThrow(/out-of-scope.yaml: unknown kind "astrology"/);
    fs.writeFileSync(path.join(dir, 'dictionaries', 'out-of-scope.yaml'), 'kinds:\n  health:\n    reason: doctors\n    cues: []\n');
    expect(() => loadDeclineTable(dir)).toThrow(/needs a reason and cues/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the decline by kind', () => {
  const i18n = createI18n();
  const ctx = (lang: string) => ({ profile: loadProvinceProfile(knowledgeDir, 'son-la'), t: translator(i18n, lang, 'reply'), lexicon: loadLexicon(knowledgeDir) });

  it('sends an emergency to the police line from the profile, and nothing else first', () => {
    const c = composeDecline('emergency', ctx('vi'));
    expect(c.text.split('\n\n')[0]).toBe('Nếu bạn hoặc người nhà đang gặp nguy hiểm, hãy gọi ngay Công an: **113**.');
    expect(c.kind).toBe('fallback');
    expect(c.citations).toEqual([]);
  });

  it('says where a health question belongs without inventing a number, then what we do help with and the hotline', () => {
    const c = composeDecline('health', ctx('vi'));
    expect(c.text).toMatch(/^Mình không tư vấn được về sức khỏe/);
    expect(c.text).toContain('Mình chỉ hướng dẫn về dịch vụ công trực tuyến');
    expect(c.text).toContain('1800 1096');
    expect(c.text).not.toMatch(/115|113/);
  });

  it('is written in English for an English question', () => {
    expect(composeDecline('tax', ctx('en')).text).toMatch(/^I cannot calculate or advise on tax/);
  });
});

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ABBREVIATIONS_PATH,
  expandAbbreviations,
  loadAbbreviations,
  parseAbbreviations,
  type AbbreviationDictionary,
} from './abbreviations.js';
import { foldDiacritics, tokenize } from './normalise.js';

const dict = loadAbbreviations();

/** The way query analysis calls it: folded tokens in, expansion tokens out. */
function expandQuery(text: string, d: AbbreviationDictionary = dict): string {
  return expandAbbreviations(tokenize(foldDiacritics(text.toLowerCase())), d).tokens.join(' ');
}

describe('abbreviations.yaml', () => {
  it('has a focused set of entries, every key folded and lower-case', () => {
    expect(dict.entries.size).toBeGreaterThanOrEqual(60);
    expect(dict.entries.size).toBeLessThanOrEqual(150);
    for (const key of dict.entries.keys()) expect(key).toBe(foldDiacritics(key).toLowerCase());
  });

  it('is read from knowledge/dictionaries by default', () => {
    expect(fs.existsSync(DEFAULT_ABBREVIATIONS_PATH)).toBe(true);
    expect(DEFAULT_ABBREVIATIONS_PATH).toMatch(/knowledge\/dictionaries\/abbreviations\.yaml$/);
  });

  it.each([
    ['cccd', 'căn cước công dân'],
    ['cmnd', 'chứng minh nhân dân'],
    ['gplx', 'giấy phép lái xe'],
    ['dk', 'đăng ký'],
    ['dky', 'đăng ký'],
    ['hs', 'hồ sơ'],
    ['tk', 'tài khoản'],
    ['mk', 'mật khẩu'],
    ['pass', 'mật khẩu'],
    ['sdt', 'số điện thoại'],
    ['ko', 'không'],
    ['k', 'không'],
    ['kg', 'không'],
    ['khong', 'không'],
    ['dc', 'được'],
    ['bhyt', 'bảo hiểm y tế'],
    ['bhxh', 'bảo hiểm xã hội'],
    ['lltp', 'lý lịch tư pháp'],
    ['dvc', 'dịch vụ công'],
    ['dvctt', 'dịch vụ công trực tuyến'],
    ['tthc', 'thủ tục hành chính'],
    ['ubnd', 'ủy ban nhân dân'],
    ['hkd', 'hộ kinh doanh'],
    ['gcn', 'giấy chứng nhận'],
    ['qsdd', 'quyền sử dụng đất'],
    ['j', 'gì'],
    ['gi', 'gì'],
    ['bn', 'bao nhiêu'],
    ['bao nhiu', 'bao nhiêu'],
    ['ntn', 'như thế nào'],
    ['lm', 'làm'],
    ['r', 'rồi'],
    ['vs', 'với'],
    ['onl', 'trực tuyến'],
    ['tgian', 'thời gian'],
    ['dt', 'điện thoại'],
  ])('maps %s to %s', (key, expansion) => {
    expect(dict.entries.get(key)?.to).toBe(expansion);
  });

  it('leaves out the ambiguous ones and the words that stay as they are', () => {
    for (const key of ['ca', 'tt', 'hc', 'cb', 'mh', 'gd', 'otp', 'vneid']) expect(dict.entries.has(key)).toBe(false);
  });

  it('has no key that is the folded form of a common Vietnamese word', () => {
    // Query tokens arrive folded, so such a key would rewrite the word itself ("hỏng" → "hong" → "không").
    const common = ['hong', 'co', 'ban', 'dau', 'da', 'di', 'la', 'ma', 'ca', 'to', 've', 'de', 'mat', 'cho', 'con', 'toi', 'nha', 'so'];
    for (const w of common) expect(dict.entries.has(w), w).toBe(false);
  });

  it('writes every expansion in lower case, and every note as text', () => {
    for (const e of dict.entries.values()) {
      expect(e.to).toBe(e.to.toLowerCase());
      expect(e.toTokens).toEqual(tokenize(e.to));
      if (e.note !== undefined) expect(typeof e.note).toBe('string');
    }
  });
});

describe('expandAbbreviations', () => {
  it('expands single tokens into the dictionary tokens, with diacritics', () => {
    const r = expandAbbreviations(['lam', 'cccd', 'o', 'dau'], dict);
    expect(r.tokens).toEqual(['lam', 'căn', 'cước', 'công', 'dân', 'o', 'dau']);
    expect(r.expanded).toEqual([{ from: 'cccd', to: 'căn cước công dân' }]);
  });

  it('matches on the folded token, so đk and dk both match', () => {
    expect(expandAbbreviations(['đk'], dict).tokens).toEqual(['đăng', 'ký']);
    expect(expandAbbreviations(['dk'], dict).tokens).toEqual(['đăng', 'ký']);
    expect(expandAbbreviations(['sđt'], dict).expanded).toEqual([{ from: 'sđt', to: 'số điện thoại' }]);
    expect(expandAbbreviations(['đc'], dict).tokens).toEqual(['được']);
  });

  it('ignores case', () => {
    expect(expandAbbreviations(['CCCD', 'Bhyt'], dict).tokens).toEqual(['căn', 'cước', 'công', 'dân', 'bảo', 'hiểm', 'y', 'tế']);
  });

  it('prefers the longest phrase', () => {
    const r = expandAbbreviations(['le', 'phi', 'bao', 'nhiu'], dict);
    expect(r.tokens).toEqual(['le', 'phi', 'bao', 'nhiêu']);
    expect(r.expanded).toEqual([{ from: 'bao nhiu', to: 'bao nhiêu' }]);
  });

  it('expands k only as a whole token and not after a number', () => {
    expect(expandQuery('ko dang nhap dc')).toBe('không dang nhap được');
    expect(expandQuery('toi k biet')).toBe('toi không biet');
    expect(expandQuery('phi 50 k')).toBe('phi 50 k');
    expect(expandQuery('phi 50k')).toBe('phi 50k');
    expect(expandQuery('nang 5 kg')).toBe('nang 5 kg');
    expect(expandQuery('kg biet')).toBe('không biet');
  });

  it('handles a realistic teencode question', () => {
    expect(expandQuery('wen mk tk dvc thi lm ntn vs, phi bn?')).toBe(
      'quên mật khẩu tài khoản dịch vụ công thi làm như thế nào với phi bao nhiêu',
    );
  });

  it('returns unmatched tokens exactly as given, and nothing for nothing', () => {
    expect(expandAbbreviations(['Đăng', 'KÝ'], dict)).toEqual({ tokens: ['Đăng', 'KÝ'], expanded: [] });
    expect(expandAbbreviations([], dict)).toEqual({ tokens: [], expanded: [] });
  });

  it('does not read past the end of the token list', () => {
    expect(expandAbbreviations(['bao'], dict).tokens).toEqual(['bao']);
  });
});

describe('parseAbbreviations', () => {
  it('accepts plain strings and { to, note, skipAfterNumber }', () => {
    const d = parseAbbreviations('abbreviations:\n  ĐK: đăng ký\n  "x y": { to: Xin Yêu, note: test, skipAfterNumber: true }\n');
    expect(d.entries.get('dk')?.to).toBe('đăng ký');
    expect(d.entries.get('x y')).toMatchObject({ to: 'Xin Yêu', toTokens: ['xin', 'yêu'], note: 'test', skipAfterNumber: true });
    expect(d.maxPhraseTokens).toBe(2);
  });

  it('rejects a file without an abbreviations mapping', () => {
    expect(() => parseAbbreviations('- a\n- b\n')).toThrow(/abbreviations:/);
    expect(() => parseAbbreviations('')).toThrow(/abbreviations:/);
  });

  it('rejects empty expansions and bad field types', () => {
    expect(() => parseAbbreviations('abbreviations:\n  ab: ""\n')).toThrow(/"ab" needs a non-empty expansion/);
    expect(() => parseAbbreviations('abbreviations:\n  ab: { note: x }\n')).toThrow(/"ab" needs/);
    expect(() => parseAbbreviations('abbreviations:\n  ab: { to: x, note: 3 }\n')).toThrow(/note must be a string/);
    expect(() => parseAbbreviations('abbreviations:\n  ab: { to: x, skipAfterNumber: yes please }\n')).toThrow(/skipAfterNumber/);
    expect(() => parseAbbreviations('abbreviations:\n  "!!!": x\n')).toThrow(/no letters or digits/);
  });

  it('rejects keys that collide once diacritics are folded', () => {
    expect(() => parseAbbreviations('abbreviations:\n  dk: đăng ký\n  đk: đăng ký\n')).toThrow(/same key once diacritics are folded/);
  });
});

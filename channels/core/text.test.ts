import { describe, expect, it } from 'vitest';
import { detectKeyword } from './keywords.js';
import { chunkText, cutAtSentence, foldDiacritics, markdownToPlain, sentencePieces } from './text.js';

describe('text helpers', () => {
  it('folds Vietnamese diacritics, including đ/Đ', () => {
    expect(foldDiacritics('Đăng ký thường trú ở Đà Nẵng, được không?')).toBe('Dang ky thuong tru o Da Nang, duoc khong?');
    expect(foldDiacritics('ƯỚC MƠ Ơ Ư ă â ê ô ơ ư')).toBe('UOC MO O U a a e o o u');
  });

  it('turns the composer Markdown into readable plain text', () => {
    const md = '**Tiêu đề**\n\nĐoạn *nghiêng* và `mã`.\n\n**Các bước**\n1. Bước một.\n2. Bước hai.\n\n- ý một\n- ý hai\n\n---\n\n_Ghi chú nghiêng._\n[Cổng DVC](https://dichvucong.gov.vn)';
    const plain = markdownToPlain(md);
    expect(plain).not.toMatch(/\*\*|`|---/);
    expect(plain).toContain('Tiêu đề');
    expect(plain).toContain('Đoạn nghiêng và mã.');
    expect(plain).toContain('1. Bước một.\n2. Bước hai.');
    expect(plain).toContain('• ý một\n• ý hai');
    expect(plain).toContain('Ghi chú nghiêng.');
    expect(plain).toContain('Cổng DVC (https://dichvucong.gov.vn)');
    expect(markdownToPlain('mã_hồ_sơ và snake_case')).toBe('mã_hồ_sơ và snake_case');
  });

  it('splits at sentence boundaries but not inside numbers or URLs', () => {
    const text = 'Phí 1.5 triệu. Xem dichvucong.gov.vn nhé! Hết?\nDòng mới';
    expect(sentencePieces(text)).toEqual(['Phí 1.5 triệu. ', 'Xem dichvucong.gov.vn nhé! ', 'Hết?\n', 'Dòng mới']);
    expect(sentencePieces(text).join('')).toBe(text);
    expect(sentencePieces('a.b c').join('')).toBe('a.b c');
  });

  it('packs chunks under the limit at sentence boundaries, words when a sentence is too long', () => {
    const sentence = 'Câu này có mười từ để thử việc chia đoạn văn. ';
    const chunks = chunkText(sentence.repeat(20), 100);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(100);
      expect(c.endsWith('.')).toBe(true);
    }
    const long = chunkText('từ '.repeat(100).trim(), 50);
    expect(long.every((c) => c.length <= 50)).toBe(true);
    expect(long.join(' ').split(' ')).toHaveLength(100);
    expect(chunkText('x'.repeat(120), 50)).toEqual(['x'.repeat(50), 'x'.repeat(50), 'x'.repeat(20)]);
  });

  it('cuts the longest head that ends a sentence', () => {
    expect(cutAtSentence('Một hai. Ba bốn năm. Sáu.', 15)).toEqual({ head: 'Một hai.', rest: 'Ba bốn năm. Sáu.' });
    expect(cutAtSentence('Ngắn.', 15)).toEqual({ head: 'Ngắn.', rest: '' });
    expect(cutAtSentence('Một câu rất dài không có dấu chấm nào cả', 12).head.length).toBeLessThanOrEqual(12);
  });
});

describe('keywords', () => {
  it.each([
    ['ENGLISH', { kind: 'language', lang: 'en' }],
    ['english', { kind: 'language', lang: 'en' }],
    ['TIENG VIET', { kind: 'language', lang: 'vi' }],
    ['Tiếng Việt', { kind: 'language', lang: 'vi' }],
    ['TIẾNG VIỆT!', { kind: 'language', lang: 'vi' }],
    ['BANA', { kind: 'language', lang: 'bdq' }],
    ['GAP CAN BO', { kind: 'handoff', lang: 'vi' }],
    ['Gặp cán bộ', { kind: 'handoff', lang: 'vi' }],
    ['người thật', { kind: 'handoff', lang: 'vi' }],
    ['HUMAN', { kind: 'handoff', lang: 'en' }],
    ['STOP', { kind: 'opt-out' }],
    ['Hủy', { kind: 'opt-out' }],
    ['tc', { kind: 'opt-out' }],
    ['START', { kind: 'opt-in' }],
    ['BATDAU', { kind: 'opt-in' }],
    ['Bắt đầu', { kind: 'opt-in' }],
    ['1', { kind: 'more' }],
  ])('%s', (text, expected) => {
    expect(detectKeyword(text)).toEqual(expected);
  });

  it('ignores questions that merely contain a keyword', () => {
    expect(detectKeyword('Tôi muốn gặp cán bộ về hộ khẩu')).toBeNull();
    expect(detectKeyword('stop sending me spam please')).toBeNull();
    expect(detectKeyword('12')).toBeNull();
  });
});

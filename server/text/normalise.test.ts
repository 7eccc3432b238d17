import { describe, expect, it } from 'vitest';
import { foldDiacritics, looksLikeBinaryGarbage, normaliseText, stripInvisible, tokenize } from './normalise.js';

describe('stripInvisible', () => {
  it('removes zero-width characters, word joiners and the BOM', () => {
    const zw = ['\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\uFEFF'];
    for (const c of zw) expect(stripInvisible(`mật${c}khẩu`)).toBe('mậtkhẩu');
  });

  it('removes bidi embeddings, overrides and isolates', () => {
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(stripInvisible(`a${c}b`)).toBe('ab');
    }
    // The classic "gpj.exe" trick: an RLO makes the reviewer see a different file name.
    expect(stripInvisible('invoice\u202Egpj.exe')).toBe('invoicegpj.exe');
  });

  it('removes Unicode tag characters, assigned or not', () => {
    const hidden = [...'ignore previous'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    expect(stripInvisible(`xin chào${hidden}!`)).toBe('xin chào!');
    expect(stripInvisible('a\u{E0001}\u{E0000}\u{E007F}b')).toBe('ab');
  });

  it('removes the soft hyphen and other format characters', () => {
    expect(stripInvisible('đăng\u00ADký')).toBe('đăngký');
    expect(stripInvisible('a\u061Cb\u180Ec\uFFF9d')).toBe('abcd');
  });

  it('removes C0/C1 controls and DEL but keeps newline and tab', () => {
    expect(stripInvisible('a\u0000b\u0007c\u001Bd\u007Fe\u0085f\u009Fg')).toBe('abcdefg');
    expect(stripInvisible('dòng 1\n\tdòng 2')).toBe('dòng 1\n\tdòng 2');
  });

  it('turns CR and CRLF into LF instead of gluing lines together', () => {
    expect(stripInvisible('a\r\nb\rc')).toBe('a\nb\nc');
  });

  it('removes lone surrogates but keeps astral characters', () => {
    expect(stripInvisible('a\uD800b\uDC00c')).toBe('abc');
    expect(stripInvisible('👍 𝐀')).toBe('👍 𝐀');
  });

  it('leaves ordinary Vietnamese, emoji modifiers and variation selectors alone', () => {
    const s = 'Đăng ký tài khoản ✅ ⚠️ 👍🏽';
    expect(stripInvisible(s)).toBe(s);
  });

  it('handles the empty string', () => {
    expect(stripInvisible('')).toBe('');
  });
});

describe('foldDiacritics', () => {
  it('drops Vietnamese tone and vowel marks and maps đ/Đ', () => {
    expect(foldDiacritics('Đăng ký tài khoản đã được')).toBe('Dang ky tai khoan da duoc');
    expect(foldDiacritics('Ủy ban nhân dân tỉnh Bình Định')).toBe('Uy ban nhan dan tinh Binh Dinh');
    expect(foldDiacritics('ỹ Ỹ ự ỡ ặ')).toBe('y Y u o a');
  });

  it('folds the look-alikes of đ that old converters produce', () => {
    expect(foldDiacritics('Ðức Chúa, ðã, Ɖak')).toBe('Duc Chua, da, Dak');
  });

  it('folds decomposed (NFD) input the same way', () => {
    expect(foldDiacritics('Đăng ký'.normalize('NFD'))).toBe('Dang ky');
  });

  it('keeps case, digits and punctuation', () => {
    expect(foldDiacritics('QĐ-UBND số 2937/2015!')).toBe('QD-UBND so 2937/2015!');
  });

  it('does not break scripts whose letters decompose into non-marks', () => {
    expect(foldDiacritics('한국어')).toBe('한국어');
    expect(foldDiacritics('ภาษาไทย')).toBe('ภาษาไทย');
  });

  it('handles the empty string', () => {
    expect(foldDiacritics('')).toBe('');
  });
});

describe('tokenize', () => {
  it('lower-cases and splits on anything that is not a letter or digit', () => {
    expect(tokenize('Làm CCCD ở đâu? Phí: 50.000đ!')).toEqual(['làm', 'cccd', 'ở', 'đâu', 'phí', '50', '000đ']);
  });

  it('keeps Vietnamese letters whole, even when decomposed', () => {
    expect(tokenize('Người dân'.normalize('NFD'))).toEqual(['người', 'dân']);
  });

  it('splits dates, codes and URLs into their parts', () => {
    expect(tokenize('QĐ-UBND ngày 25/08/2015, dichvucong.gov.vn')).toEqual(['qđ', 'ubnd', 'ngày', '25', '08', '2015', 'dichvucong', 'gov', 'vn']);
  });

  it('drops emoji, punctuation and whitespace-only input', () => {
    expect(tokenize('👍 !!! ... \n\t')).toEqual([]);
    expect(tokenize('')).toEqual([]);
  });

  it('handles other scripts', () => {
    expect(tokenize('Привет, мир 你好')).toEqual(['привет', 'мир', '你好']);
  });
});

describe('normaliseText', () => {
  it('applies NFC, strips invisible characters, collapses whitespace and trims', () => {
    const raw = '  Quên\u00A0\u00A0m\u200Bật   khẩu\n\nthì  làm\tsao?  ';
    expect(normaliseText(raw.normalize('NFD'))).toBe('Quên mật khẩu thì làm sao?');
  });

  it('lets an accent re-attach after an invisible character between it and its letter is removed', () => {
    expect(normaliseText('a\u200B\u0301')).toBe('á');
  });

  it('can keep line breaks, at most one blank line in a row', () => {
    expect(normaliseText(' Bước 1 \r\n\r\n\r\n\r\n  Bước 2  \n', { keepLineBreaks: true })).toBe('Bước 1\n\nBước 2');
  });

  it('returns an empty string for empty or invisible-only input', () => {
    expect(normaliseText('')).toBe('');
    expect(normaliseText('\u200B\u200D\uFEFF \u00A0\u3000')).toBe('');
  });

  it('is fast on long input', () => {
    const long = 'Đăng ký  tài\u200B khoản. '.repeat(50_000);
    const t0 = performance.now();
    const out = normaliseText(long);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(out.startsWith('Đăng ký tài khoản. Đăng ký')).toBe(true);
  });
});

describe('looksLikeBinaryGarbage', () => {
  it('is false for ordinary text of any script, and for the empty string', () => {
    for (const s of ['', 'Đăng ký tài khoản', 'hello', '你好 👍', 'a\tb\nc\r\n']) expect(looksLikeBinaryGarbage(s)).toBe(false);
  });

  it('is true for text that is mostly replacement characters', () => {
    expect(looksLikeBinaryGarbage('\uFFFD\uFFFD\uFFFDa\uFFFD')).toBe(true);
  });

  it('is true for binary bytes and UTF-16 read as UTF-8', () => {
    expect(looksLikeBinaryGarbage('\u0000\u0001\u0002PNG\u0003\u0004\u0005\u0006')).toBe(true);
    expect(looksLikeBinaryGarbage(Buffer.from('hello world', 'utf16le').toString('latin1'))).toBe(true);
  });

  it('is true for private-use and noncharacter soup', () => {
    expect(looksLikeBinaryGarbage('\uE000\uE001\uF8FF\u{F0000}ab')).toBe(true);
    expect(looksLikeBinaryGarbage('\uFFFE\uFFFF\uFDD0x')).toBe(true);
  });

  it('uses a 30% threshold', () => {
    expect(looksLikeBinaryGarbage('\uFFFD\uFFFD\uFFFDaaaaaaa')).toBe(false); // exactly 30%
    expect(looksLikeBinaryGarbage('\uFFFD\uFFFD\uFFFD\uFFFDaaaaaa')).toBe(true);
  });

  it('does not call UTF-8 read as Latin-1 garbage: that is repairable mojibake', () => {
    expect(looksLikeBinaryGarbage(Buffer.from('Đăng ký tài khoản được', 'utf8').toString('latin1'))).toBe(false);
  });

  it('counts lone surrogates as garbage', () => {
    expect(looksLikeBinaryGarbage('\uD800x\uDFFF')).toBe(true);
  });
});

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LEGACY_CHARSETS_PATH,
  createEncodingRepairer,
  isPlausibleVietnameseSyllable,
  parseLegacyCharsets,
  repairFileText,
  type LegacyCharsetRow,
} from './encoding-repair.js';
import { sharedData } from '../test-support/shared-data.js';

const SHARED_TSV = sharedData('data/encodings/vietnamese-legacy-charsets.tsv');
const NOTICE = new URL('../../knowledge/dictionaries/legacy-charsets.NOTICE.md', import.meta.url);
const BAHNAR_PAIRS = sharedData('data/bahnar/bahnar-vietnamese-pairs.csv');

const repairer = createEncodingRepairer();
const rows = parseLegacyCharsets(fs.readFileSync(DEFAULT_LEGACY_CHARSETS_PATH, 'utf8'));

/** Encode Unicode Vietnamese into a legacy encoding through the same table, to build round-trip cases. */
function encodeLegacy(text: string, column: 'vni' | 'tcvn3'): string {
  const map = new Map(rows.map((r: LegacyCharsetRow) => [r.unicode, r[column]]));
  return [...text.normalize('NFC')].map((c) => map.get(c) ?? c).join('');
}

/** What Windows shows when it reads UTF-8 bytes as Windows-1252 (undefined bytes pass through as C1 controls). */
const CP1252: Record<number, string> = {
  0x80: '€', 0x82: '‚', 0x83: 'ƒ', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡', 0x88: 'ˆ', 0x89: '‰', 0x8a: 'Š',
  0x8b: '‹', 0x8c: 'Œ', 0x8e: 'Ž', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—',
  0x98: '˜', 0x99: '™', 0x9a: 'š', 0x9b: '›', 0x9c: 'œ', 0x9e: 'ž', 0x9f: 'Ÿ',
};
const asCp1252 = (s: string): string => [...Buffer.from(s, 'utf8')].map((b) => CP1252[b] ?? String.fromCharCode(b)).join('');
const asLatin1 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

/** Minimal RFC 4180 reader: enough for the Bahnar pairs file (quoted fields, doubled quotes). */
function readCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      out.push([...row, field]);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) out.push([...row, field]);
  return out;
}

const bahnarText = BAHNAR_PAIRS.present ? fs.readFileSync(BAHNAR_PAIRS.path, 'utf8') : '';
const bahnarLines = bahnarText.split('\n');
const bahnarPairs = readCsv(bahnarText).slice(1);

function repaired(text: string): string {
  const r = repairer.repair(text);
  if (!r.ok) throw new Error(r.reason);
  return r.text;
}

describe('legacy charset table', () => {
  it.skipIf(!SHARED_TSV.present)(`is a verbatim copy of the shared TSV, with a notice naming source and licence${SHARED_TSV.note}`, () => {
    expect(fs.readFileSync(DEFAULT_LEGACY_CHARSETS_PATH)).toEqual(fs.readFileSync(SHARED_TSV.path));
    const notice = fs.readFileSync(NOTICE, 'utf8');
    expect(notice).toContain('MIT');
    expect(notice).toContain('github.com/duydev/vietnamese-conversion');
    expect(notice).toContain('shared/data/encodings/vietnamese-legacy-charsets.tsv');
    expect(notice).toMatch(/verbatim/i);
  });

  it('parses into 134 rows with all four columns', () => {
    expect(rows).toHaveLength(134);
    expect(rows[0]).toEqual({ unicode: 'À', vni: 'AØ', tcvn3: 'Aµ', viqr: 'A`' });
    expect(rows.find((r) => r.unicode === 'đ')).toMatchObject({ vni: 'ñ', tcvn3: '®' });
  });

  it('rejects a table without the expected columns or with short rows', () => {
    expect(() => parseLegacyCharsets('unicode\tvni\nà\taø\n')).toThrow(/missing column "tcvn3"/);
    expect(() => parseLegacyCharsets('unicode\tvni\ttcvn3\tviqr\nà\taø\n')).toThrow(/row 2 is incomplete/);
  });
});

describe('isPlausibleVietnameseSyllable', () => {
  it.each(['nghiệp', 'Người', 'quốc', 'giữ', 'khuya', 'oải', 'ĐƯỜNG', 'ký', 'gì', 'thuở', 'xoong', 'jĭt'])('accepts %s', (w) => {
    expect(isPlausibleVietnameseSyllable(w)).toBe(true);
  });

  it.each(['nghieâp', 'Noâng', 'N«ng', 'café', 'ñông', 'aung', 'tôdrong', 'hoàà', 'str', '', 'a'.repeat(20)])('rejects %s', (w) => {
    expect(isPlausibleVietnameseSyllable(w)).toBe(false);
  });
});

describe('VNI', () => {
  it('repairs the example from the brief', () => {
    expect(repairer.repair('Sô Noâng nghieâp')).toEqual({ ok: true, text: 'Sơ Nông nghiêp', encoding: 'vni', changed: true });
  });

  it.each([
    'Sở Nông nghiệp và Phát triển nông thôn có trách nhiệm tổng hợp, báo cáo Ủy ban nhân dân tỉnh.',
    'Đăng ký thường trú trực tuyến: chuẩn bị căn cước công dân, giấy khai sinh và sổ hộ khẩu.',
    'Người dân không được chia sẻ mã OTP, mật khẩu cho bất kỳ ai, kể cả người xưng là công an.',
    'ĐIỀU 1. QUYẾT ĐỊNH BAN HÀNH QUY TRÌNH NỘI BỘ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH',
  ])('round-trips through the table: %s', (unicode) => {
    const vni = encodeLegacy(unicode, 'vni');
    expect(vni).not.toBe(unicode);
    expect(repairer.detect(vni)).toBe('vni');
    expect(repaired(vni)).toBe(unicode);
  });

  it('reads ỹ and ỷ the way VNI fonts type them (yõ, yû), which the table lists differently', () => {
    expect(repaired('kyõ thuaät, tyû leä, Chöông trình')).toBe('kỹ thuật, tỷ lệ, Chương trình');
  });

  it('converts a multi-line VNI document, short lines included', () => {
    const doc = ['ÑIEÀU 1.', 'Sô', 'Thuû tuïc ñaêng kyù thöôøng truù', 'Hoà sô goàm: tôø khai, giaáy tôø chöùng minh choã ôû hôïp phaùp.'].join('\n');
    expect(repaired(doc)).toBe(['ĐIỀU 1.', 'Sơ', 'Thủ tục đăng ký thường trú', 'Hồ sơ gồm: tờ khai, giấy tờ chứng minh chỗ ở hợp pháp.'].join('\n'));
  });
});

describe('TCVN3 (ABC)', () => {
  it('maps µ to à', () => {
    expect(repaired('Hå s¬ ®¨ng ký th­êng tró gåm nh÷ng g×, lµm ë ®©u?')).toBe('Hồ sơ đăng ký thường trú gồm những gì, làm ở đâu?');
  });

  it.each([
    'Đăng ký thường trú trực tuyến trên Cổng Dịch vụ công quốc gia.',
    'Bảo hiểm y tế, lý lịch tư pháp, giấy phép lái xe: nộp hồ sơ ở Bộ phận Một cửa.',
    'Sở Nông nghiệp và Phát triển nông thôn có trách nhiệm tổng hợp, báo cáo Ủy ban nhân dân tỉnh.',
  ])('round-trips through the table: %s', (unicode) => {
    const tcvn3 = encodeLegacy(unicode, 'tcvn3');
    expect(tcvn3).not.toBe(unicode);
    expect(repairer.detect(tcvn3)).toBe('tcvn3');
    expect(repaired(tcvn3)).toBe(unicode);
  });

  it('keeps ư, which TCVN3 stores as a soft hyphen (U+00AD)', () => {
    expect(encodeLegacy('người', 'tcvn3')).toBe('ng\u00ADêi');
    expect(repaired('ng\u00ADêi d©n, n\u00AD¬ng tùa')).toBe('người dân, nương tựa');
  });
});

describe.skipIf(!BAHNAR_PAIRS.present)(`Bahnar–Vietnamese pairs (real data)${BAHNAR_PAIRS.note}`, () => {
  it('converts the VNI Bahnar side of the first row and leaves the Vietnamese side alone', () => {
    const [bahnar, vietnamese] = bahnarPairs[0];
    const r = repairer.repair(bahnar);
    expect(r).toMatchObject({ ok: true, encoding: 'vni', changed: true });
    if (r.ok) {
      expect(r.text.startsWith('Sơ Nông nghiêp oĕng pơjing cham pơlei ơ̆i tơdrong tông hơ̆p, pơtho khan UBND tinh')).toBe(true);
      expect(r.text).not.toMatch(/[ñöÖÑ]|oâ|eâ|aê/);
    }
    expect(repairer.repair(vietnamese)).toEqual({ ok: true, text: vietnamese, encoding: 'unicode', changed: false });
  });

  it('converts Ñ to Đ inside codes such as QĐ-UBND', () => {
    const row = bahnarPairs.find(([b]) => b.startsWith('Kaên köê KueâÊt ñinh ksoâÊ ‘baêl tôxiênh'));
    expect(row).toBeDefined();
    const text = repaired(row?.[0] ?? '');
    expect(text).toContain('/QĐ-UBND');
    expect(text).toContain('Binh Đinh');
    expect(text.startsWith('Kăn kư̆ Kuê̆t đinh')).toBe(true);
  });

  it('repairs a whole CSV line field by field: Bahnar converted, Vietnamese untouched', () => {
    const line = bahnarLines[1];
    const [bahnar, vietnamese] = bahnarPairs[0];
    expect(repaired(line)).toBe(`"${repaired(bahnar)}","${vietnamese}"`);
  });

  it('never changes the Vietnamese column, and converts most VNI Bahnar rows', () => {
    let vni = 0;
    for (const [bahnar, vietnamese] of bahnarPairs) {
      expect(repairer.repair(vietnamese), vietnamese).toMatchObject({ ok: true, encoding: 'unicode', changed: false });
      const r = repairer.repair(bahnar);
      if (r.ok && r.encoding === 'vni') vni++;
    }
    expect(vni).toBeGreaterThan(550);
  });

  it('leaves Bahnar rows that are already Unicode alone', () => {
    const unicodeRow = bahnarPairs.find(([b]) => b.startsWith('Bu-mă sa lu pham noh'));
    expect(unicodeRow).toBeDefined();
    const b = unicodeRow?.[0] ?? '';
    expect(repairer.repair(b)).toEqual({ ok: true, text: b, encoding: 'unicode', changed: false });
  });

  it('refuses a VNI row with a stray accent that conversion cannot place', () => {
    const row = bahnarPairs.find(([b]) => b.includes('thoi tuhï phôêng'));
    expect(row).toBeDefined();
    const r = repairer.repair(row?.[0] ?? '');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/VNI sequences remain after conversion \("ï"/);
  });
});

describe('mojibake', () => {
  it('repairs the example from the brief', () => {
    expect(repairer.repair('Ä‘Äƒng kÃ½')).toEqual({ ok: true, text: 'đăng ký', encoding: 'mojibake', changed: true });
  });

  const sentences = [
    'Đăng ký tài khoản trên Cổng Dịch vụ công quốc gia bằng VNeID.',
    'Người dân tuyệt đối không cung cấp mã OTP — kể cả cho người tự xưng là “công an”.',
    'Lệ phí: 50.000 đồng; thời hạn giải quyết 03 ngày làm việc. ✅',
    'ĐIỀU 1. ỦY BAN NHÂN DÂN TỈNH KON TUM',
  ];

  it.each(sentences)('repairs UTF-8 read as Latin-1: %s', (s) => {
    const broken = asLatin1(s);
    expect(broken).not.toBe(s);
    expect(repairer.detect(broken)).toBe('mojibake');
    expect(repaired(broken)).toBe(s);
  });

  it.each(sentences)('repairs UTF-8 read as Windows-1252: %s', (s) => {
    expect(repaired(asCp1252(s))).toBe(s);
  });

  it.each(sentences)('repairs double encoding: %s', (s) => {
    expect(repaired(asCp1252(asCp1252(s)))).toBe(s);
  });

  it('returns composed text when the original was decomposed', () => {
    const nfd = 'Tưới nước đúng giờ'.normalize('NFD');
    expect(repaired(asLatin1(nfd))).toBe('Tưới nước đúng giờ');
  });

  it('repairs mojibake pasted into otherwise correct Vietnamese', () => {
    expect(repaired(`Hướng dẫn: ${asCp1252('đăng ký thường trú')} tại Bộ phận Một cửa.`)).toBe(
      'Hướng dẫn: đăng ký thường trú tại Bộ phận Một cửa.',
    );
  });

  it('does not mistake an upper-case Ã next to punctuation for mojibake', () => {
    for (const s of ['XÃ… ĐÃ “CHỐT”', 'UBND XÃ”, thôn Đắk Xú', '“NGÃ” – đọc kỹ hướng dẫn']) {
      expect(repairer.repair(s)).toEqual({ ok: true, text: s, encoding: 'unicode', changed: false });
    }
  });

  it('refuses mojibake that lost bytes and does not decode', () => {
    // "à" is C3 A0; copying the text turned the no-break space (A0) into a plain space.
    const broken = asCp1252('Đà Nẵng, ngày 20 tháng 11').replace(/\u00A0/g, ' ');
    const r = repairer.repair(broken);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/mojibake .* does not decode/);
    expect(repairer.detect(broken)).toBe('unknown');
  });
});

describe('text that must be left alone', () => {
  it.each([
    'Hello, this is plain English: register at the portal, then log in.',
    'Đăng ký tài khoản trên Cổng Dịch vụ công quốc gia bằng VNeID.',
    'Tôi có con mèo. Bà ơi, cháu về rồi. Tháng này là tháng mấy?',
    'ĐĂNG KÝ THƯỜNG TRÚ',
    'Nông thôn mới',
    'Le café est très bon, à côté de l’église. Noël à Paris.',
    'Où est le coût ? Il a dû partir à l’hôtel près de la forêt, où il a créé une société « très » réelle.',
    'Der Bär läuft über die Straße. Öl, Äpfel, Übung, für, größer.',
    'El niño comió en el baño con su señor. ¿Qué hora es? Mañana.',
    'Jag är på väg hem, så då går vi. Søren bor på en ø.',
    'Dong biëm chä drdng chä chu ko de su lolio jö pom hloi lolei dëch boih.',
    'Giá: 50€ — “trích dẫn” ‘đơn’ … ™ • 25°C ± 2',
    '😀 👍🏽 👨‍👩‍👧 🇻🇳 ✅ ⚠️ 日本語 中文 한국어 Русский Ελληνικά עברית العربية ภาษาไทย',
    'café',
    'Ñ',
    'Ã',
  ])('leaves %s unchanged', (s) => {
    expect(repairer.repair(s)).toEqual({ ok: true, text: s, encoding: 'unicode', changed: false });
    expect(repairer.detect(s)).toBe('unicode');
  });

  it('handles the empty string and pure ASCII', () => {
    expect(repairer.repair('')).toEqual({ ok: true, text: '', encoding: 'unicode', changed: false });
    expect(repairer.detect('plain ascii 123')).toBe('unicode');
  });

  it('does not touch lone surrogates or other odd but non-garbage code points', () => {
    const s = 'Đăng ký \uD800 tài khoản \u200B\u00AD';
    expect(repairer.repair(s)).toEqual({ ok: true, text: s, encoding: 'unicode', changed: false });
  });
});

describe('text that cannot be repaired', () => {
  it('refuses U+FFFD replacement characters', () => {
    const r = repairer.repair('Đăng k\uFFFD t\uFFFDi kho\uFFFDn');
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/U\+FFFD/) });
    expect(repairer.detect('ab\uFFFD')).toBe('unknown');
  });

  it('refuses binary data', () => {
    const r = repairer.repair('\u0000\u0001\u0002\u0003PK\u0004\u0005\u0006\u0007');
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/binary/) });
  });

  it('refuses VNI mixed with Unicode Vietnamese in one sentence', () => {
    for (const s of ['Con xin meï ñöøng quaù ñau buồn.', 'Con xin meï ñöøng quaù ñau buŏn.']) {
      expect(repairer.repair(s)).toEqual({ ok: false, reason: expect.stringMatching(/mixed encodings/) });
    }
  });

  it('repairs VNI and Unicode that sit in separate clauses', () => {
    expect(repaired('Con xin meï ñöøng quaù ñau buoàn, mẹ ơi.')).toBe('Con xin mẹ đừng quá đau buồn, mẹ ơi.');
  });
});

describe('size limits', () => {
  it('repairs a long VNI document in reasonable time', () => {
    const unicode = 'Đăng ký thường trú trực tuyến: chuẩn bị căn cước công dân, giấy khai sinh và sổ hộ khẩu.\n'.repeat(2000);
    const t0 = performance.now();
    expect(repaired(encodeLegacy(unicode, 'vni'))).toBe(unicode);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('passes long Unicode text through quickly and unchanged', () => {
    const text = 'Người dân tra cứu hồ sơ trên Cổng Dịch vụ công quốc gia. '.repeat(10_000);
    const t0 = performance.now();
    expect(repairer.repair(text)).toMatchObject({ ok: true, encoding: 'unicode', changed: false });
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('copes with a single enormous word', () => {
    const word = 'aâ'.repeat(100_000);
    const r = repairer.repair(word);
    expect(r.ok).toBe(true);
  });
});

describe('repairFileText', () => {
  it('normalises to NFC and repairs', () => {
    expect(repairFileText('Đăng ký'.normalize('NFD'))).toBe('Đăng ký');
    expect(repairFileText('Ä‘Äƒng kÃ½', repairer)).toBe('đăng ký');
    expect(repairFileText('Thuû tuïc ñaêng kyù', repairer)).toBe('Thủ tục đăng ký');
  });

  it('throws an error that names the problem', () => {
    expect(() => repairFileText('abc\uFFFD', repairer)).toThrow(/cannot repair text encoding: contains U\+FFFD/);
    expect(() => repairFileText('Con xin meï ñöøng quaù ñau buŏn.', repairer)).toThrow(/mixed encodings/);
  });
});

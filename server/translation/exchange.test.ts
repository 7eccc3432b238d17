import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, writeCsv } from './csv.js';
import { articleUnitId, markdownToInline, inlineToMarkdown, parseUnitId, readExchangeCsv, readXliff, stringUnitId, writeExchangeCsv, writeXliff, XLIFF_NS, type ExchangeDoc } from './exchange.js';
import { assembleArticle, rebuildBody, segmentArticle } from './markdown-segments.js';
import { DEFAULT_KNOWLEDGE_DIR, sha256Hex } from './packs.js';
import { fakeTranslate } from './test-fixtures.js';
import { validateSegment } from './validate.js';
import { parseXml } from './xml.js';
import { parseArticle } from '../knowledge/article-parser.js';

const VI = path.join(DEFAULT_KNOWLEDGE_DIR, 'articles', 'vi');

describe('CSV (RFC 4180)', () => {
  it('quotes commas, quotes and line breaks and reads them back', () => {
    const rows = [
      ['id', 'source', 'target'],
      ['a', 'có dấu phẩy, ở đây', 'nói "xin chào"'],
      ['b', 'hai\ndòng', ' khoảng trắng đầu'],
      ['c', '', 'plain'],
    ];
    const text = writeCsv(rows);
    expect(text).toContain('"có dấu phẩy, ở đây","nói ""xin chào"""');
    expect(text).toContain('"hai\ndòng"');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual(rows);
  });

  it('reports an unclosed quote with its line', () => {
    expect(() => parseCsv('id,source\n1,"open\n2,x\n')).toThrow(/line 2: a quoted field is not closed/);
    expect(() => parseCsv('id,source\n1,ab"c\n')).toThrow(/line 2/);
  });
});

describe('article segmentation', () => {
  const text = fs.readFileSync(path.join(VI, 'dvc.support-points.md'), 'utf8');
  const seg = segmentArticle(text);

  it('makes one unit per title, summary, heading, paragraph and list item, markers included', () => {
    expect(seg.units[0]).toMatchObject({ unit: 'title', kind: 'title', source: 'Được hướng dẫn trực tiếp ở đâu' });
    expect(seg.units[1].unit).toBe('summary');
    expect(seg.units[1].source).toContain('{{one_stop_name}}');
    expect(seg.units.find((u) => u.source === '## Nơi được hướng dẫn')?.kind).toBe('heading');
    const nested = seg.units.find((u) => u.source.startsWith('  - Địa chỉ'));
    expect(nested?.kind).toBe('item');
    expect(seg.units.find((u) => u.source.startsWith('1. Gọi {{province_hotline}}'))?.kind).toBe('item');
    expect(seg.units.find((u) => u.source.startsWith('Từ ngày 01/7/2025'))?.kind).toBe('paragraph');
  });

  it('rebuilds the body byte for byte when nothing is replaced', () => {
    const body = text.slice(text.indexOf('\n---\n') + 5);
    expect(rebuildBody(seg.blocks, () => undefined)).toBe(body);
  });

  it('assembles a translated article the article parser accepts', () => {
    const targets = new Map(seg.units.map((u) => [u.unit, fakeTranslate(u.source)]));
    const out = assembleArticle(seg, targets, { lang: 'bdq', status: 'draft', translator: 'T', updated: '2026-11-22', translationOfHash: sha256Hex(text) });
    const doc = parseArticle(out, 'articles/bdq/dvc.support-points.md');
    expect(doc).toMatchObject({ id: 'dvc.support-points', lang: 'bdq', status: 'draft' });
    expect(out).toContain(`translation_of_hash: ${sha256Hex(text)}`);
    expect(out).toContain('  - «ĐỊA CHỈ: »{{one_stop_address}}«.»');
  });
});

describe('validation of a translated segment', () => {
  const src = '1. Gọi {{province_hotline}} hỏi **điểm hỗ trợ** gần nhà, xem [trang](https://dichvucong.gov.vn/p).';
  it('accepts a translation that keeps the structure', () => {
    expect(validateSegment(src, fakeTranslate(src))).toEqual([]);
  });
  it('names each problem', () => {
    expect(validateSegment(src, '   ')).toEqual(['the translation is empty']);
    expect(validateSegment(src, src)).toContain('the translation is identical to the Vietnamese source');
    const broken = fakeTranslate(src).replace('{{province_hotline}}', '{{province_hotline}');
    expect(validateSegment(src, broken)).toEqual(expect.arrayContaining(['placeholder {{province_hotline}} is missing', 'a placeholder is broken (write it exactly as {{name}})']));
    expect(validateSegment(src, fakeTranslate(src).replace('{{province_hotline}}', '{{national_hotline}}'))).toEqual(
      expect.arrayContaining(['placeholder {{province_hotline}} is missing', 'placeholder {{national_hotline}} is not in the source']),
    );
    expect(validateSegment(src, fakeTranslate(src).replace('1. ', ''))[0]).toMatch(/marker "1. " at the start is missing/);
    expect(validateSegment(src, fakeTranslate(src).replace('1. ', '- '))[0]).toMatch(/starts with "- " but the source starts with "1. "/);
    expect(validateSegment(src, fakeTranslate(src).replace('https://dichvucong.gov.vn/p', 'https://evil.example/p'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/link target https:\/\/dichvucong.gov.vn\/p is missing or was changed/)]),
    );
    expect(validateSegment(src, fakeTranslate(src).replace(/\*\*/g, ''))).toContain('the source has 1 bold part(s) (**…**), the translation 0');
    expect(validateSegment(src, `${fakeTranslate(src)} **`)).toContain('an unpaired "**" (bold must open and close)');
  });
});

describe('XLIFF 2.0 and CSV exchange files', () => {
  const hash = 'a'.repeat(64);
  const doc: ExchangeDoc = {
    srcLang: 'vi',
    trgLang: 'bdq',
    translator: null,
    units: [
      { id: stringUnitId('reply', 'fallback.one_stop', hash), source: 'Hoặc đến {{oneStop}} để được hướng dẫn trực tiếp.', target: '', notes: ['reply.json → fallback.one_stop'], suggestions: ['TM 0.61: a → b'] },
      { id: articleUnitId('dvc.support-points', hash, 'b3'), source: '- **Bộ phận Một cửa** ở [cấp xã](https://dichvucong.gov.vn/x) & "tỉnh" <b>', target: '', notes: [], suggestions: [] },
      { id: articleUnitId('dvc.support-points', hash, 'b4'), source: '- Dòng một\n  - dòng hai {{one_stop_name}}', target: '', notes: [], suggestions: [] },
    ],
  };

  it('unit ids are NMTOKENs and parse back', () => {
    for (const u of doc.units) {
      expect(u.id).toMatch(/^[A-Za-z0-9._:-]+$/);
      expect(parseUnitId(u.id)).not.toBeNull();
    }
    expect(parseUnitId('a:dvc.x:zzz:b1')).toBeNull();
  });

  it('writes XLIFF 2.0 with the namespace, languages, one unit per segment and Markdown as inline codes', () => {
    const xml = writeXliff(doc);
    const root = parseXml(xml);
    expect(root.name).toBe('xliff');
    expect(root.attrs).toMatchObject({ xmlns: XLIFF_NS, version: '2.0', srcLang: 'vi', trgLang: 'bdq' });
    expect(xml.match(/<unit /g)).toHaveLength(3);
    expect(xml).toContain('<ph id="1" dataRef="d1" disp="{{oneStop}}"/>');
    expect(xml).toMatch(/<pc id="\d+" dataRefStart="d\d+" dataRefEnd="d\d+" dispStart="\*\*" dispEnd="\*\*">Bộ phận Một cửa<\/pc>/);
    expect(xml).toContain('<data id="d4">](https://dichvucong.gov.vn/x)</data>');
    expect(xml).toContain('&amp; "tỉnh" &lt;b&gt;');
    expect(xml).toContain('<note category="suggestion">TM 0.61: a → b</note>');
  });

  it('round-trips through XLIFF and CSV unchanged', () => {
    const translated = { ...doc, translator: 'Y Hơ', units: doc.units.map((u) => ({ ...u, target: fakeTranslate(u.source) })) };
    const x = readXliff(writeXliff(translated));
    expect(x.problems).toEqual([]);
    expect(x.translator).toBe('Y Hơ');
    expect(x.units.map((u) => [u.id, u.source, u.target])).toEqual(translated.units.map((u) => [u.id, u.source, u.target]));
    const c = readExchangeCsv(writeExchangeCsv(translated), 'bdq');
    expect(c.units.map((u) => [u.id, u.source, u.target, u.notes, u.suggestions])).toEqual(translated.units.map((u) => [u.id, u.source, u.target, u.notes, u.suggestions]));
  });

  it('inline conversion is lossless', () => {
    for (const md of ['## Các bước', '1. Mở **VNeID**, bấm [Đăng nhập](https://x.gov.vn/a?b=c).', '- a\n  - b {{x}}', 'không có gì']) {
      expect(inlineToMarkdown(markdownToInline(md))).toBe(md);
    }
  });

  it('refuses a non-XLIFF-2.0 file and reports a unit whose inline code is unknown', () => {
    expect(() => readXliff('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>')).toThrow(/not an XLIFF 2.0 file/);
    expect(() => readXliff('<!DOCTYPE x [<!ENTITY a "b">]><xliff/>')).toThrow(/DOCTYPE/);
    const bad = writeXliff({ ...doc, units: [{ ...doc.units[0], target: fakeTranslate(doc.units[0].source) }] }).replace('<target xml:space="preserve">«HOẶC ĐẾN »<ph id="1" dataRef="d1"', '<target xml:space="preserve">«HOẶC ĐẾN »<ph id="1" dataRef="d9"');
    const r = readXliff(bad);
    expect(r.problems).toEqual([{ id: doc.units[0].id, message: '<ph> refers to unknown original data "d9"' }]);
  });
});

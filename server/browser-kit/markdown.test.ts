import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, plainInline } from './markdown.js';

// The parts of the shared parser the staff pages rely on; the widget's cases are in
// server/web/client/markdown.test.ts.
describe('the shared Markdown parser', () => {
  it('reads code spans as text, never as markup', () => {
    expect(parseInline('mẫu `CT01` và `<b>x</b>`')).toEqual([
      { t: 'text', v: 'mẫu ' },
      { t: 'code', v: 'CT01' },
      { t: 'text', v: ' và ' },
      { t: 'code', v: '<b>x</b>' },
    ]);
  });

  it('reads {{placeholder}} fields only when asked to', () => {
    expect(parseInline('Gọi {{province_hotline}}.', { placeholders: true })).toEqual([
      { t: 'text', v: 'Gọi ' },
      { t: 'placeholder', key: 'province_hotline' },
      { t: 'text', v: '.' },
    ]);
    expect(parseInline('Gọi {{province_hotline}}.')).toEqual([{ t: 'text', v: 'Gọi {{province_hotline}}.' }]);
  });

  it('nests indented items and "+" items of a "-" list under the item before them', () => {
    const [list] = parseMarkdown('- Tờ khai\n  - bản chính\n- Giấy tờ khác\n+ bản sao\n  tiếp');
    expect(list).toMatchObject({ t: 'ul' });
    if (list.t !== 'ul') throw new Error('not a list');
    expect(list.items.map((i) => plainInline(i))).toEqual(['Tờ khai', 'Giấy tờ khác']);
    expect(list.subs?.map((s) => s?.map((i) => plainInline(i)))).toEqual([['bản chính'], ['bản sao tiếp']]);
  });

  it('keeps heading levels', () => {
    expect(parseMarkdown('## Cần chuẩn bị\n#### Lưu ý').map((b) => (b.t === 'h' ? b.level : 0))).toEqual([2, 4]);
  });

  it('plain text keeps a written link target and fills or marks placeholders', () => {
    const nodes = parseInline('Vào [Cổng](https://dichvucong.gov.vn) hoặc gọi {{hotline}} và {{missing}}', { placeholders: true });
    expect(plainInline(nodes, { targets: true, values: { hotline: '1800 1096' } })).toBe('Vào Cổng (https://dichvucong.gov.vn) hoặc gọi 1800 1096 và [missing]');
    expect(plainInline(nodes)).toBe('Vào Cổng hoặc gọi [hotline] và [missing]');
  });

  it('cuts a source longer than its limit', () => {
    expect(parseMarkdown('a'.repeat(50), { maxChars: 10 })).toEqual([{ t: 'p', c: [{ t: 'text', v: 'a'.repeat(10) }] }]);
  });
});

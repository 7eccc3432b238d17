import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInline as kitInline, parseMarkdown as kitMarkdown, plainText, safeHref, type Inline } from '../../browser-kit/markdown.js';
import { findPhones, telHref } from './phone.js';

// The widget parses answers with the kit's parser and its own phone finder (dom.ts parseAnswer).
const parseInline = (s: string) => kitInline(s, { phones: findPhones });
const parseMarkdown = (s: string) => kitMarkdown(s, { phones: findPhones });
import { contrast, palette, BOT_BUBBLE, DEFAULT_ACCENT } from './color.js';

/** A compact view of inline nodes: text as is, other nodes as tagged strings. */
function show(nodes: Inline[]): string {
  return nodes
    .map((n) => {
      if (n.t === 'text') return n.v;
      if (n.t === 'br') return '<br>';
      if (n.t === 'link') return `<a ${n.href}>${show(n.c)}</a>`;
      if (n.t === 'code') return `<code>${n.v}</code>`;
      if (n.t === 'placeholder') return `{${n.key}}`;
      return `<${n.t}>${show(n.c)}</${n.t}>`;
    })
    .join('');
}

const links = (nodes: Inline[]): string[] =>
  nodes.flatMap((n) => (n.t === 'link' ? [n.href, ...links(n.c)] : 'c' in n ? links(n.c) : []));

describe('inline Markdown', () => {
  it('bold, italic, both delimiters', () => {
    expect(show(parseInline('**Không bao giờ** đưa _mã OTP_ cho *ai*, __kể cả__ công an'))).toBe(
      '<strong>Không bao giờ</strong> đưa <em>mã OTP</em> cho <em>ai</em>, <strong>kể cả</strong> công an',
    );
  });

  it('leaves underscores inside words and lone asterisks alone', () => {
    expect(show(parseInline('file_name_here và 2 * 3 * 4'))).toBe('file_name_here và 2 * 3 * 4');
  });

  it('links http(s) targets, opens them as external', () => {
    const nodes = parseInline('Vào [Cổng quốc gia](https://dichvucong.gov.vn) để nộp');
    expect(show(nodes)).toBe('Vào <a https://dichvucong.gov.vn/>Cổng quốc gia</a> để nộp');
    expect(nodes[1]).toMatchObject({ t: 'link', external: true });
  });

  it('links bare URLs without the sentence punctuation after them', () => {
    expect(show(parseInline('Báo cáo tại: https://canhbao.khonggianmang.gov.vn. Nếu bị đe dọa'))).toBe(
      'Báo cáo tại: <a https://canhbao.khonggianmang.gov.vn/>https://canhbao.khonggianmang.gov.vn</a>. Nếu bị đe dọa',
    );
  });

  it.each([
    ['[x](javascript:alert(1))', 'x'],
    ['[x](JavaScript:alert(1))', 'x'],
    ['[x](javascript:alert(document.cookie))', 'x'],
    ['[x](data:text/html,<script>alert(1)</script>)', 'x'],
    ['[x](vbscript:msgbox)', 'x'],
    ['[x](//evil.example/)', 'x'],
    ['[x](/relative)', 'x'],
    ['[x](https://user:pw@evil.example/)', 'x'],
  ])('keeps only the words of a link it does not allow: %s', (src, text) => {
    const nodes = parseInline(src);
    expect(links(nodes)).toEqual([]);
    expect(show(nodes)).toBe(text);
  });

  it('keeps HTML as text', () => {
    const src = '<img src=x onerror=alert(1)> <script>alert(1)</script>';
    expect(parseInline(src)).toEqual([{ t: 'text', v: src }]);
  });

  it('never nests a link in a link', () => {
    const nodes = parseInline('[gọi 1800 1096 https://a.gov.vn](https://dichvucong.gov.vn)');
    expect(links(nodes)).toEqual(['https://dichvucong.gov.vn/']);
  });
});

describe('safeHref', () => {
  it.each([
    ['https://dichvucong.gov.vn', 'https://dichvucong.gov.vn/'],
    ['HTTP://Example.gov.vn/a?b=1', 'http://example.gov.vn/a?b=1'],
    ['tel:1800 1096', 'tel:18001096'],
    ['tel:+84 987 654 321', 'tel:+84987654321'],
    ['javascript:alert(1)', null],
    [' javascript:alert(1)', null],
    ['java\tscript:alert(1)', null],
    ['https://exa mple.com', null],
    ['mailto:a@b.vn', null],
    ['tel:javascript:alert(1)', null],
  ])('%j → %j', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });
});

describe('blocks', () => {
  it('paragraphs with line breaks, lists, rules and headings', () => {
    const blocks = parseMarkdown('# Tiêu đề\n\n**Cần chuẩn bị**\nTờ khai CT01.\n\n- một\n- hai\n  tiếp\n\n3. ba\n4. bốn\n\n---\n\nHết.');
    expect(blocks.map((b) => b.t)).toEqual(['h', 'p', 'ul', 'ol', 'hr', 'p']);
    expect(show((blocks[1] as { c: Inline[] }).c)).toBe('<strong>Cần chuẩn bị</strong><br>Tờ khai CT01.');
    expect((blocks[2] as { items: Inline[][] }).items.map(show)).toEqual(['một', 'hai tiếp']);
    expect(blocks[3]).toMatchObject({ t: 'ol', start: 3 });
  });

  it('a paragraph line right after a list ends the list', () => {
    expect(parseMarkdown('1. a\n2. b\nSau đó').map((b) => b.t)).toEqual(['ol', 'p']);
  });

  it('plain text for the screen-reader announcement', () => {
    expect(plainText(parseMarkdown('**Gọi** 1800 1096\n\n- a\n- b'))).toBe('Gọi 1800 1096 a; b');
  });

  it('renders a real safety answer with its phone numbers and official link', () => {
    const text =
      '**Cảnh báo an toàn:** Ai hỏi mã OTP là kẻ lừa đảo.\n\n1. Gọi tổng đài hỗ trợ VNeID: **1900 0368**.\n2. Gọi tổng đài Cổng Dịch vụ công quốc gia: **1800 1096**.\n\nBáo cáo tại: **https://canhbao.khonggianmang.gov.vn**.';
    const all = parseMarkdown(text).flatMap((b) => ('c' in b ? links(b.c) : 'items' in b ? b.items.flatMap(links) : []));
    expect(all).toEqual(['tel:19000368', 'tel:18001096', 'https://canhbao.khonggianmang.gov.vn/']);
  });
});

describe('phone numbers', () => {
  const tels = (s: string) => findPhones(s).map((m) => m.tel);

  it.each([
    ['gọi 1800 1096.', ['18001096']],
    ['tổng đài 1900 0368 hoặc 1800 1096', ['19000368', '18001096']],
    ['Hotline 1900.5555.77', ['1900555577']],
    ['số 0987 654 321 nhé', ['0987654321']],
    ['Điện thoại 0260.3862.123', ['02603862123']],
    ['+84 987 654 321', ['+84987654321']],
    ['gọi công an 113 ngay', ['113']],
    ['Tổng đài 1022 tiếp nhận phản ánh', ['1022']],
    ['đường dây nóng: 1022', ['1022']],
    ['call 115', ['115']],
  ])('finds %j', (text, expected) => {
    expect(tels(text)).toEqual(expected);
  });

  it.each([
    'Mã hồ sơ 000.00.12.H26-240315-0001',
    'công bố năm 2021',
    'theo Điều 113 của Luật',
    'lệ phí 1.800.000 đồng',
    'Thông tư 56/2021/TT-BCA',
    'mã 18001096123456',
    'ngày 1800 của năm',
    'CCCD 079187004521',
  ])('finds none in %j', (text) => {
    expect(tels(text)).toEqual([]);
  });

  it('tel: links from profile numbers', () => {
    expect(telHref('1800 1096')).toBe('tel:18001096');
    expect(telHref('(028) 3822-1234')).toBe('tel:02838221234');
    expect(telHref('gọi đi')).toBeNull();
  });
});

describe('accent colour', () => {
  it('keeps the default and white text', () => {
    expect(palette(undefined)).toEqual({ accent: DEFAULT_ACCENT, onAccent: '#ffffff', link: DEFAULT_ACCENT });
    expect(contrast(DEFAULT_ACCENT, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });

  it('uses dark text on a light accent and darkens links until they read on the bubble', () => {
    const p = palette('#ffd400');
    expect(p.onAccent).toBe('#111111');
    expect(contrast(p.link, BOT_BUBBLE)).toBeGreaterThanOrEqual(4.5);
  });

  it('falls back to the default for colours that no text can sit on, and for junk', () => {
    expect(palette('#777777').accent).toBe(DEFAULT_ACCENT);
    expect(palette('red; background:url(x)').accent).toBe(DEFAULT_ACCENT);
  });
});

describe('WCAG AA contrast of the colours in the stylesheets', () => {
  const css = ['widget.css', 'portal.css'].map((f) => fs.readFileSync(path.join(import.meta.dirname, '../static', f), 'utf8')).join('\n').toLowerCase();
  // [what, foreground, background, minimum]: 4.5 for text, 3 for borders of controls.
  it.each([
    ['muted text on the bubble', '#4b5563', BOT_BUBBLE, 4.5],
    ['muted text on the contact card', '#4b5563', '#f8fafc', 4.5],
    ['placeholder', '#5f6368', '#ffffff', 4.5],
    ['text on the bubble', '#1a1a1a', BOT_BUBBLE, 4.5],
    ['thanks on the bubble', '#166534', BOT_BUBBLE, 4.5],
    ['error on the bubble', '#b91c1c', BOT_BUBBLE, 4.5],
    ['safety title', '#7c2d12', '#fff7e6', 4.5],
    ['links in a safety answer', DEFAULT_ACCENT, '#fff7e6', 4.5],
    ['chip on hover', DEFAULT_ACCENT, '#eaf1fa', 4.5],
    ['control borders', '#6b7280', '#ffffff', 3],
    ['safety border', '#b45309', '#fff7e6', 3],
    ['demo: notice', '#3d2c00', '#fff4ce', 4.5],
    ['demo: site name', '#a50d25', '#ffffff', 4.5],
    ['demo: menu', '#ffffff', '#0b5cad', 4.5],
    ['demo: hero title', '#0b3d73', '#d5e6f7', 4.5],
    ['demo: tiles', '#374151', '#ffffff', 4.5],
    ['demo: footer', '#e8eef7', '#102a43', 4.5],
  ] as const)('%s', (_what, fg, bg, min) => {
    for (const c of [fg, bg]) if (c !== '#ffffff') expect(css.includes(c), `${c} is used in the stylesheets`).toBe(true);
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(min);
  });
});

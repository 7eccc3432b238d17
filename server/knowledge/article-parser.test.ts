import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArticle, splitSections, ArticleError } from './article-parser.js';
import { PROJECT_ROOT } from '../config.js';
import { sharedData } from '../test-support/shared-data.js';

const good = `---
id: dvc.track-dossier
topics: [dvc.track-dossier]
title: Tra cứu tình trạng hồ sơ
lang: vi
summary: Nhập mã hồ sơ trên cổng để xem hồ sơ đang ở bước nào. Hồ sơ trễ hạn phải có văn bản xin lỗi.
sources:
  - title: Nghị quyết 131/NQ-CP
updated: 2026-11-22
verify: false
---
## Các bước
1. Mở cổng.
2. Nhập mã hồ sơ.

## Lưu ý
- **Giữ mã hồ sơ.**
`;

describe('parseArticle', () => {
  it('parses front matter and splits sections at level-2 headings', () => {
    const doc = parseArticle(good, 'articles/vi/dvc.track-dossier.md');
    expect(doc.id).toBe('dvc.track-dossier');
    expect(doc.updated).toBe('2026-11-22');
    expect(doc.sections.map((s) => s.heading)).toEqual(['Các bước', 'Lưu ý']);
    expect(doc.status).toBe('source');
  });

  it.each([
    ['no front matter', 'hello', /front matter/],
    ['id not matching the file', good.replace('id: dvc.track-dossier', 'id: dvc.payment'), /file name/],
    ['missing sources', good.replace(/sources:\n {2}- title: Nghị quyết 131\/NQ-CP\n/, ''), /sources/],
    ['verify not boolean', good.replace('verify: false', 'verify: maybe'), /verify/],
    ['broken YAML', good.replace('topics: [dvc.track-dossier]', 'topics: [dvc.track-dossier'), /YAML/],
    ['no body', good.split('## Các bước')[0], /no body/],
  ])('rejects %s with a clear message', (_name, text, message) => {
    expect(() => parseArticle(text, 'articles/vi/dvc.track-dossier.md')).toThrow(message);
    expect(() => parseArticle(text, 'articles/vi/dvc.track-dossier.md')).toThrow(ArticleError);
  });

  it('keeps ### sub-headings inside their section', () => {
    expect(splitSections('## A\ntext\n### sub\nmore\n## B\nb')).toEqual([
      { heading: 'A', text: 'text\n### sub\nmore' },
      { heading: 'B', text: 'b' },
    ]);
  });
});

const coverageMap = sharedData('knowledge-topics.yaml');

describe.skipIf(!coverageMap.present)(`the shipped knowledge base against the coverage map${coverageMap.note}`, () => {
  const topicsYaml = coverageMap.present ? fs.readFileSync(coverageMap.path, 'utf8') : '';
  const topicIds = [...topicsYaml.matchAll(/- id: ([a-z.\-0-9]+)/g)].map((m) => m[1]);
  const dir = path.join(PROJECT_ROOT, 'knowledge', 'articles', 'vi');
  const docs = fs.readdirSync(dir).map((f) => parseArticle(fs.readFileSync(path.join(dir, f), 'utf8'), path.join('articles/vi', f)));

  it('has a Vietnamese article for every topic of the coverage map', () => {
    const covered = new Set(docs.flatMap((d) => d.topics));
    expect(topicIds.length).toBeGreaterThan(40);
    expect(topicIds.filter((t) => !covered.has(t))).toEqual([]);
  });

  it('puts no phone number or URL in article text (they come from province profiles)', () => {
    for (const d of docs) {
      const text = [d.summary, ...d.sections.map((s) => s.text)].join('\n');
      expect(text, d.id).not.toMatch(/https?:\/\/|www\./);
      expect(text, d.id).not.toMatch(/\b(1800|1900)[\s.]?\d{3,4}\b|\b0\d{9}\b|\b113\b/);
    }
  });
});

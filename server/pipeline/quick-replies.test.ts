import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../project-root.js';
import { createI18n, translator } from '../i18n/i18n.js';
import { parseArticle } from '../knowledge/article-parser.js';
import type { IndexedDoc } from '../knowledge/knowledge-index.js';
import type { Candidate } from '../retrieval/hybrid-retriever.js';
import type { ConfidenceFeatures } from '../retrieval/confidence.js';
import { loadLexicon } from '../retrieval/lexicon.js';
import { fallbackQuickReplies, QUICK_LABEL_MAX, quickRepliesFor, shortLabel } from './quick-replies.js';

const knowledgeDir = path.join(PROJECT_ROOT, 'knowledge');
const lexicon = loadLexicon(knowledgeDir);
const i18n = createI18n();
const vi = translator(i18n, 'vi', 'reply');
const en = translator(i18n, 'en', 'reply');

let rowid = 0;
function article(lang: string, id: string, title?: string): IndexedDoc {
  const file = path.join(knowledgeDir, 'articles', lang, `${id}.md`);
  const doc = parseArticle(fs.readFileSync(file, 'utf8'), file);
  return { ...doc, ...(title ? { title } : {}), rowid: ++rowid };
}
const candidate = (doc: IndexedDoc): Candidate => ({
  doc,
  score: 1,
  lexicalRank: 1,
  vectorRank: 1,
  lexicalScore: 1,
  vectorScore: 1,
  coverage: 1,
  bigramCoverage: 1,
  features: {} as ConfidenceFeatures,
  bestSection: -1,
});

describe('shortLabel', () => {
  it('keeps a short title whole', () => {
    expect(shortLabel('Cấp hộ chiếu phổ thông')).toBe('Cấp hộ chiếu phổ thông');
  });

  it('cuts a long title at its natural break, else at a word with an ellipsis, never mid-word', () => {
    expect(shortLabel('Đăng ký khai sinh trực tuyến (liên thông khai sinh – thường trú – thẻ BHYT cho trẻ dưới 6 tuổi)')).toBe('Đăng ký khai sinh trực tuyến');
    const long = 'Thủ tục cấp giấy chứng nhận quyền sử dụng đất quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu';
    const label = shortLabel(long);
    expect([...label].length).toBeLessThanOrEqual(QUICK_LABEL_MAX);
    expect(label.endsWith('…')).toBe(true);
    const words = label.slice(0, -1).split(' ');
    expect(long.split(' ').slice(0, words.length)).toEqual(words);
  });
});

describe('quickRepliesFor', () => {
  const shown = article('vi', 'service.passport');

  it('offers related topics only in the answer language, each once, with the person last', () => {
    const related = [
      candidate(article('en', 'service.id-card')),
      candidate(article('vi', 'service.id-card')),
      candidate(article('vi', 'service.id-card')),
      candidate(article('vi', 'service.criminal-record')),
      candidate(shown),
    ];
    const replies = quickRepliesFor(shown, null, related, { t: vi, lexicon });
    const labels = replies.map((r) => r.label);
    expect(labels).not.toContain(article('en', 'service.id-card').title);
    expect(new Set(labels).size).toBe(labels.length);
    expect(new Set(replies.map((r) => r.payload)).size).toBe(replies.length);
    expect(labels.filter((l) => l === shortLabel(article('vi', 'service.id-card').title))).toHaveLength(1);
    expect(labels.at(-1)).toBe('Gặp cán bộ hỗ trợ');
    expect(labels).not.toContain(shown.title);
    for (const l of labels) expect([...l].length).toBeLessThanOrEqual(QUICK_LABEL_MAX);
  });

  it('labels its own buttons in the answer language', () => {
    const enShown = article('en', 'service.passport');
    const replies = quickRepliesFor(enShown, null, [candidate(article('vi', 'service.id-card'))], { t: en, lexicon });
    expect(replies.map((r) => r.label)).toEqual(expect.arrayContaining(['Talk to a person']));
    expect(replies.map((r) => r.label)).not.toContain(article('vi', 'service.id-card').title);
  });

  it('offers a fallback suggestion once even when several copies match', () => {
    const doc = article('vi', 'service.id-card');
    const replies = fallbackQuickReplies([candidate(doc), candidate({ ...doc, rowid: 999 })], vi);
    expect(replies.map((r) => r.payload)).toEqual([doc.title, 'Gặp cán bộ hỗ trợ']);
  });
});

import { describe, expect, it } from 'vitest';
import type { KnowledgeDoc } from '../server/knowledge/types.js';
import { createMiniSearchPeer } from './minisearch-peer.js';
import { createBaseline } from './baseline.js';

function doc(id: string, title: string, keywords: string[], text: string): KnowledgeDoc {
  return {
    id, kind: 'article', lang: 'vi', title, topics: [id], summary: '', keywords, aliases: [], sections: [{ heading: 'Nội dung', text }],
    sources: [], updated: null, verify: false, url: null, status: 'source', file: null, contentHash: id,
  };
}

const docs = [
  doc('service.birth-registration', 'Đăng ký khai sinh trực tuyến', ['khai sinh', 'giấy khai sinh'], 'Cha mẹ đăng ký khai sinh cho con trên Cổng dịch vụ công.'),
  doc('service.passport', 'Cấp hộ chiếu phổ thông', ['hộ chiếu', 'passport'], 'Nộp hồ sơ cấp hộ chiếu tại cơ quan xuất nhập cảnh.'),
  doc('service.driving-licence', 'Đổi giấy phép lái xe', ['bằng lái', 'giấy phép lái xe'], 'Đổi giấy phép lái xe trực tuyến.'),
];

describe('the MiniSearch peer', () => {
  const peer = createMiniSearchPeer(docs);
  it('matches questions typed without diacritics, with a typo, or with a word cut short', () => {
    expect(peer.rank('dang ky khai sinh cho con')[0].id).toBe('service.birth-registration');
    expect(peer.rank('lam ho chieuu o dau')[0].id).toBe('service.passport');
    expect(peer.rank('doi giay phep lai')[0].id).toBe('service.driving-licence');
  });
  it('returns nothing for a question with no word in common, and at most the limit', () => {
    expect(peer.rank('xyz qqq')).toEqual([]);
    expect(peer.rank('')).toEqual([]);
    expect(peer.rank('đăng ký hồ sơ giấy', 2).length).toBeLessThanOrEqual(2);
  });
  it('ranks where the plain BM25 baseline, without folding, cannot', () => {
    const bm25 = createBaseline(docs);
    try {
      expect(bm25.rank('ho chieu')).toEqual([]);
      expect(peer.rank('ho chieu')[0].id).toBe('service.passport');
    } finally {
      bm25.close();
    }
  });
});

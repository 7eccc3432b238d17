import { describe, expect, it } from 'vitest';
import { markdownToPlainList, markdownToPlainSentence } from './plain-text.js';

describe('plain text for SMS and previews', () => {
  const list = 'Theo hồ sơ thủ tục năm 2021:\n- **Giấy chứng sinh**.\n- Giấy tờ tùy thân của người đi khai sinh\n- Giấy chứng nhận kết hôn, nếu có';

  it('keeps every item of a documents list, each ended', () => {
    expect(markdownToPlainList(list)).toBe('Theo hồ sơ thủ tục năm 2021: Giấy chứng sinh. Giấy tờ tùy thân của người đi khai sinh; Giấy chứng nhận kết hôn, nếu có.');
  });

  it('where one sentence of the same list would keep only the first paper', () => {
    expect(markdownToPlainSentence(list)).not.toContain('tùy thân');
  });
});

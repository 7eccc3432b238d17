import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../project-root.js';
import { findAsk } from './ask.js';
import { loadLexicon } from './lexicon.js';

const lexicon = loadLexicon(path.join(PROJECT_ROOT, 'knowledge'));

describe('finding the question in a message', () => {
  it('takes the last sentence with a question mark out of a story, and says there was a story', () => {
    const a = findAsk('Con dâu tôi mới sinh cháu được ba tuần. Hai đứa đi làm ca suốt. Tôi là bà nội thì có đi làm giấy khai sinh thay được không?', lexicon);
    expect(a.sentence).toBe('Tôi là bà nội thì có đi làm giấy khai sinh thay được không?');
    expect(a.hasStory).toBe(true);
    expect(a.type).toBe('eligibility');
  });

  it('finds a question without a question mark by its question word', () => {
    const a = findAsk('Tôi nộp hồ sơ ở xã từ tuần trước. xin lý lịch tư pháp mất mấy ngày thì có', lexicon);
    expect(a.sentence).toMatch(/^xin lý lịch tư pháp/);
    expect(a.type).toBe('duration');
  });

  it('takes the sentence before a question too short to say what it is about', () => {
    const a = findAsk('Bố tôi mất ở nhà hôm qua. Gia đình cần làm giấy khai tử. Vậy phải làm sao?', lexicon);
    expect(a.sentence).toBe('Gia đình cần làm giấy khai tử. Vậy phải làm sao?');
    expect(a.hasStory).toBe(true);
  });

  it.each([
    ['đăng ký thường trú cần giấy tờ gì', 'documents'],
    ['làm hộ chiếu hết bao nhiêu tiền', 'fee'],
    ['cấp căn cước mất bao lâu', 'duration'],
    ['nộp hồ sơ khai tử ở đâu', 'place'],
    ['số điện thoại tổng đài dịch vụ công là gì', 'contact'],
    ['sửa nhà lên thêm 1 tầng có phải xin giấy phép xây dựng không', 'eligibility'],
    ['how do I register a birth online', 'steps'],
    ['VNeID mức 2 dùng được cho dịch vụ công chưa', 'yes_no'],
    ['Is the portal open on Sunday?', 'yes_no'],
    ['đăng ký kết hôn', 'other'],
  ])('reads "%s" as asking for %s', (text, type) => {
    expect(findAsk(text, lexicon).type).toBe(type);
  });

  it('gives an empty ask for a message with no words, never throws', () => {
    expect(findAsk(' ... ?! ', lexicon)).toEqual({ type: 'other', sentence: '', tokens: [], hasStory: false });
  });

  it('treats a one-sentence message as all question, no story', () => {
    const a = findAsk('quên mật khẩu VNeID thì làm sao', lexicon);
    expect(a.hasStory).toBe(false);
    expect(a.sentence).toBe('quên mật khẩu VNeID thì làm sao');
  });
});

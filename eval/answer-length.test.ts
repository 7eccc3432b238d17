import { describe, expect, it } from 'vitest';
import { LEAD_CHARS, leadOf, lengthFigures } from './evaluate.js';

describe('answer length figures', () => {
  it('gives the median and the nearest-rank 95th percentile', () => {
    const xs = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    expect(lengthFigures(xs)).toEqual({ n: 20, median: 100, p95: 190 });
    expect(lengthFigures([7])).toEqual({ n: 1, median: 7, p95: 7 });
  });

  it('has no figures when nothing was answered', () => {
    expect(lengthFigures([])).toEqual({ n: 0, median: null, p95: null });
  });
});

describe('the lead of an answer', () => {
  it('is the text after the bold title line, cut at the first screen', () => {
    const text = `**Thủ tục đăng ký khai sinh**\n\nLệ phí: miễn phí. ${'x'.repeat(500)}`;
    const lead = leadOf(text);
    expect(lead.startsWith('Lệ phí: miễn phí.')).toBe(true);
    expect(lead).toHaveLength(LEAD_CHARS);
  });

  it('keeps a text without a title line from its start', () => {
    expect(leadOf('Không cần xin phép.')).toBe('Không cần xin phép.');
  });
});

import { describe, expect, it } from 'vitest';
import { fill, lookup, translator } from './strings.js';

describe('the browser kit strings (the one t() of the widget, the staff pages and the demo page)', () => {
  const { t, entries } = translator({ title: 'Trợ lý', feedback: { thanks: 'Cảm ơn {{ name }}!', reasons: { none: '—', wrong: 'Sai', nested: { x: 'y' } } }, n: 3 });

  it('finds dotted keys and fills {{fields}} as plain text', () => {
    expect(t('title')).toBe('Trợ lý');
    expect(t('feedback.thanks', { name: '<b>An</b>' })).toBe('Cảm ơn <b>An</b>!');
    expect(lookup({ a: { b: 'c' } }, 'a.b')).toBe('c');
  });

  it('gives the key back for a missing key, a group or a non-string, never undefined', () => {
    expect(t('nope')).toBe('nope');
    expect(t('feedback')).toBe('feedback');
    expect(t('n')).toBe('n');
    expect(t('title.deeper')).toBe('title.deeper');
    expect(translator(null).t('x')).toBe('x');
  });

  it('leaves no raw or "undefined" field: missing and null parameters become empty', () => {
    expect(fill('a {{x}} b {{ y }} c', { y: null })).toBe('a  b  c');
    expect(fill('{{n}} giây', { n: 0 })).toBe('0 giây');
  });

  it('lists a group\'s strings in file order, skipping nested groups', () => {
    expect(entries('feedback.reasons')).toEqual([
      ['none', '—'],
      ['wrong', 'Sai'],
    ]);
    expect(entries('title')).toEqual([]);
    expect(entries('missing')).toEqual([]);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../server/test-support/temp-dir.js';
import { EvalSetError, readEvalSet } from './eval-set.js';
import { loadSets } from './run-eval.js';
import { listOwnSets, setFileFor } from './set-files.js';

const dir = tempDir('dvc-evalset-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: Array<object | string>): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

const ok = { q: 'Số thẻ 4111 1111 1111 1111 của tôi', topic: 'safety', style: 'plain', expect: 'safety' };

describe('reading an evaluation set', () => {
  it('reads the answer-level checks, secrets and metadata of a line', () => {
    const file = write('full.jsonl', [
      { q: 'Lệ phí làm hộ chiếu?', topic: 'service.passport', style: 'procedure-detail', why: 'fee', must_include: ['l[eệ] ph[ií]'], must_not_include: 'miễn phí', procedure: 'Cấp hộ chiếu phổ thông', notes: 'free-form metadata is allowed' },
      { ...ok, secrets: ['4111 1111 1111 1111'], held_out: true },
    ]);
    const [a, b] = readEvalSet(file);
    expect(a.mustInclude?.[0].test('LỆ PHÍ là 200.000 đồng')).toBe(true);
    expect(a.mustNotInclude?.[0].test('Miễn phí')).toBe(true);
    expect(a).toMatchObject({ procedure: 'Cấp hộ chiếu phổ thông', why: 'fee', line: 1 });
    expect(b).toMatchObject({ secrets: ['4111 1111 1111 1111'], heldOut: true, line: 2 });
  });

  const bad: Array<[string, object | string, RegExp]> = [
    ['broken JSON', '{"q": "x", ', /bad\.jsonl:2: not valid JSON/],
    ['an array line', '[1]', /bad\.jsonl:2: a line must be one JSON object/],
    ['a bad regular expression', { q: 'x', topic: 'none', must_include: ['(unclosed'] }, /bad\.jsonl:2: "must_include" holds an invalid regular expression/],
    ['a short secret', { ...ok, secrets: ['123'] }, /bad\.jsonl:2: secret "123" is shorter than 6/],
    ['a secret not in the question', { ...ok, secrets: ['5555 5555 5555 4444'] }, /bad\.jsonl:2: every secret must appear/],
    ['a misspelt check', { q: 'x', topic: 'none', must_inlcude: ['a'] }, /bad\.jsonl:2: unknown field\(s\) "must_inlcude"/],
    ['a non-boolean held_out', { q: 'x', topic: 'none', held_out: 'yes' }, /bad\.jsonl:2: "held_out" must be true or false/],
    ['a procedure that is not a string', { q: 'x', topic: 'none', procedure: 3 }, /bad\.jsonl:2: "procedure" must be a non-empty string/],
    ['empty turns', { topic: 'none', turns: [] }, /bad\.jsonl:2: "turns" must be a list/],
    ['no topic', { q: 'x' }, /bad\.jsonl:2: needs "topic"/],
  ];
  it.each(bad)('names the file and line of %s', (_what, line, message) => {
    const file = write('bad.jsonl', [{ q: 'fine', topic: 'none' }, line]);
    expect(() => readEvalSet(file)).toThrow(EvalSetError);
    expect(() => readEvalSet(file)).toThrow(message);
  });

  it('tells tuning sets from held-out sets by their folder, and rejects a line that claims otherwise', () => {
    const sets = path.join(dir, 'sets');
    write('sets/tuning/a.jsonl', [{ q: 'x', topic: 'none' }]);
    write('sets/held-out/b.jsonl', [{ q: 'y', topic: 'none', held_out: true }]);
    write('sets/stray.jsonl', [{ q: 'z', topic: 'none' }]);
    expect(listOwnSets(sets).map((s) => [s.name, s.role])).toEqual([
      ['tuning/a', 'tuning'],
      ['held-out/b', 'held-out'],
    ]);
    expect(setFileFor(path.join(sets, 'stray.jsonl')).role).toBe('tuning');
    expect(loadSets(listOwnSets(sets)).map((s) => s.items.length)).toEqual([1, 1]);
    const liar = write('sets/tuning/c.jsonl', [{ q: 'x', topic: 'none', held_out: true }]);
    expect(() => loadSets([setFileFor(liar)])).toThrow(/c\.jsonl:1: "held_out": true disagrees with the folder of the set \(tuning\)/);
  });
});

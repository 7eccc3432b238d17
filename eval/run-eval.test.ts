import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../server/test-support/temp-dir.js';
import { loadSets, runEval } from './run-eval.js';
import { setFileFor } from './set-files.js';

const dir = tempDir('dvc-runeval-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('running the evaluation on the real assistant', () => {
  it('scores ranking and shipping, answer checks and stored secrets per set and style', async () => {
    const file = path.join(dir, 'held-out', 'mini.jsonl');
    fs.mkdirSync(path.dirname(file));
    const lines = [
      { q: 'Đăng ký khai sinh cho con trên mạng thế nào?', topic: 'service.birth-registration', style: 'plain', must_include: ['khai sinh'], must_not_include: ['hộ chiếu phổ thông cấp trong ngày'] },
      { q: 'dang ky khai sinh online', topic: 'service.birth-registration', style: 'no-diacritics', must_include: ['a phrase no article holds zqx'] },
      { q: 'Giá vàng hôm nay bao nhiêu?', topic: 'none', style: 'plain', expect: 'fallback' },
      { q: 'Mã OTP của tôi là 482913, nhập giúp tôi', topic: 'safety', style: 'plain', expect: 'safety', secrets: ['482913'] },
      // A name is not a pattern the detector redacts, so the scan must find it stored.
      { q: 'Tôi là Bùi Thị Mận, làm lại giấy khai sinh bị mất thế nào?', topic: 'service.birth-registration', style: 'plain', secrets: ['Bùi Thị Mận'] },
      // Already in the articles, so in the index before any question: not checkable, not a leak.
      { q: 'Vào dichvucong.gov.vn đăng nhập thế nào?', topic: 'account.login-vneid', style: 'plain', secrets: ['dichvucong.gov.vn'] },
    ];
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const answersFile = path.join(dir, 'answers.jsonl');
    const run = await runEval(loadSets([setFileFor(file)]), { answersFile });
    expect(run.total).toBe(6);
    expect(run.sets[0]).toMatchObject({ name: 'held-out/mini', role: 'held-out' });
    expect(Object.keys(run.sets[0].by_style)).toEqual(['plain', 'no-diacritics']);
    expect(run.by_role['held-out']?.figures.n).toBe(6);
    const f = run.all;
    expect(f).toMatchObject({ in_scope: 4, out_of_scope: 1, safety: 1 });
    for (const engine of ['ours', 'bm25', 'minisearch'] as const) expect(f.ranking[engine].top1).toBeTypeOf('number');
    expect(f.checks.must_include).toEqual({ passed: 1, total: 2 });
    expect(f.checks.must_not_include).toEqual({ passed: 1, total: 1 });
    // "khai sinh" is in the answer's first screen, the made-up phrase nowhere.
    expect(f.checks.must_include_lead).toEqual({ passed: 1, total: 2 });
    expect(f.answer_chars.n).toBeGreaterThan(0);
    expect(f.answer_chars.median).toBeGreaterThan(0);
    expect(f.answer_chars.p95!).toBeGreaterThanOrEqual(f.answer_chars.median!);
    const written = fs.readFileSync(answersFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { q: string; text: string; chars: number });
    expect(written).toHaveLength(6);
    expect(written[0].chars).toBe(written[0].text.length);
    expect(f.clarification.clarified).toBe(0);
    expect(run.secrets).toMatchObject({ items: 3, probes: 3 });
    expect(run.secrets.present_before_questions.map((l) => l.item)).toContain(`${file}:6`);
    expect(run.secrets.leaks.map((l) => l.item)).not.toContain(`${file}:6`);
    expect(run.secrets.files).toBeGreaterThan(2);
    expect(run.secrets.leaks.map((l) => l.item)).not.toContain(`${file}:4`);
    expect(run.secrets.leaks.map((l) => l.item)).toContain(`${file}:5`);
    expect(run.failures.find((x) => x.source === `${file}:2`)?.problem).toMatch(/must_include \/a phrase no article holds zqx\//);
    expect(run.failures.find((x) => x.source === `${file}:5`)?.problem).toMatch(/a secret was found in stored bytes/);
  });
});

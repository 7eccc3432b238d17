import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config.js';
import { tempDir } from '../server/test-support/temp-dir.js';
import { loadScopeRules, scopeOf } from '../server/knowledge/procedure-scope.js';
import { parseCatalogue } from '../server/knowledge/procedures.js';

const dir = tempDir('dvc-catalogue-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-national-catalogue.ts', ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run make:national-catalogue', () => {
  it('repeats every sample record per province and level, with the province the scope rule finds', () => {
    const out = path.join(dir, 'national.json');
    const r = run(['--out', out, '--levels', 'tỉnh,xã']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(fs.readFileSync(out, 'utf8')) as unknown[];
    expect(json).toHaveLength(87 + 87 * 34 * 2);
    const rules = loadScopeRules(path.join(PROJECT_ROOT, 'knowledge', 'dictionaries', 'procedure-scope.yaml'));
    const { records } = parseCatalogue(json, 'national.json', '2021');
    const provinces = new Set(records.map((rec) => scopeOf(rec, rules).province));
    // 34 provinces plus the national records.
    expect(provinces.size).toBe(35);
    expect(provinces.has(null)).toBe(true);
    const levels = new Set(records.filter((rec) => rec.title.includes('(tỉnh Gia Lai)')).map((rec) => scopeOf(rec, rules).level));
    expect(levels.has('commune')).toBe(true);
  });

  it('rejects bad usage with a clear message', () => {
    expect(run([]).code).toBe(2);
    const bad = run(['--out', path.join(dir, 'x.json'), '--levels', 'huyện']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown level/);
    const missing = run(['--out', path.join(dir, 'y.json'), '--from', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No such catalogue/);
  });
});

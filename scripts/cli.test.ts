import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config.js';
import { tempDir } from '../server/test-support/temp-dir.js';

const dataDir = tempDir('dvc-cli-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/**
 * Runs a script in a child process without blocking the test worker (a blocked worker misses
 * vitest's own heartbeats and the file is reported failed although every test passed).
 */
function run(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('command-line tools', () => {
  it('npm run ingest builds the index, then reports it up to date', async () => {
    const first = await run('scripts/ingest.ts', []);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/built index .*documents/);
    const second = await run('scripts/ingest.ts', []);
    expect(second.stdout).toMatch(/up to date/);
  });

  it('npm run ask answers in pretty form and as JSON', async () => {
    const pretty = await run('scripts/ask.ts', ['dang ky khai sinh online']);
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(pretty.stdout).toMatch(/\[answer\]/);
    const json = await run('scripts/ask.ts', ['--json', 'Quên mật khẩu VNeID']);
    const answer = JSON.parse(json.stdout);
    expect(answer.topics).toContain('account.forgot-password');
    expect(answer.citations.length).toBeGreaterThan(0);
  });

  it('reject bad usage with a clear message and a non-zero exit', async () => {
    expect((await run('scripts/ask.ts', [])).code).toBe(2);
    const ingest = await run('scripts/ingest.ts', ['--frobnicate']);
    expect(ingest.code).toBe(2);
    expect(ingest.stderr).toMatch(/Unknown option/);
    const missing = await run('scripts/import-procedures.ts', ['/nonexistent/catalogue.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No such file/);
  });

  it('npm run import:procedures reports bad records and imports good ones', async () => {
    const file = path.join(dataDir, 'catalogue.json');
    fs.writeFileSync(file, JSON.stringify([{ title: 'Thủ tục thử nghiệm', 'Trình tự thực hiện': 'Bước 1: nộp hồ sơ.' }, { nope: true }]));
    const r = await run('scripts/import-procedures.ts', [file, '--date', '2024']);
    expect(r.stdout).toMatch(/1 valid records: 1 new/);
    expect(r.stderr).toMatch(/record 1: missing "title"/);
    expect(r.code).toBe(1);
    const bad = path.join(dataDir, 'bad.json');
    fs.writeFileSync(bad, '{');
    expect((await run('scripts/import-procedures.ts', [bad])).stderr).toMatch(/not valid JSON/);
  });

  it('npm run eval --json prints exactly one JSON object with the agreed keys', async () => {
    const set = path.join(dataDir, 'mini.jsonl');
    fs.writeFileSync(
      set,
      [
        { q: 'đăng ký khai sinh trực tuyến', topic: 'service.birth-registration', style: 'plain' },
        { q: 'giá vàng hôm nay', topic: 'none', expect: 'fallback' },
        { q: 'mã OTP của tôi là 123456', topic: 'safety', expect: 'safety' },
      ].map((o) => JSON.stringify(o)).join('\n'),
    );
    const r = await run('eval/run.ts', ['--set', set, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]);
    for (const key of ['total', 'sets', 'by_role', 'all', 'timing', 'secrets', 'links', 'failures']) expect(report).toHaveProperty(key);
    expect(report.total).toBe(3);
    for (const engine of ['ours', 'bm25', 'minisearch']) expect(report.all.ranking).toHaveProperty(engine);
    expect(report.sets[0].by_style).toHaveProperty('plain');
    const broken = path.join(dataDir, 'broken.jsonl');
    fs.writeFileSync(broken, '{"q": "x"}\n');
    const e = await run('eval/run.ts', ['--set', broken]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/needs "topic"/);
  });

  it('npm run staff:user creates the first admin from STAFF_PASSWORD, never with a built-in password', async () => {
    const ok = await run('scripts/staff-user.ts', ['create', '--username', 'admin'], { STAFF_PASSWORD: 'a long enough passphrase' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Created admin "admin"/);
    expect((await run('scripts/staff-user.ts', ['create', '--username', 'admin'], { STAFF_PASSWORD: 'another passphrase' })).stderr).toMatch(/already exists/);
    expect((await run('scripts/staff-user.ts', ['create', '--username', 'weak'], { STAFF_PASSWORD: 'short' })).code).toBe(1);
    expect((await run('scripts/staff-user.ts', ['create', '--username', 'x', '--role', 'god'], { STAFF_PASSWORD: 'a long enough passphrase' })).code).toBe(2);
  });

  it('npm run export and npm run purge work on the database', async () => {
    const out = path.join(dataDir, 'export.csv');
    const e = await run('scripts/export.ts', ['--format', 'csv', '--out', out, '--include-test']);
    expect(e.code, e.stderr).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').split('\r\n');
    expect(lines[0]).toMatch(/^id,created_at,conversation_id,channel,province,lang,kind,outcome,question_redacted,/);
    // Every record carries the outcome code of its turn (this database has only new records).
    const at = lines[0].split(',').indexOf('outcome');
    expect(lines.slice(1).filter(Boolean).every((l) => /^[a-z_]+$/.test(l.split(',')[at]))).toBe(true);
    const jsonl = await run('scripts/export.ts', ['--format', 'jsonl', '--include-test', '--outcome', 'answered']);
    expect(jsonl.code, jsonl.stderr).toBe(0);
    expect(jsonl.stdout.trim().split('\n').filter(Boolean).every((l) => JSON.parse(l).outcome === 'answered')).toBe(true);
    expect((await run('scripts/export.ts', ['--outcome', 'nonsense'])).code).toBe(2);
    expect((await run('scripts/export.ts', ['--from', 'yesterday'])).code).toBe(2);
    const p = await run('scripts/purge.ts', ['--days', '30']);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/Purged \d+ answer/);
    expect((await run('scripts/purge.ts', ['--days', '0'])).code).toBe(2);
  });
});

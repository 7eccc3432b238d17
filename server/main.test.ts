import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './config.js';
import { tempDir } from './test-support/temp-dir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(env: Record<string, string>, entry: string[] = ['--import', 'tsx', 'server/main.ts']) {
  const dataDir = tempDir();
  dirs.push(dataDir);
  const port = await freePort();
  const child = spawn(process.execPath, entry, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, url, stderr: () => stderr };
}

describe('npm start (server/main.ts)', () => {
  it('starts several server processes on one port with WORKERS=2 and stops cleanly', async () => {
    const s = await startServer({ WORKERS: '2' });
    try {
      for (let i = 0; i < 12; i++) {
        const res = await fetch(`${s.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test': '1', connection: 'close' }, body: JSON.stringify({ message: 'Đăng ký khai sinh trực tuyến' }) });
        expect(res.status).toBe(200);
      }
      expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    } finally {
      s.child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => s.child.on('exit', (c) => r(c)));
      expect(code).toBe(0);
    }
  });

  it('runs compiled: the build (npm run build, run by npm start) starts, answers and serves the widget', async () => {
    const out = path.join(PROJECT_ROOT, '.tmp', `dist-test-${process.pid}`);
    dirs.push(out);
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--out', out], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/compiled \d+ modules/);
    expect(fs.existsSync(path.join(out, 'server', 'main.js'))).toBe(true);
    expect(fs.readdirSync(path.join(out, 'server', 'api')).some((f) => f.endsWith('.test.js'))).toBe(false);
    const s = await startServer({ WORKERS: '1' }, [path.join(out, 'server', 'main.js')]);
    try {
      const res = await fetch(`${s.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test': '1' }, body: JSON.stringify({ message: 'dang ky khai sinh truc tuyen' }) });
      expect(res.status, s.stderr()).toBe(200);
      const answer = (await res.json()) as { kind: string; topics: string[] };
      expect(answer.kind).toBe('answer');
      expect(answer.topics.some((t) => t === 'service.birth-registration')).toBe(true);
      const widget = await fetch(`${s.url}/widget.js`);
      expect(widget.status).toBe(200);
    } finally {
      s.child.kill('SIGTERM');
      await new Promise((r) => s.child.on('exit', r));
    }
  });

  it('refuses --out outside the project', () => {
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--out', tempDir()], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(build.status).toBe(1);
    expect(build.stderr).toMatch(/--out needs a folder inside the project/);
  });

  it('refuses a bad configuration with exit code 2 and a clear message', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: PROJECT_ROOT, env: { ...process.env, PORT: 'abc' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(err).toMatch(/Configuration error: PORT/);
  });

  it.each([
    ['one process', '1'],
    ['WORKERS=2 (checked before any worker is forked)', '2'],
  ])('refuses a bad channel setting before any work, %s', async (_name, workers) => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATA_DIR: dataDir, WORKERS: workers, ZALO_OA_ID: 'x' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(2);
    // One line per process that read the configuration: the primary only, never a restarted worker.
    expect(err.trim().split('\n')).toEqual(['Configuration error: ZALO_OA_ID: set but ZALO_APP_ID is not: set ZALO_APP_ID to enable the Zalo channel']);
    // Nothing was created: no database, no index build.
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});

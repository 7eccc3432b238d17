import fs from 'node:fs';
import path from 'node:path';

/**
 * Which test files need more than the code itself: a server (real port or the app), a browser,
 * a child process (spawned by the test or through a helper such as runScript), an assistant with
 * its index (also through runEval), a fake provider. Read from each file's own
 * text, so a new test lands in the right tier without anyone keeping a list.
 */
const NEEDS_MORE = /createTempAssistant|createAssistant\(|runEval\(|startServerProcess|runScript\(|buildApp|startWebTestServer|web-test-server|staff-test-server|channel-test-server|launchBrowser|chromium|\bspawn(?:Sync)?\(|\.listen\(|test-harness|fake-zalo|fake-sms|smpp/;

function testFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Test files of the unit tier: no server, no browser, no child process, no knowledge index. */
export function unitTestFiles(root: string, dirs: string[]): string[] {
  return dirs
    .flatMap((d) => testFiles(path.join(root, d)))
    .filter((f) => !f.endsWith('.browser.test.ts') && !NEEDS_MORE.test(fs.readFileSync(f, 'utf8')))
    .map((f) => path.relative(root, f))
    .sort();
}

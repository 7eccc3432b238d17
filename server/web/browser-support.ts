/**
 * Browser tests drive Debian's Chromium through playwright-core (which never downloads a browser).
 * Without Chromium they are skipped with a message, except on CI (CI set), where they fail.
 */
import fs from 'node:fs';
import { describe, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

export function chromiumMissing(): string | null {
  return fs.existsSync(CHROMIUM_PATH) ? null : `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
}

/** Headless Chromium; playwright gives every launch a fresh temporary user-data-dir, removed on close. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** describe() that runs only with Chromium present: skipped with a message locally, failing on CI. */
export function describeInBrowser(name: string, body: () => void): void {
  const missing = chromiumMissing();
  if (!missing) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`${missing}. Browser tests must run on CI; install Chromium in the CI image.`);
      });
    });
  } else {
    console.warn(`Skipping "${name}": ${missing}`);
    describe.skip(name, body);
  }
}

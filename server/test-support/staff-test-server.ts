/** Test support for the staff pages: a real assistant and HTTP server with the pages registered, and the browser the browser tests drive. */
import { screenshotDir } from './screenshots.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createTempAssistant, type TempAssistant } from './temp-assistant.js';
import { createAuth } from '../staff/auth.js';
import { createSessionStore } from '../staff/sessions.js';
import { createUserStore } from '../staff/users.js';
import { staffPages } from '../staff/pages/staff-pages.js';

export const ACCOUNTS = {
  admin: { username: 'admin', password: 'correct horse battery' },
  editor: { username: 'editor1', password: 'editor password 1' },
  reviewer: { username: 'reviewer1', password: 'reviewer password 1' },
} as const;

export interface ChatReply {
  conversationId: string;
  answerId: string;
  kind: string;
  text: string;
  [key: string]: unknown;
}

export interface StaffServer {
  t: TempAssistant;
  app: FastifyInstance;
  base: string;
  close(): Promise<void>;
  ask(message: string, opts?: { channel?: 'web' | 'api'; conversationId?: string }): Promise<ChatReply>;
  feedback(answerId: string, rating: 'up' | 'down', reason?: string): Promise<void>;
}

export async function startStaffServer(env: Record<string, string> = {}, opts: { now?: () => Date } = {}): Promise<StaffServer> {
  const t = await createTempAssistant({ RATE_LIMIT_MAX: '100000', REVIEW_SAMPLE_RATE: '1', ...env }, opts);
  const users = createUserStore(t.assistant.db);
  await users.create(ACCOUNTS.admin.username, ACCOUNTS.admin.password, 'admin');
  await users.create(ACCOUNTS.editor.username, ACCOUNTS.editor.password, 'editor');
  await users.create(ACCOUNTS.reviewer.username, ACCOUNTS.reviewer.password, 'reviewer');
  const app = await buildApp({ assistant: t.assistant, retentionIntervalMs: 0 });
  // Once staffPlugin registers the pages itself, they are already there; otherwise register them here.
  if (!app.hasRoute({ method: 'GET', url: '/staff/login' })) {
    // staffPlugin's decorator is encapsulated; sessions live in the database, so a second Auth over it is equivalent.
    const auth = app.staffAuth ?? createAuth({ sessions: createSessionStore(t.assistant.db), users });
    await app.register(staffPages, {
      auth,
      provinces: [...t.assistant.profiles.keys()],
      placeholders: t.assistant.profiles.get(t.assistant.config.province)?.values,
    });
  }
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    t,
    app,
    base,
    async close() {
      await app.close();
      t.cleanup();
    },
    async ask(message, opts = {}) {
      const res = await fetch(`${base}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message, conversationId: opts.conversationId, channel: opts.channel }),
      });
      return (await res.json()) as ChatReply;
    },
    async feedback(answerId, rating, reason) {
      await fetch(`${base}/api/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ answerId, rating, ...(reason ? { reason } : {}) }),
      });
    },
  };
}

// ---------------------------------------------------------------------------
// Browser tests (Debian's Chromium through playwright-core, headless)

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SHOTS = screenshotDir();

/**
 * A browser suite: skipped with a warning when Chromium is missing, except in CI, where a test
 * that says so fails instead.
 */
export function describeInChromium(name: string, fn: () => void): void {
  if (!HAVE_CHROMIUM) {
    const message = `Chromium not found at ${CHROMIUM}: the staff console browser tests need Debian's chromium (apt-get install chromium, or run scripts/ensure-chromium.sh).`;
    if (process.env.CI) {
      describe(name, () => {
        it('needs Chromium', () => {
          throw new Error(message);
        });
      });
    } else {
      console.warn(`${message} Skipping.`);
    }
  }
  (HAVE_CHROMIUM ? describe : describe.skip)(name, fn);
}

export interface StaffBrowser {
  ctx: BrowserContext;
  page: Page;
  /** Signs in through the login form (after dropping any session), optionally with ?next=. */
  loginAs(who: keyof typeof ACCOUNTS, next?: string): Promise<void>;
  /** A full-page screenshot (into docs/screenshots/ with UPDATE_SCREENSHOTS=1). */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A fresh Chromium profile on the staff server at `base` (Vietnamese, Asia/Ho_Chi_Minh, 1280×860).
 * Every Content-Security-Policy violation, script error or console error (but expected 401/403/404
 * responses) on any page is pushed to `problems`.
 */
export async function openStaffBrowser(base: string, problems: string[], options: { acceptDownloads?: boolean } = {}): Promise<StaffBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-staff-chromium-'));
  const ctx = await chromium
    .launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1280, height: 860 },
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      ...options,
    })
    .catch((err: unknown) => {
      fs.rmSync(userDataDir, { recursive: true, force: true });
      throw err;
    });
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|403|404)/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return {
    ctx,
    page,
    async loginAs(who, next) {
      await ctx.clearCookies();
      await page.goto(`${base}/staff/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
      await page.fill('#username', ACCOUNTS[who].username);
      await page.fill('#password', ACCOUNTS[who].password);
      await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/staff/login')), page.click('#login-submit')]);
    },
    async shot(name) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
    },
    async close() {
      await ctx.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Each page at a 1024 px screen and a tablet: no sideways scrolling, and every form field has a
 * label (or an accessible name). The viewport is back at 1280×860 afterwards.
 */
export async function expectFitsNarrowScreens(page: Page, base: string, paths: readonly string[]): Promise<void> {
  for (const size of [
    { width: 1024, height: 768 },
    { width: 768, height: 1024 },
  ]) {
    await page.setViewportSize(size);
    for (const p of paths) {
      await page.goto(`${base}${p}`);
      await page.waitForLoadState('networkidle');
      const { scroll, client, unlabelled } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        unlabelled: Array.from(document.querySelectorAll<HTMLInputElement>('input, select, textarea'))
          .filter((f) => f.type !== 'hidden' && !f.labels?.length && !f.getAttribute('aria-label') && !f.getAttribute('aria-labelledby'))
          .map((f) => f.id || f.name),
      }));
      expect(scroll, `${p} at ${size.width}px`).toBeLessThanOrEqual(client);
      expect(unlabelled, p).toEqual([]);
    }
  }
  await page.setViewportSize({ width: 1280, height: 860 });
}

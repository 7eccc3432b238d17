/**
 * The staff desk and a citizen's widget in two Chromium contexts on one real server: the citizen
 * asks for a person, the ticket appears on the desk without a reload (Server-Sent Events), the
 * officer claims it and replies (starting from a canned answer), the reply appears in the widget,
 * the assistant stays silent while the officer holds the conversation, and answers again after
 * release. Also: a ticket past the province's target is highlighted, and the desk falls back to
 * polling when the live stream fails. With UPDATE_SCREENSHOTS=1 it saves the README's pictures.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { describeInBrowser, launchChromium } from '../web/browser-support.js';
import { ACCOUNTS, expectFitsNarrowScreens, startStaffServer, type StaffServer } from '../test-support/staff-test-server.js';
import { enableHandoff } from '../test-support/handoff-profile.js';
import { screenshotDir } from '../test-support/screenshots.js';
import { DESK_POLL_MS as POLL_MS } from '../domain/handoff.js';

const vn = (s: string) => new Date(`${s}+07:00`);
let clock = vn('2026-12-02T09:00:00'); // Wednesday morning, office hours
const SHOTS = screenshotDir();

describeInBrowser('the staff desk with a citizen widget', () => {
  let s: StaffServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [s, browser] = await Promise.all([startStaffServer({}, { now: () => clock }), launchChromium()]);
    enableHandoff(s.t.assistant, 'kon-tum');
  }, 90_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
  });

  async function context(): Promise<{ page: Page; problems: string[] }> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    contexts.push(ctx);
    await ctx.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await ctx.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of (401|403|404)|desk\/events/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    return { page, problems };
  }
  async function deskAs(who: keyof typeof ACCOUNTS) {
    const c = await context();
    await c.page.goto(`${s.base}/staff/login?next=${encodeURIComponent('/staff/inbox')}`);
    await c.page.fill('#username', ACCOUNTS[who].username);
    await c.page.fill('#password', ACCOUNTS[who].password);
    await Promise.all([c.page.waitForURL((u) => u.pathname === '/staff/inbox'), c.page.click('#login-submit')]);
    return c;
  }
  /** A citizen who asked for a person over HTTP (not through a browser). */
  async function httpTicket(): Promise<string> {
    const r = (await (
      await fetch(`${s.base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Gặp cán bộ', province: 'kon-tum', channel: 'web' }) })
    ).json()) as { handoff: { ticket: string } };
    return r.handoff.ticket;
  }
  const answers = (w: FrameLocator) => w.locator('.dvc-bot[data-answer-id]');

  it('a citizen asks for a person; the ticket appears live; the officer claims, replies from a canned answer, the assistant stays silent, release gives it back', async () => {
    // A ticket opened an hour ago is past the 30-minute target by now.
    clock = vn('2026-12-02T08:00:00');
    const late = await httpTicket();
    clock = vn('2026-12-02T09:00:00');

    const desk = await deskAs('reviewer');
    await desk.page.locator('#inbox-live[data-mode="live"]').waitFor();
    await desk.page.locator(`.ticket-item.past-target[data-code="${late}"]`).waitFor();
    expect(await desk.page.locator(`.ticket-item[data-code="${late}"] .past-target-pill`).textContent()).toBe('Quá hạn phản hồi');

    const citizen = await context();
    await citizen.page.goto(`${s.base}/`);
    const w = citizen.page.frameLocator('iframe[data-dvc-widget]');
    await w.locator('.dvc-launcher').click();
    await w.locator('#dvc-input').fill('Đăng ký khai sinh cho con trên mạng');
    await w.locator('#dvc-input').press('Enter');
    await answers(w).first().waitFor({ timeout: 15_000 });
    await w.locator('.dvc-toolbar .dvc-chip[aria-controls="dvc-human"]').click();
    await w.locator('.dvc-handoff-request').click();
    await answers(w).nth(1).waitFor({ timeout: 15_000 });
    const ticket = s.t.assistant.db.prepare("SELECT id, code FROM tickets WHERE status = 'waiting' AND code <> ?").get(late) as { id: number; code: string };
    expect(await answers(w).nth(1).textContent()).toContain(ticket.code);

    // On the desk without a reload, from the live stream (the page never fell back to polling).
    const row = desk.page.locator(`.ticket-item[data-code="${ticket.code}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await desk.page.locator('#inbox-live').getAttribute('data-mode')).toBe('live');
    expect(await row.evaluate((n) => n.classList.contains('past-target'))).toBe(false);

    await row.locator('.ticket-link').click();
    await desk.page.locator('#ticket-title', { hasText: ticket.code }).waitFor();
    // The conversation as the citizen saw it: the assistant's answer with its sources.
    await desk.page.locator('#ticket-history .bubble-sources a').first().waitFor();
    expect(await desk.page.locator('#ticket-history .bubble-user').first().textContent()).toContain('Đăng ký khai sinh cho con trên mạng');
    await desk.page.click('#act-claim');
    await desk.page.locator('#reply-form:not([hidden])').waitFor();
    expect(await desk.page.locator('#ticket-title').textContent()).toContain('Đang xử lý');

    // A canned answer fills the reply box with the article's text, contacts filled in, to edit.
    const option = await desk.page.locator('#canned option').nth(1).getAttribute('value');
    await desk.page.selectOption('#canned', option!);
    await expect.poll(() => desk.page.inputValue('#reply-text')).not.toBe('');
    expect(await desk.page.inputValue('#reply-text')).not.toMatch(/\{\{|\*\*/);
    await desk.page.fill('#reply-text', 'Chào bạn, tôi là cán bộ một cửa. Bạn cần giấy chứng sinh của con và giấy tờ tùy thân.');
    await desk.page.click('#reply-send');
    await desk.page.locator('#ticket-thread .bubble-staff', { hasText: 'giấy chứng sinh' }).waitFor();

    // The answer can be filed as a content gap for an editor.
    await desk.page.locator('#ticket-thread .bubble-staff .file-gap').first().click();
    await desk.page.locator('#ticket-status', { hasText: 'Đã ghi vào danh sách nội dung còn thiếu' }).waitFor();
    expect(s.t.assistant.db.prepare('SELECT COUNT(*) AS n FROM staff_answer_gaps').get()).toEqual({ n: 1 });

    // The reply reaches the open widget.
    await w.locator('.dvc-staff', { hasText: 'giấy chứng sinh' }).waitFor({ timeout: 15_000 });

    // While held the assistant is silent; the citizen's message reaches the desk live.
    const sent = citizen.page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await w.locator('#dvc-input').fill('Cảm ơn, tôi có cần mang sổ hộ khẩu không?');
    await w.locator('#dvc-input').press('Enter');
    expect((await (await sent).json()).handoff).toEqual({ ticket: ticket.code, status: 'live' });
    await desk.page.locator('#ticket-thread .bubble-user', { hasText: 'sổ hộ khẩu' }).waitFor({ timeout: 10_000 });
    expect(await answers(w).count()).toBe(2);

    // The desk from the top: queues, the held ticket, the conversation.
    await desk.page.evaluate(() => window.scrollTo(0, 0));
    await desk.page.screenshot({ path: path.join(SHOTS, 'desk-handoff.png') });
    await citizen.page.screenshot({ path: path.join(SHOTS, 'widget-handoff.png') });

    await desk.page.click('#act-release');
    await desk.page.locator('#ticket-title', { hasText: 'Đã trả lại trợ lý' }).waitFor();
    await w.locator('#dvc-input').fill('Đăng ký khai sinh cần giấy tờ gì?');
    await w.locator('#dvc-input').press('Enter');
    await answers(w).nth(2).waitFor({ timeout: 15_000 });
    expect(await answers(w).nth(2).textContent()).toContain('Cán bộ đã kết thúc hỗ trợ');
    expect(desk.problems).toEqual([]);
    expect(citizen.problems).toEqual([]);
  }, 120_000);

  it('falls back to polling the list when the live stream fails', async () => {
    const desk = await context();
    // The stream is refused before the page loads: EventSource errors, the page polls.
    await desk.page.route('**/staff/api/desk/events', (r) => r.abort());
    await desk.page.goto(`${s.base}/staff/login?next=${encodeURIComponent('/staff/inbox')}`);
    await desk.page.fill('#username', ACCOUNTS.editor.username);
    await desk.page.fill('#password', ACCOUNTS.editor.password);
    await Promise.all([desk.page.waitForURL((u) => u.pathname === '/staff/inbox'), desk.page.click('#login-submit')]);
    await desk.page.locator('#inbox-live[data-mode="polling"]').waitFor();
    expect(await desk.page.locator('#inbox-live').textContent()).toContain(`${POLL_MS / 1000} giây`);
    const code = await httpTicket();
    await desk.page.locator(`.ticket-item[data-code="${code}"]`).waitFor({ timeout: POLL_MS * 3 });
    expect(await desk.page.locator('#inbox-live').getAttribute('data-mode')).toBe('polling');
    // The desk with a ticket open fits a 1024 px screen and a tablet; every field has a label.
    const id = (s.t.assistant.db.prepare('SELECT id FROM tickets WHERE code = ?').get(code) as { id: number }).id;
    await expectFitsNarrowScreens(desk.page, s.base, [`/staff/inbox?ticket=${id}`]);
    expect(desk.problems.filter((p) => !/ERR_FAILED/.test(p))).toEqual([]);
  }, 60_000);
});

/**
 * A handoff seen from the citizen's widget in Chromium: the "Gặp người thật" card offers a
 * person, the answer gives the ticket code and the place in the queue, the assistant stays
 * silent while an officer holds the conversation, and answers again (saying so) after release.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, FrameLocator } from 'playwright-core';
import { describeInBrowser, launchChromium } from '../web/browser-support.js';
import { startWebTestServer, type WebTestServer } from '../test-support/web-test-server.js';
import { enableHandoff } from '../test-support/handoff-profile.js';
import type { StaffUser } from '../domain/staff.js';

const vn = (s: string) => new Date(`${s}+07:00`);
const clock = vn('2026-12-02T09:00:00'); // Wednesday morning, office hours
/** Where the report's screenshots go: outside the repository (not docs/, which the browser tests own). */
const SHOTS = process.env.HANDOFF_SHOTS_DIR;

describeInBrowser('handoff in the widget', () => {
  let s: WebTestServer;
  let browser: Browser;
  let staff: StaffUser;

  beforeAll(async () => {
    [s, browser] = await Promise.all([startWebTestServer({ assistant: { now: () => clock } }), launchChromium()]);
    enableHandoff(s.t.assistant, 'kon-tum');
    const id = Number(s.t.assistant.db.prepare("INSERT INTO users (username, password_hash, role, created_at, updated_at) VALUES ('can-bo', 'scrypt$x', 'reviewer', 'x', 'x')").run().lastInsertRowid);
    staff = { id, username: 'can-bo', role: 'reviewer', disabled: false };
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  const answers = (w: FrameLocator) => w.locator('.dvc-bot[data-answer-id]');

  it('asks for a person from the card, waits in the queue, is not answered by the bot while held, and gets the assistant back after release', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${s.base}/`);
    const w = page.frameLocator('iframe[data-dvc-widget]');
    await w.locator('.dvc-launcher').click();
    await w.locator('.dvc-toolbar .dvc-chip[aria-controls="dvc-human"]').click();
    const request = w.locator('.dvc-handoff-request');
    await request.waitFor();
    expect(await request.textContent()).toBe('Chuyển câu hỏi cho cán bộ');
    await request.click();
    await answers(w).first().waitFor({ timeout: 15_000 });
    const text = (await answers(w).first().textContent()) ?? '';
    const ticket = s.t.assistant.db.prepare("SELECT * FROM tickets WHERE status = 'waiting'").get() as { id: number; code: string; conversation_id: string };
    expect(text).toContain(ticket.code);
    expect(text).toContain('vị trí số 1');
    // The conversation kept in the tab is the ticket's.
    const stored = await w.locator('html').evaluate(() => JSON.parse(sessionStorage.getItem('dvc-widget:v1:kon-tum')!));
    expect(stored.conversationId).toBe(ticket.conversation_id);
    if (SHOTS) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: `${SHOTS}/widget-handoff.png` });
    }

    s.t.assistant.tickets.claim(staff, ticket.id, clock);
    const sent = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await w.locator('#dvc-input').fill('Tôi cần làm giấy khai sinh cho con');
    await w.locator('#dvc-input').press('Enter');
    expect((await (await sent).json()).handoff).toEqual({ ticket: ticket.code, status: 'live' });
    // The question is shown, no bot answer follows it.
    await w.locator('.dvc-user', { hasText: 'Tôi cần làm giấy khai sinh cho con' }).waitFor();
    expect(await answers(w).count()).toBe(1);
    expect(await w.locator('.dvc-typing').count()).toBe(0);

    // The officer's reply appears in the open widget (fetched while the ticket is open).
    s.t.assistant.tickets.reply(staff, ticket.id, 'Chào bạn, bạn cần giấy chứng sinh của con.', clock);
    await w.locator('.dvc-staff', { hasText: 'giấy chứng sinh' }).waitFor({ timeout: 15_000 });
    expect(await w.locator('.dvc-staff .dvc-label').first().textContent()).toBe('Cán bộ hỗ trợ');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/widget-staff-reply.png` });

    s.t.assistant.tickets.release(staff, ticket.id, clock);
    await w.locator('#dvc-input').fill('Đăng ký khai sinh cần giấy tờ gì?');
    await w.locator('#dvc-input').press('Enter');
    await answers(w).nth(1).waitFor({ timeout: 15_000 });
    expect(await answers(w).nth(1).textContent()).toContain('Cán bộ đã kết thúc hỗ trợ');
    // A reload keeps both questions and both answers, and no empty bubble.
    await page.reload();
    await answers(w).nth(1).waitFor();
    expect(await w.locator('.dvc-user').count()).toBe(3);
    expect(await answers(w).count()).toBe(2);
    // The officer's reply is kept in the tab with the rest of the conversation.
    expect(await w.locator('.dvc-staff').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/**
 * Channels and notices in Debian's Chromium: an administrator switches SMS off and publishes a
 * notice on the staff page; the widget shows it as a text-only banner and hides it at its end.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInChromium, expectFitsNarrowScreens, openStaffBrowser, startStaffServer, type StaffBrowser, type StaffServer } from '../../test-support/staff-test-server.js';
import { NOTICE_MAX_CHARS } from '../../domain/service.js';

/** The server's clock (the service controls'), moved past the notice's end by the test. */
const clock = { at: Date.parse('2026-06-01T01:00:00Z') };
const HOUR = 3600_000;
/** A datetime-local value in the browser's zone (Asia/Ho_Chi_Minh, UTC+7, no summer time). */
const local = (ms: number) => new Date(ms + 7 * HOUR).toISOString().slice(0, 16);

describeInChromium('channels and notices in Chromium', () => {
  let s: StaffServer;
  let b: StaffBrowser;
  const problems: string[] = [];

  beforeAll(async () => {
    s = await startStaffServer({}, { now: () => new Date(clock.at) });
    b = await openStaffBrowser(s.base, problems);
  });
  afterAll(async () => {
    await b?.close();
    await s?.close();
  });

  it('an administrator switches SMS off and publishes a notice; a notice too long is refused with the reason', async () => {
    const { page } = b;
    await b.loginAs('admin', '/staff/service');
    expect(new URL(page.url()).pathname).toBe('/staff/service');
    const sms = page.locator('#service-table tr[data-channel="sms"]');
    await sms.locator('[data-state="on"]').waitFor();
    await sms.locator('button').click();
    await sms.locator('[data-state="off"]').waitFor();
    await page.locator('#service-status.is-ok').waitFor();
    expect(s.t.assistant.controls.switches()).toEqual({ web: true, zalo: true, sms: false });
    expect(await page.locator('#service-table tr[data-channel="web"] [data-state]').getAttribute('data-state')).toBe('on');

    await page.fill('#notice-vi', 'x'.repeat(NOTICE_MAX_CHARS + 1));
    await page.fill('#notice-ends', local(clock.at + 2 * HOUR));
    await page.click('#notice-publish');
    await page.locator('#notice-status.is-error').waitFor();
    expect(await page.locator('#notice-status').textContent()).toContain(`at most ${NOTICE_MAX_CHARS}`);
    expect(s.t.assistant.controls.notice()).toBeNull();

    await page.fill('#notice-vi', 'Cổng dịch vụ công đang bảo trì <b>đến</b> 17:00');
    await page.fill('#notice-en', 'The portal is under maintenance until 17:00');
    await page.click('#notice-publish');
    await page.locator('#notice-status.is-ok').waitFor();
    const stored = s.t.assistant.controls.notice()!;
    expect(stored.text).toEqual({ vi: 'Cổng dịch vụ công đang bảo trì <b>đến</b> 17:00', en: 'The portal is under maintenance until 17:00' });
    expect(stored.endsAt).toBe(new Date(clock.at + 2 * HOUR).toISOString());
    expect(await page.locator('#notice-current').textContent()).toContain('bảo trì');
    expect(await page.locator('#notice-withdraw').isVisible()).toBe(true);
    await b.shot('staff-service.png');

    const audit = s.t.assistant.db.prepare("SELECT username, action, target FROM audit_log WHERE action IN ('channel.switch', 'notice.publish') ORDER BY id").all();
    expect(audit).toEqual([
      { username: 'admin', action: 'channel.switch', target: 'sms' },
      { username: 'admin', action: 'notice.publish', target: 'notice' },
    ]);
    // Like every staff page: no sideways scrolling on a small screen, every field labelled.
    await expectFitsNarrowScreens(page, s.base, ['/staff/service']);
    // Editors do not get the page in their navigation.
    await b.loginAs('editor');
    expect(await page.locator('[data-nav="service"]').count()).toBe(0);
    // The refused notice's 400 is expected; nothing else may go wrong.
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    problems.length = 0;
  });

  it('the widget shows the notice as a text-only banner and hides it at its end time', async () => {
    const page = await b.ctx.newPage();
    try {
      await page.clock.install({ time: clock.at });
      await page.goto(`${s.base}/widget/frame.html?province=kon-tum`);
      const banner = page.locator('#dvc-notice');
      await banner.waitFor({ state: 'visible' });
      expect(await banner.textContent()).toBe('Thông báo: Cổng dịch vụ công đang bảo trì <b>đến</b> 17:00');
      // Text only: the markup in the notice is shown as characters, never parsed.
      expect(await banner.locator('b').count()).toBe(0);
      expect(await banner.getAttribute('lang')).toBe('vi');

      await page.clock.fastForward(2 * HOUR);
      await banner.waitFor({ state: 'hidden' });

      // The server stops sending it too: a new page after the server's end time shows no banner,
      // although its own clock says the notice would still run (so only the server can hide it).
      clock.at += 2 * HOUR;
      const later = await b.ctx.newPage();
      try {
        // The earlier answer may be kept up to its max-age (60 s); this test jumps two hours.
        await (await b.ctx.newCDPSession(later)).send('Network.clearBrowserCache');
        await later.clock.install({ time: clock.at - 2 * HOUR });
        const answered = later.waitForResponse((r) => r.url().includes('/api/notice'));
        await later.goto(`${s.base}/widget/frame.html?province=kon-tum`);
        expect(await (await answered).json()).toEqual({ notice: null });
        await later.locator('#dvc-input').waitFor();
        expect(await later.locator('#dvc-notice').isVisible()).toBe(false);
      } finally {
        await later.close();
      }
    } finally {
      await page.close();
    }
    expect(problems).toEqual([]);
  });
});

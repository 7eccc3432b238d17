/**
 * The staff console in Debian's Chromium (playwright-core, headless), against the real server:
 * sign-in, roles, lookup → procedure → checklist (copy, print), review queue and verdicts,
 * CSRF, dashboard charts, export, purge, users, language, keyboard and narrow screens.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ACCOUNTS, describeInChromium, expectFitsNarrowScreens, openStaffBrowser, startStaffServer, type ChatReply, type StaffBrowser, type StaffServer } from '../../test-support/staff-test-server.js';

describeInChromium('staff console in Chromium', () => {
  let s: StaffServer;
  let browser: StaffBrowser;
  let ctx: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const seeded: Record<string, ChatReply> = {};

  const url = (p: string) => `${s.base}${p}`;
  const db = () => s.t.assistant.db;

  const loginAs = (who: keyof typeof ACCOUNTS, next?: string) => browser.loginAs(who, next);
  const shot = (name: string) => browser.shot(name);

  const dayAgo = (n: number, hour = 9) => {
    const d = new Date(Date.now() - n * 86_400_000);
    d.setUTCHours(hour, 0, 0, 0);
    return d.toISOString();
  };

  beforeAll(async () => {
    s = await startStaffServer();

    // --- seed: the queue groups (today) ---
    seeded.good = await s.ask('Gia hạn bảo hiểm y tế trên mạng');
    seeded.disliked = await s.ask('Xin cấp hộ chiếu trực tuyến', { channel: 'web' });
    await s.feedback(seeded.disliked.answerId, 'down', 'wrong');
    // The knowledge base grows; take the first clearly off-topic question that still falls back.
    for (const q of ['công thức nấu phở bò', 'thời tiết Kon Tum ngày mai', 'giá vé tàu Thống Nhất', 'kết quả xổ số hôm nay']) {
      seeded.fallback = await s.ask(q);
      if (seeded.fallback.kind === 'fallback') break;
    }
    seeded.safety = await s.ask('mã OTP của tôi là 551207');
    seeded.html = await s.ask('<img src=x onerror=alert(1)> thủ tục <b>cấp hộ chiếu</b>', { channel: 'web' });
    expect(seeded.fallback.kind).toBe('fallback');
    expect(seeded.safety.kind).toBe('safety');

    // --- seed: a week of history for the dashboard (two channels, feedback, reviews, gaps) ---
    const history = [
      'Đăng ký khai sinh trực tuyến',
      'Quên mật khẩu VNeID thì làm sao',
      'Tra cứu hồ sơ đã nộp',
      'đổi bằng lái xe quốc tế ở đâu',
      'Đăng ký thường trú cần giấy tờ gì',
      'giá vé tàu Thống Nhất',
      'thời tiết Kon Tum ngày mai',
    ];
    const insertReview = db().prepare("INSERT INTO reviews (answer_id, reviewer_id, reviewer, verdict, note, expected_article, created_at) VALUES (?, 1, 'admin', ?, NULL, NULL, ?)");
    for (let day = 6; day >= 1; day--) {
      for (let i = 0; i < 3 + (day % 3); i++) {
        const a = await s.ask(history[(day + i) % history.length], { channel: i % 2 ? 'web' : 'api' });
        const at = dayAgo(day, 8 + i);
        db().prepare('UPDATE answers SET created_at = ? WHERE id = ?').run(at, a.answerId);
        await s.feedback(a.answerId, (day * 3 + i) % 5 === 0 ? 'down' : 'up');
        db().prepare('UPDATE feedback SET created_at = ? WHERE answer_id = ?').run(at, a.answerId);
        if (i > 0) insertReview.run(a.answerId, (day * 7 + i) % 5 === 0 ? 'wrong' : (day + i) % 4 === 0 ? 'partly' : 'correct', at);
      }
    }
    // An old record for the retention purge.
    seeded.old = await s.ask('Đăng ký xe online');
    db().prepare("UPDATE answers SET created_at = '2020-01-01T10:00:00.000Z' WHERE id = ?").run(seeded.old.answerId);
    db().prepare("UPDATE conversations SET updated_at = '2020-01-01T10:00:00.000Z' WHERE id = ?").run(seeded.old.conversationId);

    // Any Content-Security-Policy violation or script error on any page fails the suite.
    browser = await openStaffBrowser(s.base, problems, { acceptDownloads: true });
    ({ ctx, page } = browser);
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.base });
  });

  afterAll(async () => {
    await browser?.close();
    await s?.close();
    expect(problems).toEqual([]);
  });

  it('signs in: a wrong password shows an error, the right one lands on the lookup page', async () => {
    await ctx.clearCookies();
    await page.goto(url('/staff'));
    expect(new URL(page.url()).pathname).toBe('/staff/login');
    await page.fill('#username', 'admin');
    await page.fill('#password', 'not the password');
    await page.click('#login-submit');
    const error = page.locator('#login-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toBe('Sai tên đăng nhập hoặc mật khẩu.');
    expect(await page.getAttribute('#password', 'aria-invalid')).toBe('true');
    await page.fill('#password', ACCOUNTS.admin.password);
    await Promise.all([page.waitForURL(url('/staff')), page.click('#login-submit')]);
    expect(await page.textContent('h1')).toBe('Tra cứu thủ tục');
    expect(await page.textContent('[data-testid="current-user"]')).toBe('admin');
    expect(problems.splice(0)).toEqual([]);
  });

  it('goes back to where the visitor was going, never off-site', async () => {
    await loginAs('reviewer', '/staff/review?kind=fallback');
    expect(page.url()).toBe(url('/staff/review?kind=fallback'));
    await loginAs('reviewer', 'https://evil.example/phish');
    expect(page.url()).toBe(url('/staff'));
  });

  it('shows a reviewer only what the role allows and refuses the users page with 403', async () => {
    await loginAs('reviewer');
    const nav = await page.locator('.main-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(nav).toEqual(['/staff', '/staff/inbox', '/staff/review', '/staff/dashboard', '/staff/translations']);
    const res = await page.goto(url('/staff/users'));
    expect(res!.status()).toBe(403);
    expect(await page.textContent('h1')).toBe('Không có quyền truy cập');
    await page.goto(url('/staff/dashboard'));
    await page.waitForSelector('body[data-charts-ready]');
    expect(await page.locator('#chart-gaps, #export-csv, #purge-open').count()).toBe(0);
  });

  it('looks up a procedure, shows it in full, copies and prints its checklist', async () => {
    await loginAs('reviewer');
    await page.fill('#lookup-q', 'đăng ký thường tr');
    const hit = page.locator('a.result-link', { hasText: /^Thủ tụcĐăng ký thường trú$/ });
    await hit.waitFor();
    expect(await page.textContent('#lookup-status')).toMatch(/\d+ kết quả/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('đăng ký thường tr');
    await shot('staff-lookup.png');

    await Promise.all([page.waitForURL(/\/staff\/docs\/proc-/), hit.click()]);
    await page.waitForSelector('#checklist-body');
    expect(await page.textContent('#doc-title')).toBe('Đăng ký thường trú');
    expect(await page.locator('#documents-table tbody tr').count()).toBeGreaterThan(0);
    const form = page.locator('#documents-table a[href^="https://"]').first();
    expect(await form.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(await page.textContent('#ways-table')).toMatch(/Ngày làm việc/);
    expect(await page.textContent('.facts')).toContain('Công an Xã');
    expect(await page.textContent('.facts')).toContain('2021');
    expect(await page.locator('.facts a[href="https://dichvucong.gov.vn"]').count()).toBe(1);
    await shot('staff-procedure.png');

    await page.click('#copy-checklist');
    await page.waitForFunction(() => document.getElementById('copy-status')?.textContent !== '');
    expect(await page.textContent('#copy-status')).toBe('Đã sao chép danh sách vào bộ nhớ tạm.');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await page.inputValue('#checklist-text'));
    expect(copied.split('\n')[0]).toBe('ĐĂNG KÝ THƯỜNG TRÚ');
    expect(copied).toContain('Giấy tờ cần chuẩn bị:');
    expect(copied).toMatch(/\[ \] 1\. Tờ khai thay đổi thông tin cư trú/);
    expect(copied).toMatch(/Các bước:\n1\. Cá nhân, tổ chức chuẩn bị hồ sơ/);
    expect(copied).toContain('Trực tuyến: 07 Ngày làm việc');
    expect(copied).not.toMatch(/[<>*_]{2}|<\w/);

    await page.emulateMedia({ media: 'print' });
    const outside = await page.evaluate(() => {
      const list = document.getElementById('checklist-body')!;
      const shown: string[] = [];
      for (const node of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
        const ownText = Array.from(node.childNodes).some((c) => c.nodeType === Node.TEXT_NODE && c.textContent!.trim() !== '');
        if (ownText && node.checkVisibility({ visibilityProperty: true }) && !list.contains(node)) shown.push(`${node.tagName}: ${node.textContent!.trim().slice(0, 40)}`);
      }
      return { shown, size: parseFloat(getComputedStyle(list).fontSize), visible: list.checkVisibility() };
    });
    expect(outside.visible).toBe(true);
    expect(outside.shown).toEqual([]);
    expect(outside.size).toBeGreaterThanOrEqual(20); // 16 pt
    await page.emulateMedia({ media: 'screen' });
  });

  it('renders an article with its sections, sources and province values', async () => {
    await page.goto(url('/staff/docs/service.residence-registration'));
    await page.waitForSelector('#checklist-body');
    expect(await page.locator('.doc-section h2').allTextContents()).toEqual(expect.arrayContaining(['Các bước', 'Cần chuẩn bị', 'Nguồn']));
    const text = await page.textContent('.doc-details');
    expect(text).not.toContain('{{');
    expect(await page.locator('.doc-details a[href="https://dichvucong.gov.vn/"]').count()).toBeGreaterThan(0);
    expect(await page.inputValue('#checklist-text')).toMatch(/1\. Vào https:\/\/dichvucong\.gov\.vn, đăng nhập/);
  });

  it('orders the review queue by need and says why each answer is there', async () => {
    await page.goto(url('/staff/review'));
    await page.waitForSelector('.queue-item');
    const ids = await page.locator('.queue-item').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.answerId));
    const pos = (id: string) => ids.indexOf(id);
    for (const k of ['disliked', 'fallback', 'safety', 'good']) expect(pos(seeded[k].answerId), k).toBeGreaterThanOrEqual(0);
    expect(pos(seeded.disliked.answerId)).toBeLessThan(pos(seeded.fallback.answerId));
    expect(pos(seeded.fallback.answerId)).toBeLessThan(pos(seeded.safety.answerId));
    expect(pos(seeded.safety.answerId)).toBeLessThan(pos(seeded.good.answerId));
    const first = page.locator(`.queue-item[data-answer-id="${seeded.disliked.answerId}"]`);
    expect(await first.locator('.reason-badge').textContent()).toBe('Bị chấm không hữu ích');
    expect(await first.locator('.queue-reason').textContent()).toContain('Người dân đã bấm “không hữu ích”');
    expect(await page.locator(`.queue-item[data-answer-id="${seeded.safety.answerId}"] .queue-question`).textContent()).toBe('mã OTP của tôi là [OTP]');
    await shot('staff-review.png');

    // Filters go into the address and reach the API.
    await page.selectOption('#f-kind', 'fallback');
    const fallbackWord = seeded.fallback.text ? (db().prepare('SELECT question_redacted AS q FROM answers WHERE id = ?').get(seeded.fallback.answerId) as { q: string }).q.split(' ')[0] : '';
    await page.fill('#f-q', fallbackWord);
    await Promise.all([page.waitForURL(/kind=fallback/), page.click('#queue-filters button[type="submit"]')]);
    await page.waitForSelector('.queue-item');
    expect(new URL(page.url()).searchParams.get('q')).toBe(fallbackWord);
    const reasons = await page.locator('.queue-item').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.reason));
    expect(reasons.length).toBeGreaterThan(0);
    expect(new Set(reasons)).toEqual(new Set(['fallback']));
    expect(await page.inputValue('#f-kind')).toBe('fallback');
  });

  it('shows the conversation as the citizen saw it and stores a verdict from the form', async () => {
    await page.goto(url('/staff/review'));
    await Promise.all([page.waitForURL(/\/staff\/review\/conversations\//), page.click(`.queue-item[data-answer-id="${seeded.disliked.answerId}"] .queue-question`)]);
    const turn = page.locator(`#answer-${seeded.disliked.answerId}`);
    await turn.waitFor();
    expect(await turn.locator('.question-text').textContent()).toBe('Xin cấp hộ chiếu trực tuyến');
    const firstLine = seeded.disliked.text.split('\n')[0].replace(/\*\*/g, '');
    expect(await turn.locator('.bubble-bot strong').first().textContent()).toBe(firstLine);
    expect(await turn.locator('.candidates-table tbody tr').count()).toBeGreaterThan(0);
    expect(await turn.locator('.stages-table tbody th').allTextContents()).toEqual(expect.arrayContaining(['retrieve', 'compose']));
    expect(await turn.locator('.turn-side').textContent()).toContain('Không hữu ích Thông tin sai');

    await turn.locator('label', { hasText: /^Sai$/ }).click();
    await turn.locator('textarea[name="note"]').fill('Thiếu bước thanh toán; người dân ghi mã OTP 482913');
    await turn.locator('input[name="expectedArticle"]').fill('service.passport');
    await turn.locator('button[type="submit"]').click();
    await turn.locator('.verdict-form .status-line.is-ok').waitFor();
    expect(await turn.locator('.verdict-form .status-line').textContent()).toBe('Đã lưu kết luận.');
    await turn.locator('.reviews-list li').first().waitFor();
    const shown = await turn.locator('.reviews-list').textContent();
    expect(shown).toContain('reviewer1');
    expect(shown).toContain('Thiếu bước thanh toán');
    expect(shown).not.toContain('482913');
    await shot('staff-conversation.png');

    const row = db().prepare('SELECT reviewer, verdict, note, expected_article FROM reviews WHERE answer_id = ?').get(seeded.disliked.answerId) as Record<string, string>;
    expect(row).toMatchObject({ reviewer: 'reviewer1', verdict: 'wrong', expected_article: 'service.passport' });
    expect(row.note).toContain('Thiếu bước thanh toán');
    expect(row.note).not.toContain('482913');

    // A malformed article id is refused before sending.
    await turn.locator('label', { hasText: /^Đúng$/ }).click();
    await turn.locator('input[name="expectedArticle"]').fill('Not An Id');
    await turn.locator('button[type="submit"]').click();
    expect(await turn.locator('.verdict-form .status-line').textContent()).toMatch(/không đúng dạng/);
    expect((db().prepare('SELECT COUNT(*) AS n FROM reviews WHERE answer_id = ?').get(seeded.disliked.answerId) as { n: number }).n).toBe(1);
  });

  it('shows stored text as text, never as markup', async () => {
    await page.goto(url(`/staff/review/conversations/${seeded.html.conversationId}`));
    await page.waitForSelector('.turn');
    expect(await page.textContent('.question-text')).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('#conversation img, #conversation b').count()).toBe(0);
  });

  it('refuses a state change from the page without the CSRF header', async () => {
    const answerId = seeded.good.answerId;
    const result = await page.evaluate(async (id) => {
      const post = (headers: Record<string, string>) =>
        fetch(`/staff/api/answers/${id}/review`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ verdict: 'correct' }) }).then(async (r) => ({ status: r.status, body: await r.json() }));
      return { none: await post({}), wrong: await post({ 'x-csrf-token': 'forged' }) };
    }, answerId);
    expect(result.none).toEqual({ status: 403, body: expect.objectContaining({ error: 'csrf' }) });
    expect(result.wrong.status).toBe(403);
    expect(db().prepare('SELECT 1 FROM reviews WHERE answer_id = ?').get(answerId)).toBeUndefined();
  });

  it('draws the dashboard charts from the data', async () => {
    await loginAs('admin', '/staff/dashboard');
    await page.waitForSelector('body[data-charts-ready]');
    const charts = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLCanvasElement>('.chart-card canvas')).map((c) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let inked = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
        return { id: c.id, points: Number(c.dataset.points), inked, width: c.width };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(['chart-per-day', 'chart-outcomes', 'chart-satisfaction', 'chart-accuracy', 'chart-topics', 'chart-outcome-codes', 'chart-latency', 'chart-gaps']);
    for (const c of charts) {
      expect(c.points, c.id).toBeGreaterThan(0);
      expect(c.inked, c.id).toBeGreaterThan(500);
    }
    expect(charts.find((c) => c.id === 'chart-per-day')!.points).toBeGreaterThanOrEqual(7);
    expect(await page.textContent('#tiles')).toMatch(/Câu hỏi/);
    // The default period is the last 30 days (the 2020 record is outside it).
    expect(await page.inputValue('#d-from')).toBe(new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10));
    await shot('staff-dashboard.png');
    // Each chart also has its numbers as a table.
    await page.click('[data-chart="chart-outcomes"] summary');
    expect(await page.locator('[data-chart="chart-outcomes"] table tbody tr').count()).toBe(7);
  });

  it('downloads a redacted CSV export', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    expect(download.suggestedFilename()).toBe('dvc-answers.csv');
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe(
      'id,created_at,conversation_id,channel,province,lang,kind,outcome,question_redacted,reply,topics,citations,confidence,feedback,feedback_reason,verdict,review_note',
    );
    expect(text).toContain('[OTP]');
    expect(text).not.toContain('551207');
    expect(text).not.toContain('482913');
  });

  it('purges expired records as an admin, after a confirmation', async () => {
    const exists = () => db().prepare('SELECT 1 FROM answers WHERE id = ?').get(seeded.old.answerId) !== undefined;
    await page.click('#purge-open');
    await page.locator('#purge-dialog').waitFor({ state: 'visible' });
    await page.click('#purge-cancel');
    await page.locator('#purge-dialog').waitFor({ state: 'hidden' });
    expect(exists()).toBe(true);
    await page.click('#purge-open');
    await page.click('#purge-confirm');
    await page.locator('#purge-status.is-ok').waitFor();
    expect(await page.textContent('#purge-status')).toBe('Đã xóa 1 câu trả lời quá hạn.');
    expect(exists()).toBe(false);
  });

  it('lists content gaps for editors with a draft brief to download', async () => {
    await loginAs('editor', '/staff/gaps');
    await page.waitForSelector('.gap');
    const first = page.locator('.gap').first();
    expect(Number(await first.locator('.gap-number').textContent())).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), first.locator('a.btn').click()]);
    const brief = fs.readFileSync((await download.path())!, 'utf8');
    expect(brief).toMatch(/^---\nid: TODO/);
    expect(brief).toContain('status: draft');
  });

  it('lets an admin create a user, change the role and disable the account; the audit log shows it', async () => {
    await loginAs('admin', '/staff/users');
    await page.waitForSelector('#users-table tbody tr');
    await page.fill('#new-username', 'quay-mot-cua');
    await page.fill('#new-password', 'mot cua lien thong 2026');
    await page.selectOption('#new-role', 'reviewer');
    await page.click('#user-create button[type="submit"]');
    await page.locator('#user-create-status.is-ok').waitFor();
    const row = page.locator('tr[data-username="quay-mot-cua"]');
    await row.waitFor();
    await row.locator('select').selectOption('editor');
    await page.waitForFunction(() => document.getElementById('users-status')?.textContent?.includes('quay-mot-cua'));
    await page.locator('tr[data-username="quay-mot-cua"] button').click();
    await page.locator('tr[data-username="quay-mot-cua"].is-disabled').waitFor();
    expect(db().prepare("SELECT role, disabled FROM users WHERE username = 'quay-mot-cua'").get()).toEqual({ role: 'editor', disabled: 1 });
    await page.click('.main-nav a[href="/staff/audit"]');
    await page.waitForSelector('#audit-table tbody tr');
    const actions = await page.locator('#audit-table tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.action));
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'user.update', 'purge', 'export', 'answer.review']));
  });

  it('switches the interface to English and back', async () => {
    const switchLanguage = async () => {
      await Promise.all([page.waitForResponse((r) => r.url() === url('/staff/review') && r.request().resourceType() === 'document'), page.click('.lang-switch')]);
      await page.waitForLoadState('load');
    };
    await page.goto(url('/staff/review'));
    await switchLanguage();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toBe('Review answers');
    await page.waitForSelector('.queue-item');
    expect(await page.locator('.reason-badge').first().textContent()).toMatch(/^[A-Za-z ]+$/);
    await switchLanguage();
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
  });

  it('works from the keyboard: skip link, arrow keys from the search box to the results', async () => {
    await page.goto(url('/staff/review'));
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // The lookup page puts the cursor in the search box straight away.
    await page.goto(url('/staff'));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('lookup-q');
    await page.keyboard.type('khai sinh');
    await page.waitForFunction(
      () => new URL(location.href).searchParams.get('q') === 'khai sinh' && !document.getElementById('lookup-results')!.hasAttribute('aria-busy') && document.querySelector('a.result-link') !== null,
    );
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('result-link'))).toBe(true);
    // The focused link has a visible focus ring.
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
    await Promise.all([page.waitForURL(/\/staff\/docs\//), page.keyboard.press('Enter')]);
  });

  it('fits a 1024 px screen and a tablet without sideways scrolling', async () => {
    const pages = [
      '/staff?q=thường trú',
      `/staff/docs/service.residence-registration`,
      '/staff/review',
      `/staff/review/conversations/${seeded.disliked.conversationId}`,
      '/staff/gaps',
      '/staff/dashboard',
      '/staff/translations',
      '/staff/users',
      '/staff/audit',
    ];
    // Every form field has a label (or an accessible name), too.
    await expectFitsNarrowScreens(page, s.base, pages);
  });

  it('signs out', async () => {
    await page.goto(url('/staff'));
    await Promise.all([page.waitForURL(url('/staff/login')), page.click('#sign-out')]);
    await page.goto(url('/staff/dashboard'));
    expect(new URL(page.url()).pathname).toBe('/staff/login');
  });
});

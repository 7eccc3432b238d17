/**
 * The widget in a real browser (Debian's Chromium, headless) against the real server: the demo
 * page, a hostile host page on another origin, a third origin that is not allowed.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { describeInBrowser, launchChromium } from './browser-support.js';
import { startWebTestServer, type WebTestServer } from '../test-support/web-test-server.js';
import { screenshotDir } from '../test-support/screenshots.js';

const SCREENSHOTS = screenshotDir();

/** A host page that tries its best to break whatever it embeds (and that we must not break). */
function hostilePage(widgetBase: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Hostile portal</title>
<style>
  * { all: unset !important; }
  html { font-size: 10px !important; color-scheme: dark !important; }
  iframe { display: none !important; visibility: hidden !important; position: static !important; width: 0 !important; height: 0 !important; opacity: 0 !important; transform: scale(0) !important; }
  div, section, button, p { color: red !important; font-family: monospace !important; }
  body { display: block !important; min-height: 100vh !important; background: #222 !important; }
</style>
<script>
  Array.prototype.map = function () { throw new Error('host broke Array.prototype.map'); };
  Array.prototype.forEach = function () { throw new Error('host broke Array.prototype.forEach'); };
  Array.prototype.filter = function () { throw new Error('host broke Array.prototype.filter'); };
  Array.prototype.includes = function () { throw new Error('host broke Array.prototype.includes'); };
  Array.prototype[Symbol.iterator] = function () { throw new Error('host broke array iteration'); };
  Object.prototype.hostPolluted = 'yes';
  JSON.stringify = function () { throw new Error('host broke JSON.stringify'); };
  JSON.parse = function () { throw new Error('host broke JSON.parse'); };
  window.fetch = function () { return Promise.reject(new Error('host blocks fetch')); };
  var realAdd = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, fn, opts) { return realAdd.call(this, type, fn, opts); };
  var realCreate = Document.prototype.createElement;
  Document.prototype.createElement = function (tag) { return realCreate.call(this, tag); };
  window.dvc = 'host global';
</script>
</head><body>
<h1>Hostile portal</h1>
<div id="dvc-panel" class="dvc-launcher dvc-root">An element of the host with the widget's names</div>
<button id="host-button" type="button">Host button</button>
<script>
  var before = Object.getOwnPropertyNames(window);
  var sheetsBefore = document.querySelectorAll('style, link[rel=stylesheet]').length;
  document.getElementById('host-button').addEventListener('click', function () { document.body.setAttribute('data-host-clicked', 'yes'); });
  function report() {
    var frame = document.querySelector('iframe[data-dvc-widget]');
    if (!frame || !frame.getAttribute('title')) return setTimeout(report, 50);
    var after = Object.getOwnPropertyNames(window), added = [];
    for (var i = 0; i < after.length; i++) if (before.indexOf(after[i]) === -1) added.push(after[i]);
    document.body.setAttribute('data-new-globals', added.join(','));
    document.body.setAttribute('data-sheets-added', String(document.querySelectorAll('style, link[rel=stylesheet]').length - sheetsBefore));
  }
  report();
</script>
<script src="${widgetBase}/widget.js" data-province="kon-tum" data-lang="vi" data-color="#ffd400" data-position="left" async></script>
</body></html>`;
}

const plainPage = '<!doctype html><html><head><meta charset="utf-8"><title>Plain</title></head><body><p>plain</p></body></html>';

/** A portal on another origin: serves the hostile page and a plain page. */
async function startHost(widgetBase: () => string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const body = req.url === '/hostile' ? hostilePage(widgetBase()) : plainPage;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describeInBrowser('the widget in Chromium', () => {
  let s: WebTestServer;
  let browser: Browser;
  let portal: Awaited<ReturnType<typeof startHost>>;
  let stranger: Awaited<ReturnType<typeof startHost>>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    portal = await startHost(() => s.base);
    stranger = await startHost(() => s.base);
    [s, browser] = await Promise.all([startWebTestServer({ allowedOrigins: [portal.origin] }), launchChromium()]);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await s?.close();
    await portal?.close();
    await stranger?.close();
  });

  interface Opened {
    page: Page;
    widget: FrameLocator;
    dialogs: string[];
    errors: string[];
  }

  async function open(url: string, viewport = { width: 1280, height: 800 }, before?: (page: Page) => Promise<void>): Promise<Opened> {
    const context = await browser.newContext({ viewport, locale: 'vi-VN' });
    contexts.push(context);
    const page = await context.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await before?.(page);
    await page.goto(url);
    const widget = page.frameLocator('iframe[data-dvc-widget]');
    await widget.locator('.dvc-launcher').waitFor();
    return { page, widget, dialogs, errors };
  }

  const answers = (w: FrameLocator) => w.locator('.dvc-bot[data-answer-id]');
  const isFocused = (w: FrameLocator, selector: string) => w.locator(selector).evaluate((el) => el === document.activeElement && document.hasFocus());

  async function ask(w: FrameLocator, question: string): Promise<void> {
    const n = await answers(w).count();
    await w.locator('#dvc-input').fill(question);
    await w.locator('#dvc-input').press('Enter');
    await answers(w).nth(n).waitFor({ timeout: 15_000 });
  }

  function feedbackRow(answerId: string) {
    return s.t.assistant.db.prepare('SELECT rating, reason, comment_redacted AS comment FROM feedback WHERE answer_id = ?').all(answerId);
  }

  it('demo page: asks, shows the answer with its source, quick reply, feedback stored, conversation kept on reload', async () => {
    const { page, widget, errors, dialogs } = await open(`${s.base}/`);
    expect((await page.request.get(`${s.base}/`)).headers()['content-security-policy']).toContain("script-src 'self'");

    await widget.locator('.dvc-launcher').click();
    expect(await isFocused(widget, '#dvc-input')).toBe(true);
    expect(await widget.locator('.dvc-welcome .dvc-qr button').count()).toBe(4);

    await ask(widget, 'Tra cứu tình trạng hồ sơ thế nào?');
    const first = answers(widget).first();
    expect(await first.getAttribute('data-kind')).toBe('answer');
    expect(await first.locator('.dvc-body').textContent()).toMatch(/mã hồ sơ/i);
    expect(await first.locator('.dvc-body ol li').count()).toBeGreaterThan(1);
    const source = first.locator('.dvc-sources li').first();
    expect(await source.textContent()).toMatch(/cập nhật \d{2}\/\d{2}\/\d{4}/);
    expect(await source.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Hotlines in the answer are tap-to-call.
    const tels = await widget.locator('.dvc-body a[href^="tel:"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(tels.length).toBeGreaterThan(0);
    expect(tels.every((h) => /^tel:\+?\d{3,15}$/.test(h!))).toBe(true);
    // The typing indicator is gone, the live region announced the answer.
    expect(await widget.locator('.dvc-typing').count()).toBe(0);
    expect(await widget.locator('[aria-live="polite"]').textContent()).toMatch(/Trợ lý trả lời/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-desktop.png') });

    // A quick reply sends its payload.
    const reply = first.locator('.dvc-qr button').first();
    const replyText = (await reply.textContent())!;
    await reply.click();
    await answers(widget).nth(1).waitFor();
    expect(await widget.locator('.dvc-user p').last().textContent()).toBe(replyText);
    expect(await first.locator('.dvc-qr').count()).toBe(0);

    // Thumbs down with a reason and a comment (redacted when stored), thumbs up on the second answer.
    const firstId = (await first.getAttribute('data-answer-id'))!;
    await first.locator('button[data-rating="down"]').click();
    await first.locator('select').selectOption('unclear');
    await first.locator('textarea').fill('khó hiểu quá, gọi tôi 0987654321');
    await first.locator('button[type="submit"]').click();
    await first.locator('.dvc-thanks').waitFor();
    expect(feedbackRow(firstId)).toEqual([{ rating: 'down', reason: 'unclear', comment: 'khó hiểu quá, gọi tôi [PHONE]' }]);
    const second = answers(widget).nth(1);
    await second.locator('button[data-rating="up"]').click();
    await second.locator('.dvc-thanks').waitFor();
    expect(feedbackRow((await second.getAttribute('data-answer-id'))!)).toEqual([{ rating: 'up', reason: null, comment: null }]);

    // Reload: same conversation, same feedback state, panel still open.
    await page.reload();
    await answers(widget).nth(1).waitFor();
    expect(await widget.locator('.dvc-panel').isVisible()).toBe(true);
    expect(await widget.locator('.dvc-user').count()).toBe(2);
    expect(await widget.locator('.dvc-thanks').count()).toBe(2);
    expect(await answers(widget).first().getAttribute('data-answer-id')).toBe(firstId);
    // The next question continues the same conversation.
    const { conversationId, conversationToken } = await widget.locator('html').evaluate(() => JSON.parse(sessionStorage.getItem('dvc-widget:v1:kon-tum')!));
    expect(conversationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sent = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await ask(widget, 'cần giấy tờ gì?');
    const continued = await sent;
    expect(continued.request().postDataJSON()).toMatchObject({ conversationId, conversationToken, province: 'kon-tum', channel: 'web' });
    // The server accepted the token: the same conversation, no new token.
    expect(await continued.json()).toMatchObject({ conversationId });
    expect((await continued.json()).conversationToken).toBeUndefined();
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('switching to English: English interface, questions sent and answered in English', async () => {
    const { widget } = await open(`${s.base}/`);
    await widget.locator('.dvc-launcher').click();
    const options = await widget.locator('#dvc-lang option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(['vi', 'en']);
    await widget.locator('#dvc-lang').selectOption('en');
    await widget.locator('#dvc-input[placeholder^="Type a question"]').waitFor();
    expect(await widget.locator('html').getAttribute('lang')).toBe('en');
    expect(await isFocused(widget, '#dvc-lang')).toBe(true);
    const page = widget.owner().page();
    const response = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await ask(widget, 'How do I register a birth online?');
    const res = await response;
    expect(res.request().postDataJSON().lang).toBe('en');
    expect((await res.json()).lang).toBe('en');
    expect(await answers(widget).first().getAttribute('lang')).toBe('en');
    expect(await answers(widget).first().locator('.dvc-sources').textContent()).toMatch(/updated \d{2}\/\d{2}\/\d{4}/);

    // "New conversation" forgets this tab's conversation and shows the suggestions again.
    await widget.locator('.dvc-new').click();
    expect(await answers(widget).count()).toBe(0);
    expect(await widget.locator('.dvc-welcome .dvc-qr button').first().textContent()).toMatch(/permanent residence/);
    const stored = await widget.locator('html').evaluate(() => JSON.parse(sessionStorage.getItem('dvc-widget:v1:kon-tum')!));
    expect(stored).toMatchObject({ lang: 'en', turns: [] });
    expect(stored.conversationId).toBeUndefined();
    expect(stored.conversationToken).toBeUndefined();
  });

  it('keyboard only: Tab to the launcher, Enter opens, sane Tab order, Esc closes back to the launcher, Space opens', async () => {
    const { page, widget } = await open(`${s.base}/`);
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await isFocused(widget, '.dvc-launcher');
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    expect(await widget.locator('.dvc-panel').isVisible()).toBe(true);
    expect(await isFocused(widget, '#dvc-input')).toBe(true);
    await page.keyboard.type('Quên mật khẩu VNeID thì làm sao?');
    await page.keyboard.press('Enter');
    await answers(widget).first().waitFor();

    // From the close button, Tab visits the controls in reading order, ending at the send button.
    await widget.locator('.dvc-close').focus();
    const order: string[] = [];
    for (let i = 0; i < 40; i++) {
      const label = await widget.locator('html').evaluate(() => {
        const el = document.activeElement as HTMLElement;
        return el.id || el.className || el.tagName;
      });
      order.push(label);
      if (label.includes('dvc-send')) break;
      await page.keyboard.press('Tab');
    }
    const at = (name: string) => order.findIndex((l) => l.includes(name));
    expect(at('dvc-close')).toBe(0);
    for (const [a, b] of [['dvc-close', 'dvc-lang'], ['dvc-lang', 'dvc-log'], ['dvc-log', 'dvc-input'], ['dvc-input', 'dvc-send']]) {
      expect(at(a), `${a} before ${b} in ${order.join(' → ')}`).toBeLessThan(at(b));
    }

    // Talk to a person, by keyboard: the hotline is a tel: link and the heading gets focus.
    await widget.locator('.dvc-toolbar button[aria-controls="dvc-human"]').focus();
    await page.keyboard.press('Enter');
    expect(await widget.locator('#dvc-human').isVisible()).toBe(true);
    expect(await isFocused(widget, '#dvc-human-title')).toBe(true);
    expect(await widget.locator('#dvc-human a[href="tel:18001096"]').count()).toBe(1);
    expect(await widget.locator('#dvc-human').textContent()).toMatch(/Giờ làm việc/);

    await page.keyboard.press('Escape');
    expect(await widget.locator('.dvc-panel').isHidden()).toBe(true);
    expect(await isFocused(widget, '.dvc-launcher')).toBe(true);
    await page.keyboard.press('Space');
    expect(await widget.locator('.dvc-panel').isVisible()).toBe(true);
    expect(await isFocused(widget, '#dvc-input')).toBe(true);
  });

  it('XSS probe: HTML and script links in questions and answers stay text', async () => {
    const { page, widget, dialogs } = await open(`${s.base}/`);
    await widget.locator('.dvc-launcher').click();
    const probe = '<img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>alert(2)</script>';
    await ask(widget, probe);
    expect(await widget.locator('.dvc-user p').last().textContent()).toBe(probe);

    // Now an answer as hostile as it gets, as if the server had been compromised.
    await page.route('**/api/chat', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          conversationId: '11111111-1111-1111-1111-111111111111',
          answerId: '22222222-2222-2222-2222-222222222222',
          lang: 'vi',
          kind: 'answer',
          text: '**Đậm** _nghiêng_ <img src=x onerror=alert(3)>\n\n- [x](javascript:alert(4))\n- [d](data:text/html,<script>alert(5)</script>)\n- [ok](https://dichvucong.gov.vn)\n- <script>alert(6)</script>\n- gọi 1800 1096',
          citations: [{ id: 'c', kind: 'article', title: '<img src=x onerror=alert(7)>', url: 'javascript:alert(8)', updated: '2026-01-02' }],
          topics: [],
          confidence: 1,
          quickReplies: [{ label: '<img src=x onerror=alert(9)>', payload: 'x' }],
          notices: ['<b onmouseover=alert(10)>notice</b>'],
        }),
      }),
    );
    await ask(widget, 'câu hỏi bất kỳ');
    await page.waitForTimeout(300);
    const last = answers(widget).last();
    expect(await widget.locator('img, script:not([src]), iframe, object, embed').count()).toBe(0);
    expect(await widget.locator('b, [onerror], [onmouseover]').count()).toBe(0);
    const hrefs = await widget.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs.every((h) => /^(https:\/\/|http:\/\/|tel:)/.test(h ?? ''))).toBe(true);
    expect(hrefs).toContain('https://dichvucong.gov.vn/');
    expect(hrefs).toContain('tel:18001096');
    const ok = last.locator('a[href="https://dichvucong.gov.vn/"]');
    expect(await ok.getAttribute('target')).toBe('_blank');
    expect(await ok.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await last.locator('li').first().textContent()).toBe('x');
    expect(await last.locator('.dvc-sources a').count()).toBe(0);
    expect(await last.locator('.dvc-sources').textContent()).toContain('<img src=x onerror=alert(7)>');
    expect(await last.locator('.dvc-body strong').first().textContent()).toBe('Đậm');
    expect(await last.locator('.dvc-body em').first().textContent()).toBe('nghiêng');
    expect(await last.locator('.dvc-notice').textContent()).toContain('<b onmouseover=alert(10)>notice</b>');

    // The CSP stands behind the renderer: no HTML sinks, no inline script, even if some code tried.
    const attempts = await widget.locator('html').evaluate(() => {
      const results: string[] = [];
      try {
        document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=alert(11)>');
        results.push('html allowed');
      } catch {
        results.push('html blocked');
      }
      const s = document.createElement('script');
      try {
        s.textContent = 'window.__inline = 1';
        document.head.appendChild(s);
      } catch {
        /* trusted types */
      }
      results.push((window as unknown as { __inline?: number }).__inline === 1 ? 'inline ran' : 'inline blocked');
      return results;
    });
    expect(attempts).toEqual(['html blocked', 'inline blocked']);
    expect(dialogs).toEqual([]);
  });

  it('errors: a rate limit or a lost connection says what to do and keeps the question', async () => {
    const { page, widget } = await open(`${s.base}/`);
    await widget.locator('.dvc-launcher').click();
    await page.route('**/api/chat', (route) =>
      route.fulfill({ status: 429, headers: { 'retry-after': '7' }, contentType: 'application/json', body: JSON.stringify({ error: 'rate_limited', message: 'slow down' }) }),
    );
    await widget.locator('#dvc-input').fill('Lệ phí đăng ký khai sinh');
    await widget.locator('#dvc-input').press('Enter');
    expect(await widget.locator('.dvc-error-msg[role="alert"]').textContent()).toContain('7 giây');
    expect(await widget.locator('#dvc-input').inputValue()).toBe('Lệ phí đăng ký khai sinh');
    expect(await widget.locator('.dvc-user').count()).toBe(0);
    await page.unroute('**/api/chat');
    await page.route('**/api/chat', (route) => route.abort('internetdisconnected'));
    await widget.locator('#dvc-input').press('Enter');
    await widget.locator('.dvc-error-msg', { hasText: 'Kiểm tra mạng' }).waitFor();
    expect(await widget.locator('.dvc-error-msg').count()).toBe(1);
    await page.unroute('**/api/chat');
    await widget.locator('#dvc-input').press('Enter');
    await answers(widget).first().waitFor();
    expect(await widget.locator('.dvc-error-msg').count()).toBe(0);
    expect(await widget.locator('.dvc-user').count()).toBe(1);
  });

  it('mobile 320×640: full-screen panel, no sideways scrolling; safety answers stand out, the secret is hidden and not stored', async () => {
    const { page, widget } = await open(`${s.base}/`, { width: 320, height: 640 });
    const closed = (await page.locator('iframe[data-dvc-widget]').boundingBox())!;
    expect(closed.width).toBeGreaterThan(40);
    expect(closed.x + closed.width).toBeLessThanOrEqual(320);
    await widget.locator('.dvc-launcher').click();
    await page.waitForFunction(() => document.querySelector('iframe[data-dvc-widget]')!.getBoundingClientRect().width === 320);
    expect(await page.locator('iframe[data-dvc-widget]').boundingBox()).toMatchObject({ x: 0, width: 320, height: 640 });
    await ask(widget, 'Đăng ký khai sinh cho con trên mạng');
    const layout = await widget.locator('html').evaluate(() => {
      const panel = document.querySelector('.dvc-panel')!;
      const input = document.querySelector('#dvc-input')!.getBoundingClientRect();
      return { docOverflow: document.documentElement.scrollWidth - innerWidth, panelOverflow: panel.scrollWidth - panel.clientWidth, inputBottom: input.bottom, inputRight: input.right };
    });
    expect(layout.docOverflow).toBeLessThanOrEqual(0);
    expect(layout.panelOverflow).toBeLessThanOrEqual(0);
    expect(layout.inputBottom).toBeLessThanOrEqual(640);
    expect(layout.inputRight).toBeLessThanOrEqual(320);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-mobile.png') });

    await ask(widget, 'Mã OTP của tôi là 482913, nhập giúp tôi');
    const warning = answers(widget).last();
    expect(await warning.getAttribute('data-kind')).toBe('safety');
    expect(await warning.getAttribute('role')).toBe('alert');
    expect(await warning.locator('.dvc-safety-title svg').count()).toBe(1);
    expect(await warning.evaluate((el) => getComputedStyle(el).borderLeftWidth)).not.toBe('0px');
    // The question is hidden at once (it may hold a secret) and never stored.
    expect(await widget.locator('.dvc-user.dvc-hidden').count()).toBe(1);
    expect(await widget.locator('body').textContent()).not.toContain('482913');
    const stored = await widget.locator('html').evaluate(() => sessionStorage.getItem('dvc-widget:v1:kon-tum')!);
    expect(stored).not.toContain('482913');
    await page.reload();
    await answers(widget).nth(1).waitFor();
    expect(await widget.locator('.dvc-user.dvc-hidden').count()).toBe(1);
    expect(await widget.locator('body').textContent()).not.toContain('482913');
  });

  it('200% text size: the panel reflows instead of clipping', async () => {
    const { page, widget } = await open(`${s.base}/`, { width: 1280, height: 800 }, async (p) => {
      const cdp = await p.context().newCDPSession(p);
      await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
    });
    await widget.locator('.dvc-launcher').click();
    await ask(widget, 'Thanh toán lệ phí trực tuyến');
    const m = await widget.locator('html').evaluate(() => {
      const panel = document.querySelector('.dvc-panel')!;
      const input = document.querySelector('#dvc-input')!.getBoundingClientRect();
      const title = document.querySelector('#dvc-title')!;
      return {
        rem: parseFloat(getComputedStyle(document.documentElement).fontSize),
        panelOverflow: panel.scrollWidth - panel.clientWidth,
        titleClipped: title.scrollWidth > title.clientWidth,
        inputVisible: input.top >= 0 && input.bottom <= innerHeight && input.height > 30,
      };
    });
    expect(m).toEqual({ rem: 32, panelOverflow: 0, titleClipped: false, inputVisible: true });
    const box = (await page.locator('iframe[data-dvc-widget]').boundingBox())!;
    expect(box.width).toBe(26 * 32);
    expect(box.height).toBe(800);
  });

  it('on a hostile portal page (another origin): still works, keeps its place, and leaves the page alone', async () => {
    const { page, widget, errors } = await open(`${portal.origin}/hostile`);
    await page.locator('body[data-new-globals]').waitFor({ state: 'attached' });
    const box = (await page.locator('iframe[data-dvc-widget]').boundingBox())!;
    expect(box.width).toBeGreaterThan(40);
    expect(box.x).toBe(0); // data-position="left"
    expect(await widget.locator('.dvc-launcher').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(17, 17, 17)'); // dark text on the yellow accent
    await widget.locator('.dvc-launcher').click();
    await ask(widget, 'Đăng ký khai sinh cho con trên mạng');
    expect(await answers(widget).first().locator('.dvc-body').textContent()).toMatch(/khai sinh/i);
    expect(await widget.locator('.dvc-body').first().evaluate((el) => getComputedStyle(el).fontFamily)).not.toBe('monospace');
    // The page is untouched: no globals (only the frame's index, window[0], as for any iframe),
    // no stylesheets, its own code still runs, nothing thrown.
    expect(await page.locator('body').getAttribute('data-new-globals')).toBe('0');
    expect(await page.locator('body').getAttribute('data-sheets-added')).toBe('0');
    await page.locator('#host-button').click({ force: true });
    expect(await page.locator('body').getAttribute('data-host-clicked')).toBe('yes');
    expect(errors).toEqual([]);
  });

  it('the text box takes the message limit the server gives (MAX_MESSAGE_CHARS), and a longer paste is cut to it', async () => {
    const limited = await startWebTestServer({ env: { MAX_MESSAGE_CHARS: '120' } });
    try {
      const { widget, errors } = await open(`${limited.base}/`);
      await widget.locator('.dvc-launcher').click();
      const input = widget.locator('#dvc-input');
      expect(await input.getAttribute('maxlength')).toBe('120');
      await input.evaluate((el: HTMLTextAreaElement) => (el.value = 'đăng ký thường trú cần giấy tờ gì '.repeat(10)));
      await input.press('Enter');
      await widget.locator('.dvc-bot[data-answer-id]').first().waitFor({ timeout: 15_000 });
      const asked = limited.t.assistant.db.prepare('SELECT length(question_redacted) AS n FROM answers ORDER BY rowid DESC LIMIT 1').get() as { n: number } | undefined;
      expect(asked?.n).toBeLessThanOrEqual(120);
      expect(errors).toEqual([]);
    } finally {
      await limited.close();
    }
  });

  it('CORS and framing: the allowed portal may call the API and embed the widget, another origin may not', async () => {
    const call = (page: Page) =>
      page.evaluate(async (base) => {
        try {
          const profile = await fetch(`${base}/api/profile?province=kon-tum`);
          const chat = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'xin chào' }) });
          return `${profile.status} ${(await profile.json()).code} ${chat.status}`;
        } catch (err) {
          return `blocked: ${(err as Error).name}`;
        }
      }, s.base);
    const context = await browser.newContext();
    contexts.push(context);
    const allowed = await context.newPage();
    await allowed.goto(`${portal.origin}/plain`);
    expect(await call(allowed)).toBe('200 kon-tum 200');
    const denied = await context.newPage();
    await denied.goto(`${stranger.origin}/plain`);
    expect(await call(denied)).toBe('blocked: TypeError');

    // The stranger's page cannot show the widget: the frame is refused (frame-ancestors).
    const framed = await context.newPage();
    await framed.goto(`${stranger.origin}/hostile`);
    await framed.waitForTimeout(1500);
    const frameUrls = framed.frames().map((f) => f.url());
    expect(frameUrls.some((u) => u.includes('/widget/frame.html'))).toBe(false);
    expect((await framed.locator('iframe[data-dvc-widget]').boundingBox())?.width ?? 0).toBe(0);
  });
});

/**
 * The staff console's translations page in Debian's Chromium (playwright-core, headless):
 * languages and counts, the pending list, the review view (Vietnamese beside the translation,
 * line diff of the Vietnamese since), approve and reject as an editor, and a reviewer who may
 * look but not decide.
 *
 * The server runs on a temporary copy of knowledge/ (KNOWLEDGE_DIR), because import writes
 * draft articles and approval writes knowledge/articles/<lang>/<id>.md; only articles are
 * imported, so nothing is written to server/i18n/locales/. The test checks that the real
 * trees are byte-for-byte unchanged afterwards.
 *
 * The "translation" is the Vietnamese upper-cased between «» (fakeTranslate), never real or
 * imitated text in any ethnic-minority language.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readXliff, writeXliff } from '../../translation/exchange.js';
import { DEFAULT_KNOWLEDGE_DIR, DEFAULT_LOCALES_DIR } from '../../translation/packs.js';
import { fakeTranslate } from '../../translation/test-fixtures.js';
import { ACCOUNTS, describeInChromium, expectFitsNarrowScreens, openStaffBrowser, startStaffServer, type StaffBrowser, type StaffServer } from '../../test-support/staff-test-server.js';

const LANG = 'bdq';
const APPROVE_ID = 'meta.language';
const CHANGED_ID = 'contact.national-hotline';
const TRANSLATOR = 'translator.test';

/** Every file under a folder with the sha256 of its bytes (to prove a tree was not touched). */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

interface Session {
  cookie: string;
  csrf: string;
}

describeInChromium('staff translations page in Chromium', () => {
  let s: StaffServer;
  let browser: StaffBrowser;
  let tempRoot: string;
  let knowledgeDir: string;
  let page: Page;
  const problems: string[] = [];
  const before = { knowledge: {} as Record<string, string>, locales: {} as Record<string, string> };
  const revisions: Record<string, number> = {};
  const sessions: Partial<Record<keyof typeof ACCOUNTS, Session>> = {};

  const url = (p: string) => `${s.base}${p}`;

  async function session(who: keyof typeof ACCOUNTS): Promise<Session> {
    const existing = sessions[who];
    if (existing) return existing;
    const res = await fetch(url('/staff/api/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ACCOUNTS[who]) });
    expect(res.status).toBe(200);
    const created = { cookie: res.headers.get('set-cookie')!.split(';')[0], csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    sessions[who] = created;
    return created;
  }

  async function apiAs<T = unknown>(who: keyof typeof ACCOUNTS, p: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T; text: string }> {
    const { cookie, csrf } = await session(who);
    const method = init.method ?? 'GET';
    const res = await fetch(url(p), {
      method,
      headers: { cookie, accept: 'application/json', ...(method !== 'GET' ? { 'x-csrf-token': csrf } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    return { status: res.status, body: body as T, text };
  }

  const loginAs = (who: keyof typeof ACCOUNTS, next?: string) => browser.loginAs(who, next);
  const shot = (name: string) => browser.shot(name);

  beforeAll(async () => {
    before.knowledge = fingerprint(DEFAULT_KNOWLEDGE_DIR);
    before.locales = fingerprint(DEFAULT_LOCALES_DIR);
    tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-staff-translations-'));
    knowledgeDir = path.join(tempRoot, 'knowledge');
    fs.cpSync(DEFAULT_KNOWLEDGE_DIR, knowledgeDir, { recursive: true });
    s = await startStaffServer({ KNOWLEDGE_DIR: knowledgeDir, SEED_PROCEDURES_FILE: 'none' });

    // --- a translator's file: export for bdq, "translate" two articles, import them as drafts ---
    const exp = await apiAs('admin', `/staff/api/translations/export?lang=${LANG}&format=xliff`);
    expect(exp.status).toBe(200);
    const doc = readXliff(exp.text);
    const units = doc.units.filter((u) => u.id.startsWith(`a:${APPROVE_ID}:`) || u.id.startsWith(`a:${CHANGED_ID}:`)).map((u) => ({ ...u, target: fakeTranslate(u.source) }));
    expect(units.length).toBeGreaterThan(10);
    const imp = await apiAs<{ accepted: Array<{ itemId: string; revisionId: number; draftFile: string }>; errors: unknown[] }>('admin', '/staff/api/translations/import', {
      method: 'POST',
      body: { lang: LANG, content: writeXliff({ ...doc, translator: TRANSLATOR, units }), fileName: 'bdq-test.xlf' },
    });
    expect(imp.status).toBe(200);
    expect(imp.body.errors).toEqual([]);
    for (const a of imp.body.accepted) revisions[a.itemId] = a.revisionId;
    expect(Object.keys(revisions).sort()).toEqual([CHANGED_ID, APPROVE_ID].sort());
    expect(fs.existsSync(path.join(knowledgeDir, 'articles', LANG, `${APPROVE_ID}.md`))).toBe(true);

    // --- the Vietnamese of one article changes after it was translated ---
    const viFile = path.join(knowledgeDir, 'articles', 'vi', `${CHANGED_ID}.md`);
    const vi = fs.readFileSync(viFile, 'utf8');
    expect(vi).toContain('- Báo lỗi khi dùng Cổng.\n');
    fs.writeFileSync(viFile, vi.replace('- Báo lỗi khi dùng Cổng.\n', '- Báo lỗi khi dùng Cổng, kể cả lỗi khi thanh toán.\n- Góp ý để Cổng dễ dùng hơn.\n'));

    browser = await openStaffBrowser(s.base, problems);
    ({ page } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await s?.close();
    if (tempRoot) fs.rmSync(tempRoot, { recursive: true, force: true });
    // Nothing was written to the real knowledge or locales folders.
    expect(fingerprint(DEFAULT_KNOWLEDGE_DIR)).toEqual(before.knowledge);
    expect(fingerprint(DEFAULT_LOCALES_DIR)).toEqual(before.locales);
    expect(problems).toEqual([]);
  });

  it('shows a reviewer the languages and what waits, but no way to decide', async () => {
    await loginAs('reviewer', '/staff/translations');
    const nav = await page.locator('.main-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(nav).toContain('/staff/translations');
    expect(await page.getAttribute('.main-nav a[href="/staff/translations"]', 'aria-current')).toBe('page');
    await page.waitForSelector('body[data-ready]');
    const row = page.locator(`#langs-table tbody tr[data-lang="${LANG}"]`);
    expect(await row.locator('td[data-col="pending"]').textContent()).toBe('2');
    // The pending list defaults to the language with work waiting.
    await page.locator('.pending-item').first().waitFor();
    expect(await page.locator('.pending-item').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.itemId).sort())).toEqual([CHANGED_ID, APPROVE_ID].sort());
    expect(await page.locator(`.pending-item[data-item-id="${CHANGED_ID}"]`).textContent()).toContain('Bản tiếng Việt đã thay đổi');
    expect(await page.locator('.pending-item a, #approve, #reject, #export-xliff').count()).toBe(0);
    expect(await page.textContent('#pending-editors-only')).toContain('Chỉ biên tập viên');

    // The review view and the decision are the editor's: a readable 403 page, and 403 from the API.
    const res = await page.goto(url(`/staff/translations/revisions/${revisions[APPROVE_ID]}`));
    expect(res!.status()).toBe(403);
    expect(await page.textContent('h1')).toBe('Không có quyền truy cập');
    await page.goto(url('/staff/translations'));
    const refused = await page.evaluate(async (id) => {
      const csrf = document.querySelector<HTMLMetaElement>('meta[name="dvc-csrf"]')!.content;
      const r = await fetch(`/staff/api/translations/revisions/${id}/approve`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: '{}' });
      return { status: r.status, body: await r.json() };
    }, revisions[APPROVE_ID]);
    expect(refused).toEqual({ status: 403, body: expect.objectContaining({ error: 'forbidden' }) });
    expect((await apiAs('reviewer', `/staff/api/translations/revisions/${revisions[APPROVE_ID]}/approve`, { method: 'POST', body: {} })).status).toBe(403);
    expect((await apiAs<{ revision: { status: string } }>('editor', `/staff/api/translations/revisions/${revisions[APPROVE_ID]}`)).body.revision.status).toBe('pending');
  });

  it('lists the pending translations of a language for an editor', async () => {
    await loginAs('editor', '/staff/translations');
    await page.waitForSelector('body[data-ready]');
    await page.locator('.pending-item a.pending-title').first().waitFor();
    const row = page.locator(`#langs-table tbody tr[data-lang="${LANG}"]`);
    expect(await row.getAttribute('class')).toContain('is-current');
    const cells = await row.locator('td').allTextContents();
    // strings translated/total, then articles approved, draft, stale, missing, then pending.
    expect(cells[0]).toMatch(/^0\/\d+$/);
    expect(cells.slice(1)).toEqual(['0', '2', '0', expect.stringMatching(/^\d+$/), '2']);
    expect(await page.textContent('#pending-title')).toContain(`(${LANG})`);
    expect(await page.getAttribute('#export-xliff', 'href')).toBe(`/staff/api/translations/export?lang=${LANG}&format=xliff`);
    await shot('staff-translations.png');
  });

  it('shows the Vietnamese beside the translation and the diff of the Vietnamese since; rejects with a reason', async () => {
    await Promise.all([
      page.waitForURL(/\/staff\/translations\/revisions\/\d+$/),
      page.click(`.pending-item[data-item-id="${CHANGED_ID}"] a.pending-title`),
    ]);
    await page.waitForSelector('#segments-table tbody tr');
    expect(await page.textContent('#revision-status')).toBe('Chờ duyệt');
    const title = page.locator('#segments-table tbody tr[data-unit="title"]');
    const source = (await title.locator('td').nth(0).textContent())!;
    expect(source).toBe('Tổng đài hỗ trợ Cổng Dịch vụ công quốc gia');
    expect(await title.locator('td').nth(1).locator('> :not(details)').count()).toBe(0);
    expect((await title.locator('td').nth(1).evaluate((td) => td.firstChild?.textContent))!).toBe(`«${source.toUpperCase()}»`);
    // The diff of the Vietnamese since translation: one line removed, two added, the rest folded.
    expect(await page.textContent('#source-changed')).toContain('3 dòng');
    expect(await page.locator('#source-diff .diff-del').allTextContents()).toEqual(['−Bỏ: - Báo lỗi khi dùng Cổng.']);
    expect(await page.locator('#source-diff .diff-add').allTextContents()).toEqual(['+Thêm: - Báo lỗi khi dùng Cổng, kể cả lỗi khi thanh toán.', '+Thêm: - Góp ý để Cổng dễ dùng hơn.']);
    expect(await page.locator('#source-diff .diff-fold').count()).toBeGreaterThan(0);
    expect(await page.locator('#approve').isVisible()).toBe(true);
    await shot('staff-translation-review.png');

    // A rejection needs a reason.
    await page.click('#reject');
    expect(await page.textContent('#decision-status')).toMatch(/ghi lý do/);
    expect(await page.getAttribute('#reject-reason', 'aria-invalid')).toBe('true');
    await page.fill('#reject-reason', 'Bản tiếng Việt đã đổi; cần dịch lại đoạn b2.');
    await page.click('#reject');
    await page.locator('#decision-status.is-ok').waitFor();
    expect(await page.textContent('#revision-status')).toBe('Đã từ chối');
    expect(await page.locator('#approve, #reject').count()).toBe(0);
    const after = await apiAs<{ revision: { status: string; reviewedBy: string; reviewNote: string } }>('editor', `/staff/api/translations/revisions/${revisions[CHANGED_ID]}`);
    expect(after.body.revision).toMatchObject({ status: 'rejected', reviewedBy: ACCOUNTS.editor.username, reviewNote: 'Bản tiếng Việt đã đổi; cần dịch lại đoạn b2.' });
    // Rejecting removed the draft file it had written.
    expect(fs.existsSync(path.join(knowledgeDir, 'articles', LANG, `${CHANGED_ID}.md`))).toBe(false);
  });

  it('approves a translation made from the current Vietnamese; the API shows it approved', async () => {
    await page.goto(url('/staff/translations'));
    await Promise.all([
      page.waitForURL(new RegExp(`/staff/translations/revisions/${revisions[APPROVE_ID]}$`)),
      page.click(`.pending-item[data-item-id="${APPROVE_ID}"] a.pending-title`),
    ]);
    await page.waitForSelector('#segments-table tbody tr');
    expect(await page.textContent('#source-unchanged')).toContain('Không thay đổi');
    expect(await page.locator('#source-diff .diff-add, #source-diff .diff-del').count()).toBe(0);
    expect(await page.locator('#segments-table tbody tr').count()).toBeGreaterThan(5);
    await page.click('#approve');
    await page.locator('#decision-status.is-ok').waitFor();
    expect(await page.textContent('#decision-status')).toContain('npm run ingest');
    expect(await page.textContent('#revision-status')).toBe('Đã duyệt');
    expect(await page.textContent('#decision-made')).toContain(ACCOUNTS.editor.username);

    const shown = await apiAs<{ revision: { status: string; reviewedBy: string } }>('editor', `/staff/api/translations/revisions/${revisions[APPROVE_ID]}`);
    expect(shown.body.revision).toMatchObject({ status: 'approved', reviewedBy: ACCOUNTS.editor.username });
    const lang = await apiAs<{ pack: { articles: { approved: number; draft: number } }; pending: unknown[] }>('reviewer', `/staff/api/translations/languages/${LANG}`);
    expect(lang.body.pack.articles).toMatchObject({ approved: 1, draft: 0 });
    expect(lang.body.pending).toEqual([]);
    const served = fs.readFileSync(path.join(knowledgeDir, 'articles', LANG, `${APPROVE_ID}.md`), 'utf8');
    expect(served).toMatch(/status: approved/);
    expect(served).toContain(`reviewed_by: "${ACCOUNTS.editor.username}"`);

    // Back on the list: nothing waits, and the table counts the approved article.
    await page.click('#back-after');
    await page.waitForSelector('body[data-ready]');
    await page.waitForFunction(() => document.getElementById('pending-status')?.textContent !== '');
    expect(await page.locator('.pending-item').count()).toBe(0);
    const cells = await page.locator(`#langs-table tbody tr[data-lang="${LANG}"] td`).allTextContents();
    expect(cells.slice(1, 3)).toEqual(['1', '0']);
    expect(cells[5]).toBe('0');
    // The decisions are in the audit log.
    const audit = await apiAs<{ entries: Array<{ action: string }> }>('admin', '/staff/api/audit');
    expect(audit.body.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['translation.approve', 'translation.reject']));
  });

  it('fits a 1024 px screen and a tablet without sideways scrolling', async () => {
    await expectFitsNarrowScreens(page, s.base, ['/staff/translations', `/staff/translations/revisions/${revisions[CHANGED_ID]}`]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, startStaffServer, type StaffServer } from '../../test-support/staff-test-server.js';
import { CONTENT_SECURITY_POLICY, safeNext } from './staff-pages.js';
import { esc, html } from './html.js';

let s: StaffServer;
const cookies: Record<string, string> = {};

async function login(who: keyof typeof ACCOUNTS): Promise<string> {
  const res = await fetch(`${s.base}/staff/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ACCOUNTS[who]) });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0];
}

async function get(path: string, who?: keyof typeof ACCOUNTS, extra: Record<string, string> = {}) {
  const res = await fetch(`${s.base}${path}`, { headers: { accept: 'text/html', ...(who ? { cookie: cookies[who] } : {}), ...extra }, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

beforeAll(async () => {
  s = await startStaffServer();
  for (const who of Object.keys(ACCOUNTS) as Array<keyof typeof ACCOUNTS>) cookies[who] = await login(who);
});
afterAll(async () => {
  await s?.close();
});

const PAGES = ['/staff', '/staff/inbox', '/staff/inbox?ticket=1', '/staff/docs/service.birth-registration', '/staff/review', '/staff/review/conversations/x', '/staff/gaps', '/staff/dashboard', '/staff/translations', '/staff/translations/revisions/1', '/staff/users', '/staff/audit'];

describe('staff pages over HTTP', () => {
  it('sends strict security headers and no-store on every page', async () => {
    for (const path of [...PAGES, '/staff/login']) {
      const r = await get(path, 'admin');
      expect(r.status, path).toBe(path === '/staff/login' ? 303 : 200);
      expect(r.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  });

  it('has no inline scripts, inline styles or external resources', async () => {
    for (const path of [...PAGES, '/staff/login']) {
      const r = await get(path, path === '/staff/login' ? undefined : 'admin');
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
      expect(r.text, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(r.text, path).not.toMatch(/<style/i);
      expect(r.text, path).not.toMatch(/\sstyle=/i);
      expect(r.text, path).not.toMatch(/\son[a-z]+=/i);
      expect(r.text, path).not.toMatch(/(src|href)="(https?:)?\/\//i);
      for (const [, url] of r.text.matchAll(/(?:src|href)="(\/staff\/assets\/[^"]+)"/g)) {
        const asset = await fetch(`${s.base}${url}`);
        expect(asset.status, url).toBe(200);
        expect(asset.headers.get('cache-control')).toMatch(/immutable/);
        expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
      }
    }
  });

  it('redirects a browser without a session to the sign-in page, keeping where it was going', async () => {
    const r = await get('/staff/review?kind=fallback');
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe(`/staff/login?next=${encodeURIComponent('/staff/review?kind=fallback')}`);
    const login = await get('/staff/login?next=%2Fstaff%2Freview');
    expect(login.status).toBe(200);
    expect(login.text).toContain('data-next="/staff/review"');
  });

  it('never puts an off-site address into the sign-in form', async () => {
    for (const evil of ['https://evil.example/', '//evil.example', '/\\evil.example', '/staffevil', '/staff//evil.example', 'javascript:alert(1)', '/staff/api/purge']) {
      const r = await get(`/staff/login?next=${encodeURIComponent(evil)}`);
      expect(r.text, evil).toContain('data-next="/staff"');
    }
    expect(safeNext('/staff/docs/proc-1?x=1')).toBe('/staff/docs/proc-1?x=1');
    expect(safeNext('/staff')).toBe('/staff');
    expect(safeNext('/staff\\@evil')).toBe('/staff');
    expect(safeNext(undefined)).toBe('/staff');
    // An already signed-in visitor is sent on, to a safe place only.
    const again = await get('/staff/login?next=https%3A%2F%2Fevil.example', 'reviewer');
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/staff');
  });

  it('answers a role that is too low with a readable 403 page, and shows only allowed navigation', async () => {
    const users = await get('/staff/users', 'reviewer');
    expect(users.status).toBe(403);
    expect(users.headers.get('content-type')).toMatch(/text\/html/);
    expect(users.text).toContain('Không có quyền truy cập');
    expect((await get('/staff/audit', 'editor')).status).toBe(403);
    expect((await get('/staff/gaps', 'reviewer')).status).toBe(403);
    expect((await get('/staff/gaps', 'editor')).status).toBe(200);
    expect((await get('/staff/translations', 'reviewer')).status).toBe(200);
    expect((await get('/staff/translations/revisions/1', 'reviewer')).status).toBe(403);
    expect((await get('/staff/translations/revisions/1', 'editor')).status).toBe(200);
    const lookup = await get('/staff', 'reviewer');
    expect(lookup.text).not.toContain('href="/staff/users"');
    expect(lookup.text).not.toContain('href="/staff/gaps"');
    expect(lookup.text).toContain('href="/staff/review"');
    expect(lookup.text).toContain('href="/staff/translations"');
    // The desk is for everyone who may answer citizens (reviewers and above); taking over is a supervisor's button.
    expect(lookup.text).toContain('href="/staff/inbox"');
    const desk = await get('/staff/inbox', 'reviewer');
    expect(desk.status).toBe(200);
    expect(desk.text).toContain('data-supervisor="false"');
    expect(desk.text).not.toContain('id="act-take-over"');
    expect((await get('/staff/inbox', 'editor')).text).toContain('id="act-take-over"');
    // A ticket id that is not a number never reaches the page.
    expect((await get('/staff/inbox?ticket=%22%3E%3Cscript%3E', 'reviewer')).text).toContain('data-ticket=""');
    const admin = await get('/staff', 'admin');
    expect(admin.text).toContain('href="/staff/users"');
    expect(admin.text).toContain('href="/staff/audit"');
  });

  it('shows no live-help figures on the dashboard while no province has handoff on and there are no tickets', async () => {
    const r = await get('/staff/dashboard', 'reviewer');
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('id="handoff-figures"');
  });

  it('shows export and purge controls only to the roles that may use them', async () => {
    const reviewer = (await get('/staff/dashboard', 'reviewer')).text;
    expect(reviewer).not.toContain('id="export-csv"');
    expect(reviewer).not.toContain('id="purge-open"');
    expect(reviewer).not.toContain('id="chart-gaps"');
    const editor = (await get('/staff/dashboard', 'editor')).text;
    expect(editor).toContain('id="export-csv"');
    expect(editor).toContain('id="chart-gaps"');
    expect(editor).not.toContain('id="purge-open"');
    expect((await get('/staff/dashboard', 'admin')).text).toContain('id="purge-open"');
  });

  it('switches the interface language with a cookie and goes back', async () => {
    const r = await get('/staff/lang/en?next=%2Fstaff%2Freview', 'reviewer');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/staff/review');
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^dvc_staff_lang=en; Path=\/staff; SameSite=Strict/);
    const page = await get('/staff/review', undefined, { cookie: `${cookies.reviewer}; ${cookie.split(';')[0]}` });
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Review answers');
    expect((await get('/staff/lang/en?next=https%3A%2F%2Fevil.example')).headers.get('location')).toBe('/staff');
    expect((await get('/staff/lang/xx?next=%2Fstaff')).headers.get('set-cookie')).toBeNull();
  });

  it('escapes everything it echoes', async () => {
    const r = await get(`/staff?q=${encodeURIComponent('"><script>alert(1)</script>')}`, 'reviewer');
    expect(r.text).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    const d = await get(`/staff/docs/${encodeURIComponent('<b>x</b>')}`, 'reviewer');
    expect(d.text).toContain('data-doc-id="&lt;b&gt;x&lt;/b&gt;"');
    expect(esc(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    expect(html`<p>${'<i>'}${['<b>', html`<br>`]}</p>`.value).toBe('<p>&lt;i&gt;&lt;b&gt;<br></p>');
  });

  it('serves the strings of both languages with the same keys', async () => {
    const vi = (await import('../../i18n/locales/vi/staff.json', { with: { type: 'json' } })).default;
    const en = (await import('../../i18n/locales/en/staff.json', { with: { type: 'json' } })).default;
    const keys = (o: object, p = ''): string[] => Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${p}${k}.`) : [`${p}${k}`]));
    expect(keys(en).sort()).toEqual(keys(vi).sort());
  });
});

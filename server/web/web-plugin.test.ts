import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebTestServer, type WebTestServer } from '../test-support/web-test-server.js';
import { parseAllowedOrigins } from '../config/allowed-origins.js';
import { pickEncoding } from './assets.js';
import { loadWidgetStrings, widgetTransferSize } from './web-plugin.js';

const PORTAL = 'https://portal.kontum.example';
let s: WebTestServer;

beforeAll(async () => {
  s = await startWebTestServer({ allowedOrigins: [PORTAL] });
});
afterAll(async () => {
  await s?.close();
});

const get = (p: string, headers: Record<string, string> = {}) => fetch(`${s.base}${p}`, { headers });

describe('HTML pages', () => {
  it('the demo page has a strict CSP, cannot be framed, and has no inline code or style and nothing external', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "require-trusted-types-for 'script'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('permissions-policy')).toContain('camera=()');
    const html = await res.text();
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    expect(html.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/^<script src="\/widget\.js" data-province="kon-tum" data-lang="vi"/)]);
    // Every src/href is ours (relative); the only absolute URL is the copyable snippet, escaped as text.
    expect([...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('/') && !u.startsWith('#'))).toEqual([]);
    expect(html).toContain(`&lt;script src=&quot;${s.base}/widget.js&quot;`);
  });

  it('the demo page in English', async () => {
    const html = await (await get('/?lang=en')).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('data-lang="en"');
  });

  it('the widget frame may be framed only by us and the allowed portals', async () => {
    const res = await get('/widget/frame.html?lang=en&province=kon-tum');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${PORTAL}`);
    expect(res.headers.get('x-frame-options')).toBeNull();
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Public services assistant</title>');
    expect(html).toMatch(/<script src="\/widget\/app\.js\?v=[\w-]+" defer><\/script>/);
  });

  it('the widget frame says the message limit of /api/chat, so the widget does not guess it', async () => {
    const html = await (await get('/widget/frame.html')).text();
    expect(html).toContain(`<meta name="dvc-max-message" content="${s.t.config.maxMessageChars}">`);
  });
});

describe('widget files', () => {
  it('widget.js is cacheable, embeddable cross-origin, compressed as the browser asks', async () => {
    const plain = await get('/widget.js', { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(plain.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const body = Buffer.from(await plain.arrayBuffer());
    const br = await get('/widget.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toContain('accept-encoding');
    // fetch decodes transparently; compare the decoded bytes.
    expect(Buffer.from(await br.arrayBuffer()).equals(body)).toBe(true);
    const etag = plain.headers.get('etag')!;
    expect((await get('/widget.js', { 'if-none-match': etag })).status).toBe(304);
  });

  it('app.js and widget.css are immutable under their content hash', async () => {
    const html = await (await get('/widget/frame.html')).text();
    const [, appUrl] = /src="(\/widget\/app\.js\?v=[^"]+)"/.exec(html)!;
    const [, cssUrl] = /href="(\/widget\/widget\.css\?v=[^"]+)"/.exec(html)!;
    expect((await get(appUrl)).headers.get('cache-control')).toContain('immutable');
    expect((await get(cssUrl)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get('/widget/app.js?v=old')).headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('the whole widget downloads in well under 60 KB gzip', async () => {
    const size = await widgetTransferSize();
    console.log(`widget transfer size: ${size.gzipTotal} B gzip, ${size.brotliTotal} B brotli`, size.files);
    expect(size.gzipTotal).toBeLessThan(30 * 1024);
    // The served gzip body is the same size as measured.
    const raw = await fetch(`${s.base}/widget/app.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(raw.headers.get('content-encoding')).toBe('gzip');
    expect(size.files['/widget/app.js']).toBe(zlib.gzipSync(Buffer.from(await raw.arrayBuffer()), { level: 9 }).length);
  });

  it('picks brotli, then gzip, and respects q=0', () => {
    expect(pickEncoding('gzip, deflate, br')).toBe('br');
    expect(pickEncoding('gzip;q=1.0, br;q=0')).toBe('gzip');
    expect(pickEncoding('identity')).toBeNull();
    expect(pickEncoding(undefined)).toBeNull();
  });
});

describe('widget strings', () => {
  const flatten = (o: unknown, prefix = ''): string[] =>
    o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
  const localesDir = path.resolve(import.meta.dirname, '../i18n/locales');
  const raw = (lang: string) => JSON.parse(fs.readFileSync(path.join(localesDir, lang, 'widget.json'), 'utf8'));

  it('Vietnamese and English have the same keys, all strings (no arrays, for the translation packs)', () => {
    expect(flatten(raw('en')).sort()).toEqual(flatten(raw('vi')).sort());
    const leaves = (o: unknown): unknown[] => (o && typeof o === 'object' && !Array.isArray(o) ? Object.values(o).flatMap(leaves) : [o]);
    expect(leaves(raw('vi')).every((v) => typeof v === 'string' && v.length > 0)).toBe(true);
  });

  it('every key the widget code uses exists', () => {
    const dir = path.join(import.meta.dirname, 'client');
    const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const code = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const used = new Set([...code.matchAll(/\b(?:t|entries|choices)\('([a-zA-Z.]+)'/g)].map((m) => m[1]));
    expect(used.size).toBeGreaterThan(30);
    const keys = new Set(flatten(raw('vi')));
    const prefixes = new Set([...keys].flatMap((k) => k.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'))));
    expect([...used].filter((k) => !prefixes.has(k))).toEqual([]);
  });

  it('serves merged strings (Vietnamese fills gaps), without the demo page strings; 404 for a language without a pack', async () => {
    const en = (await (await get('/widget/i18n/en.json')).json()) as Record<string, any>;
    expect(en.title).toBe('Public services assistant');
    expect(en.demo).toBeUndefined();
    expect((await get('/widget/i18n/sed.json')).status).toBe(404);
    expect((await get('/widget/i18n/..%2Fvi.json')).status).toBe(404);
  });

  it('a partial pack falls back to Vietnamese key by key', () => {
    const dir = fs.mkdtempSync(path.join(s.t.dataDir, 'locales-'));
    fs.mkdirSync(path.join(dir, 'vi'));
    fs.mkdirSync(path.join(dir, 'sed'));
    fs.writeFileSync(path.join(dir, 'vi', 'widget.json'), JSON.stringify({ a: 'A', b: { c: 'C', d: 'D' } }));
    fs.writeFileSync(path.join(dir, 'sed', 'widget.json'), JSON.stringify({ b: { c: 'Cs' } }));
    expect(loadWidgetStrings(dir).get('sed')).toEqual({ a: 'A', b: { c: 'Cs', d: 'D' } });
  });
});

describe('CORS on the citizen API', () => {
  it('answers a preflight from an allowed portal', async () => {
    const res = await fetch(`${s.base}/api/chat`, {
      method: 'OPTIONS',
      headers: { origin: PORTAL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('content-type');
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('refuses other origins, preflight or not', async () => {
    const pre = await fetch(`${s.base}/api/feedback`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(403);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(`${s.base}/api/chat`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: JSON.stringify({ message: 'xin chào' }) });
    expect(post.status).toBe(403);
    expect(((await post.json()) as { error: string }).error).toBe('origin_not_allowed');
  });

  it('lets our own pages, allowed portals and non-browser clients through', async () => {
    const own = await fetch(`${s.base}/api/chat`, { method: 'POST', headers: { origin: s.base, 'content-type': 'application/json', 'x-test': '1' }, body: JSON.stringify({ message: 'xin chào' }) });
    expect(own.status).toBe(200);
    const portal = await get('/api/profile?province=kon-tum', { origin: PORTAL });
    expect(portal.status).toBe(200);
    expect(portal.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect((await get('/api/profile')).status).toBe(200);
  });

  it('does not touch other routes', async () => {
    const res = await get('/healthz', { origin: 'https://evil.example' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('parses ALLOWED_ORIGINS strictly', () => {
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(parseAllowedOrigins(' https://a.gov.vn , http://localhost:8080 ')).toEqual(['https://a.gov.vn', 'http://localhost:8080']);
    expect(() => parseAllowedOrigins('https://a.gov.vn/path')).toThrow(/ALLOWED_ORIGINS/);
    expect(() => parseAllowedOrigins('https://a.gov.vn/')).toThrow(/trailing slash/);
    expect(() => parseAllowedOrigins('*')).toThrow(/ALLOWED_ORIGINS/);
    expect(() => parseAllowedOrigins('javascript:alert(1)')).toThrow(/ALLOWED_ORIGINS/);
  });
});

describe('rate limiting', () => {
  it('never limits the widget files, only the API', async () => {
    const limited = await startWebTestServer({ env: { RATE_LIMIT_MAX: '2', RATE_LIMIT_ADDRESS_MAX: '2' } });
    try {
      const files = await Promise.all(['/widget.js', '/widget/frame.html', '/widget/i18n/vi.json', '/', '/widget.js'].map((p) => fetch(`${limited.base}${p}`)));
      expect(files.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const api = [];
      for (let i = 0; i < 3; i++) api.push((await fetch(`${limited.base}/api/profile`)).status);
      expect(api).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});

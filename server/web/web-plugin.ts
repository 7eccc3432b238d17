/**
 * The citizen web front: the embeddable widget (/widget.js and the iframe it opens), its strings,
 * and the demo portal page at "/". Everything is built and compressed in memory when the plugin
 * registers; nothing is read from disk per request and nothing is loaded from elsewhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_LOCALES_DIR } from '../i18n/i18n.js';
import type { ProvinceProfile } from '../knowledge/province-profiles.js';
import { makeAsset, pickEncoding, widgetBundle, type Asset } from './assets.js';
import { lookup, type Strings } from '../browser-kit/strings.js';
import { escapeHtml, renderDemoPage } from './demo-page.js';

export interface WebPluginOptions {
  profiles: Map<string, ProvinceProfile>;
  defaultProvince: string;
  /** Portal origins allowed to embed the widget (CSP frame-ancestors), besides our own. */
  allowedOrigins: readonly string[];
  /** The longest question /api/chat accepts (MAX_MESSAGE_CHARS): the widget's text box is limited to it. */
  maxMessageChars: number;
  localesDir?: string;
}

const SOURCE_LANG = 'vi';
const NO_RATE_LIMIT = { rateLimit: false } as const;
const LONG_CACHE = 'public, max-age=31536000, immutable';
const SHORT_CACHE = 'public, max-age=300';
const PERMISSIONS_POLICY = 'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), serial=(), hid=()';

/** The Content-Security-Policy of our HTML pages: nothing inline, nothing from elsewhere, no HTML sinks. */
export function contentSecurityPolicy(frameAncestors: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

type Plain = { [key: string]: unknown };
const isObject = (v: unknown): v is Plain => !!v && typeof v === 'object' && !Array.isArray(v);

/** Missing strings of a language fall back to Vietnamese, key by key. */
function mergeOver(base: Plain, own: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(own)) out[k] = isObject(v) && isObject(base[k]) ? mergeOver(base[k] as Plain, v) : v;
  return out;
}

export function loadWidgetStrings(localesDir: string = DEFAULT_LOCALES_DIR): Map<string, Strings> {
  const read = (lang: string): Plain | null => {
    const file = path.join(localesDir, lang, 'widget.json');
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Plain) : null;
  };
  const source = read(SOURCE_LANG);
  if (!source) throw new Error(`No ${SOURCE_LANG}/widget.json in ${localesDir}`);
  const out = new Map<string, Strings>([[SOURCE_LANG, source as Strings]]);
  for (const lang of fs.readdirSync(localesDir)) {
    if (lang === SOURCE_LANG || !/^[a-z]{2,3}$/.test(lang)) continue;
    const own = read(lang);
    if (own) out.set(lang, mergeOver(source, own) as Strings);
  }
  return out;
}

/** What the widget downloads: its strings without the demo page's (those are rendered on the server). */
function clientStrings(strings: Strings): string {
  const { demo: _demo, ...widget } = strings;
  return JSON.stringify(widget);
}

function send(req: FastifyRequest, reply: FastifyReply, asset: Asset, cacheControl: string) {
  reply.header('cache-control', cacheControl);
  reply.header('vary', 'accept-encoding');
  reply.header('etag', asset.etag);
  reply.header('x-content-type-options', 'nosniff');
  if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  const encoding = pickEncoding(req.headers['accept-encoding']);
  reply.type(asset.type);
  if (encoding) reply.header('content-encoding', encoding);
  return reply.send(encoding ? asset[encoding] : asset.body);
}

function htmlSecurityHeaders(reply: FastifyReply, frameAncestors: string): void {
  reply.header('content-security-policy', contentSecurityPolicy(frameAncestors));
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('permissions-policy', PERMISSIONS_POLICY);
  reply.header('cross-origin-resource-policy', 'cross-origin');
  if (frameAncestors === "'none'") {
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
  }
}

function frameHtml(lang: string, strings: Strings, versions: { css: string; app: string }, maxMessageChars: number): string {
  const title = lookup(strings, 'title');
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="dvc-max-message" content="${maxMessageChars}">
<title>${escapeHtml(typeof title === 'string' ? title : '')}</title>
<link rel="stylesheet" href="/widget/widget.css?v=${versions.css}">
<script src="/widget/app.js?v=${versions.app}" defer></script>
</head>
<body></body>
</html>
`;
}

/** The origin the browser used to reach us (for the demo page's copyable snippet). */
function ownOrigin(req: FastifyRequest): string {
  const host = req.headers.host ?? '';
  return /^[a-z0-9.-]+(:\d{1,5})?$/i.test(host) || /^\[[0-9a-f:]+\](:\d{1,5})?$/i.test(host) ? `${req.protocol}://${host}` : '';
}

export async function webPlugin(app: FastifyInstance, opts: WebPluginOptions): Promise<void> {
  const bundle = await widgetBundle();
  const strings = loadWidgetStrings(opts.localesDir);
  const demoProfile = opts.profiles.get(opts.defaultProvince);
  if (!demoProfile) throw new Error(`webPlugin: no profile for the default province "${opts.defaultProvince}"`);
  const frameAncestors = ["'self'", ...opts.allowedOrigins].join(' ');
  const versions = { css: bundle.css.hash, app: bundle.app.hash };
  const i18n = new Map([...strings].map(([lang, s]) => [lang, makeAsset(clientStrings(s), 'application/json; charset=utf-8')]));
  const frames = new Map([...strings].map(([lang, s]) => [lang, makeAsset(frameHtml(lang, s, versions, opts.maxMessageChars), 'text/html; charset=utf-8')]));
  const versioned = (req: FastifyRequest, asset: Asset) => ((req.query as { v?: string }).v === asset.hash ? LONG_CACHE : SHORT_CACHE);

  app.get('/widget.js', { config: NO_RATE_LIMIT }, (req, reply) => {
    reply.header('cross-origin-resource-policy', 'cross-origin');
    return send(req, reply, bundle.loader, SHORT_CACHE);
  });
  app.get('/widget/app.js', { config: NO_RATE_LIMIT }, (req, reply) => send(req, reply, bundle.app, versioned(req, bundle.app)));
  app.get('/widget/widget.css', { config: NO_RATE_LIMIT }, (req, reply) => send(req, reply, bundle.css, versioned(req, bundle.css)));
  app.get('/demo/portal.css', { config: NO_RATE_LIMIT }, (req, reply) => send(req, reply, bundle.portalCss, versioned(req, bundle.portalCss)));
  app.get('/favicon.svg', { config: NO_RATE_LIMIT }, (req, reply) => send(req, reply, bundle.favicon, SHORT_CACHE));

  app.get<{ Params: { file: string } }>('/widget/i18n/:file', { config: NO_RATE_LIMIT }, (req, reply) => {
    const m = /^([a-z]{2,3})\.json$/.exec(req.params.file);
    const asset = m ? i18n.get(m[1]) : undefined;
    if (!asset) return reply.code(404).send({ error: 'not_found', message: 'No strings for this language' });
    return send(req, reply, asset, SHORT_CACHE);
  });

  app.get<{ Querystring: { lang?: string } }>('/widget/frame.html', { config: NO_RATE_LIMIT }, (req, reply) => {
    const lang = typeof req.query.lang === 'string' && frames.has(req.query.lang) ? req.query.lang : SOURCE_LANG;
    htmlSecurityHeaders(reply, frameAncestors);
    return send(req, reply, frames.get(lang)!, 'no-cache');
  });

  app.get<{ Querystring: { lang?: string } }>('/', { config: NO_RATE_LIMIT }, (req, reply) => {
    const lang = req.query.lang === 'en' && strings.has('en') ? 'en' : SOURCE_LANG;
    const html = renderDemoPage({
      strings: strings.get(lang)!,
      lang,
      otherLang: lang === 'en' ? SOURCE_LANG : 'en',
      profile: demoProfile,
      origin: ownOrigin(req),
      assetVersion: { css: bundle.portalCss.hash },
    });
    htmlSecurityHeaders(reply, "'none'");
    return send(req, reply, makeAsset(html, 'text/html; charset=utf-8'), 'no-cache');
  });
}

export interface TransferSize {
  /** Gzip bytes per file a browser downloads to show the widget (Vietnamese strings). */
  files: Record<string, number>;
  gzipTotal: number;
  brotliTotal: number;
}

/** What the widget costs to download, gzip and brotli: the loader, the iframe page, its script, styles and strings. */
export async function widgetTransferSize(localesDir?: string, maxMessageChars = 1000): Promise<TransferSize> {
  const bundle = await widgetBundle();
  const strings = loadWidgetStrings(localesDir).get(SOURCE_LANG)!;
  const assets: Record<string, Asset> = {
    '/widget.js': bundle.loader,
    '/widget/frame.html': makeAsset(frameHtml(SOURCE_LANG, strings, { css: bundle.css.hash, app: bundle.app.hash }, maxMessageChars), 'text/html'),
    '/widget/app.js': bundle.app,
    '/widget/widget.css': bundle.css,
    '/widget/i18n/vi.json': makeAsset(clientStrings(strings), 'application/json'),
  };
  const files = Object.fromEntries(Object.entries(assets).map(([name, a]) => [name, a.gzip.length]));
  return {
    files,
    gzipTotal: Object.values(assets).reduce((n, a) => n + a.gzip.length, 0),
    brotliTotal: Object.values(assets).reduce((n, a) => n + a.br.length, 0),
  };
}

/** Gzip bytes of everything the widget downloads (for the lead to print at start-up or in the benchmark). */
export async function widgetGzipSize(localesDir?: string): Promise<number> {
  return (await widgetTransferSize(localesDir)).gzipTotal;
}

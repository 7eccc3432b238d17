/**
 * The widget's files, built once in memory: the TypeScript under client/ bundled and minified by
 * esbuild, the CSS minified, each compressed ahead of time with gzip and brotli.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { build, transform } from 'esbuild';
import { projectPath } from '../project-root.js';

export const CLIENT_DIR = projectPath('server', 'web', 'client');
export const STATIC_DIR = projectPath('server', 'web', 'static');

/** Browsers the widget supports, old phones included (Android WebView 79+, iOS/Safari 14.5+). Regexes avoid look-behind, which Safari lacks before 16.4. */
export const BROWSER_TARGETS = ['es2019', 'chrome79', 'firefox78', 'safari14.1', 'ios14.5'];

export interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
  /** Short content hash, used as ?v= in URLs for long caching. */
  hash: string;
}

export function makeAsset(body: Buffer | string, type: string): Asset {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const hash = crypto.createHash('sha256').update(buf).digest('base64url').slice(0, 16);
  return {
    type,
    body: buf,
    gzip: zlib.gzipSync(buf, { level: 9 }),
    br: zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }),
    etag: `"${hash}"`,
    hash,
  };
}

export interface WidgetBundle {
  loader: Asset;
  app: Asset;
  css: Asset;
  portalCss: Asset;
  favicon: Asset;
}

const JS = 'application/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

async function buildBundle(): Promise<WidgetBundle> {
  const result = await build({
    entryPoints: { app: path.join(CLIENT_DIR, 'app.ts'), loader: path.join(CLIENT_DIR, 'loader.ts') },
    bundle: true,
    minify: true,
    format: 'iife',
    target: BROWSER_TARGETS,
    write: false,
    outdir: 'widget-out',
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const out = (name: string) => {
    const file = result.outputFiles.find((f) => path.basename(f.path) === name);
    if (!file) throw new Error(`esbuild produced no ${name}`);
    return Buffer.from(file.contents);
  };
  const css = async (file: string) =>
    (await transform(fs.readFileSync(path.join(STATIC_DIR, file), 'utf8'), { loader: 'css', minify: true, target: BROWSER_TARGETS, logLevel: 'silent' })).code;
  return {
    loader: makeAsset(out('loader.js'), JS),
    app: makeAsset(out('app.js'), JS),
    css: makeAsset(await css('widget.css'), CSS),
    portalCss: makeAsset(await css('portal.css'), CSS),
    favicon: makeAsset(fs.readFileSync(path.join(STATIC_DIR, 'favicon.svg')), 'image/svg+xml'),
  };
}

let bundle: Promise<WidgetBundle> | null = null;

/** Builds once per process; later calls share the result. */
export function widgetBundle(): Promise<WidgetBundle> {
  bundle ??= buildBundle().catch((err) => {
    bundle = null;
    throw err;
  });
  return bundle;
}

/** The encoding to send, from Accept-Encoding (brotli first, then gzip; q=0 means no). */
export function pickEncoding(header: string | string[] | undefined): 'br' | 'gzip' | null {
  const accepted = new Set<string>();
  for (const part of String(header ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    if (q && Number(q[1]) === 0) continue;
    accepted.add(name.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return null;
}

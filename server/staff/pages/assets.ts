/** Client files of the staff console: bundled once with esbuild at start-up, served from memory under content-hashed names. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { projectPath } from '../../project-root.js';

const CLIENT_DIR = projectPath('server', 'staff', 'pages', 'client');

/** One entry per page (each imports ./common.ts; shared code and Chart.js land in split chunks). */
export const ENTRIES = ['login', 'lookup', 'doc', 'review', 'conversation', 'gaps', 'dashboard', 'users', 'audit', 'translations', 'translation-review', 'service', 'inbox', 'shell'] as const;

export interface Asset {
  body: string;
  type: string;
}

export interface StaffAssets {
  /** file name (as in the URL, hashed) → content */
  files: Map<string, Asset>;
  /** logical name ("lookup.js", "staff.css", "i18n-vi.js") → URL */
  url(name: string): string;
}

const hash = (text: string) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 10);

async function bundle(): Promise<{ files: Map<string, Asset>; names: Map<string, string> }> {
  const result = await build({
    absWorkingDir: CLIENT_DIR,
    entryPoints: Object.fromEntries(ENTRIES.map((e) => [e, path.join(CLIENT_DIR, `${e}.ts`)])),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    write: false,
    outdir: path.join(CLIENT_DIR, 'out'),
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    metafile: true,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const files = new Map<string, Asset>();
  const names = new Map<string, string>();
  for (const f of result.outputFiles) files.set(path.basename(f.path), { body: f.text, type: 'text/javascript; charset=utf-8' });
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    if (meta.entryPoint) names.set(`${path.basename(meta.entryPoint, '.ts')}.js`, path.basename(out));
  }
  return { files, names };
}

let bundled: ReturnType<typeof bundle> | null = null;

/** Builds (once per process) the scripts, and adds the stylesheet and per-language string files. */
export async function loadAssets(strings: Record<string, unknown>): Promise<StaffAssets> {
  bundled ??= bundle();
  let js: Awaited<ReturnType<typeof bundle>>;
  try {
    js = await bundled;
  } catch (err) {
    bundled = null;
    throw err;
  }
  const files = new Map(js.files);
  const names = new Map(js.names);
  const add = (logical: string, body: string, type: string) => {
    const dot = logical.lastIndexOf('.');
    const file = `${logical.slice(0, dot)}-${hash(body)}${logical.slice(dot)}`;
    files.set(file, { body, type });
    names.set(logical, file);
  };
  add('staff.css', fs.readFileSync(path.join(CLIENT_DIR, 'staff.css'), 'utf8'), 'text/css; charset=utf-8');
  for (const [lang, table] of Object.entries(strings)) {
    // A classic script defining the UI strings; loaded before the page module (no inline script needed).
    add(`i18n-${lang}.js`, `window.__DVC_STAFF_I18N__=${JSON.stringify({ lang, strings: table })};\n`, 'text/javascript; charset=utf-8');
  }
  return {
    files,
    url(name: string) {
      const file = names.get(name);
      if (!file) throw new Error(`No staff asset ${name}`);
      return `/staff/assets/${file}`;
    },
  };
}

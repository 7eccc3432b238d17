import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../server/project-root.js';

/**
 * Compiles the server and channel code to plain JavaScript in `dist/` (one file per module, same
 * layout) so `npm start` runs without a TypeScript loader: less memory and start-up work per
 * server process (measured in docs/benchmarks.md). Tests and the command-line scripts keep
 * running the TypeScript sources. Browser code (`client/` folders) is bundled by the server
 * itself and is not compiled here, except the staff pages' server-rendered views (`*.view.ts`). The new tree replaces the old one in two renames, so a
 * server process that restarts during a build never sees a half-written folder.
 */
const SOURCE_DIRS = ['server', 'channels'];
const SKIP = /(\.test\.ts$|\.d\.ts$|[\\/](client|testing|test-support)[\\/])/;
/** Server-rendered page views live next to their client scripts (client/<page>.view.ts) and are compiled. */
const SERVER_VIEW = /[\\/]client[\\/][^\\/]+\.view\.ts$/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && (!SKIP.test(p) || SERVER_VIEW.test(p)) ? [p] : [];
  });
}

/** `--out DIR` (inside the project, which the compiled code finds by walking up) is for tests. */
function outDir(args: string[]): string {
  const i = args.indexOf('--out');
  if (i === -1) return path.join(PROJECT_ROOT, 'dist');
  const dir = path.resolve(args[i + 1] ?? '');
  if (!args[i + 1] || path.relative(PROJECT_ROOT, dir).startsWith('..')) throw new Error('--out needs a folder inside the project');
  return dir;
}

async function main(): Promise<void> {
  const started = performance.now();
  const entryPoints = SOURCE_DIRS.flatMap((d) => sources(path.join(PROJECT_ROOT, d)));
  const out = outDir(process.argv.slice(2));
  const next = `${out}.next`;
  const old = `${out}.old`;
  fs.rmSync(next, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: next,
    outbase: PROJECT_ROOT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(out)) fs.renameSync(out, old);
  fs.renameSync(next, out);
  fs.rmSync(old, { recursive: true, force: true });
  console.log(`compiled ${entryPoints.length} modules to ${path.relative(PROJECT_ROOT, out)}/ in ${(performance.now() - started).toFixed(0)} ms`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

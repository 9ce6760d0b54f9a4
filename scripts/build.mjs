/**
 * `npm run build`: the bot (src/main.ts), its spreadsheet worker and the admin CLI bundled by esbuild into
 * dist/main.js, dist/content/spreadsheet-worker.js and dist/admin.js, with their dependencies but native addons and
 * what loads lazily. One file loads in a fraction of the time node takes to resolve, read and compile some 600 modules
 * one by one. `npm start` runs dist/; `npm run chat` and `npm run admin` run src/ under tsx (what a developer just
 * edited); the tests start dist/main.js as `npm start` does, and dist/admin.js for the admin CLI (the same source:
 * a test run starts it some forty times, at a second of CPU less each).
 *
 * `node scripts/build.mjs --if-stale` (the prestart step) builds only when a file under src/ is newer than the last
 * build, or dist/ is missing: a start with nothing changed pays one directory walk (a few ms), not a compile.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');
const dist = join(root, 'dist');
const stamp = join(dist, '.built');

const sources = readdirSync(src, { recursive: true }).filter((f) => f.endsWith('.ts')).map((f) => join(src, f));

/**
 * In one bundle every module's import.meta.url is dist/main.js. Each file that finds things relative to itself
 * (../locales, ../../drizzle, ./spreadsheet-worker.js) gets the URL its own file would have in dist/ instead.
 */
const keepFileUrls = {
  name: 'keep-file-urls',
  setup(b) {
    b.onLoad({ filter: /\/src\/.*\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const own = './' + relative(src, args.path).replace(/\.ts$/, '.js');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

function stale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  // a deleted or renamed file changes its folder's mtime
  const folders = readdirSync(src, { recursive: true, withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(d.parentPath ?? d.path, d.name));
  return [src, ...folders, ...sources].some((f) => statSync(f).mtimeMs > built);
}

if (!process.argv.includes('--if-stale') || stale()) {
  const t0 = performance.now();
  // loaded only to build: importing esbuild alone costs more than the staleness check
  const { build } = await import('esbuild');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  await build({
    // the bot, the spreadsheet worker it starts, and the admin CLI (for the tests: npm run admin runs src/ under tsx)
    // (each bundle at dist/'s top, where keep-file-urls puts every module's own URL: the CLI as dist/admin.js)
    entryPoints: [join(src, 'main.ts'), join(src, 'content/spreadsheet-worker.ts'), { in: join(src, 'cli/admin.ts'), out: 'admin' }, { in: join(src, 'app/stats/report-worker.ts'), out: 'report-worker' }],
    outbase: src,
    outdir: dist,
    bundle: true,
    // native addons, and what is loaded lazily by path at run time (charts, the CJK font, workbooks people send)
    external: ['better-sqlite3', '@resvg/resvg-js', 'exceljs', '@embedpdf/fonts-sc', 'tsx'],
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // CommonJS dependencies bundled into an ES module still call require() for node's own modules
    banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
    plugins: [keepFileUrls],
    logLevel: 'warning',
  });
  writeFileSync(stamp, new Date().toISOString() + '\n');
  console.error(`built dist/ from src/ (${sources.length} files) in ${Math.round(performance.now() - t0)} ms`);
}

/**
 * vitest globalSetup: src/ transpiled once per test run, file by file, with the esbuild transform tsx applies at every
 * start (no bundling, same layout, same imports), into node_modules/.cache. The bot and the admin CLI that the tests
 * start (some 60 times a run) then load as plain JavaScript: about 1.5 s of CPU less per start on this machine, where
 * tsx's loader thread made every one of them cost 3 s. `npm start` runs the same transform's output from dist/
 * (scripts/build.mjs, its prestart step), which this setup brings up to date too; test/e2e/foundation.e2e.test.ts
 * and chat.e2e.test.ts start the package.json commands themselves.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { transform } from 'esbuild';
import { PREBUILT_ENV } from './node-script.js';

export default async function setup(): Promise<() => void> {
  const root = process.cwd();
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  // inside the project, so node_modules resolve as they do from src/; one folder per run, so runs do not collide
  const out = mkdtempSync(join(root, 'node_modules/.cache/bangfu-test-'));
  const files = (readdirSync(join(root, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  await Promise.all(
    files.map(async (f) => {
      const source = readFileSync(join(root, 'src', f), 'utf8');
      const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: join('src', f) });
      mkdirSync(dirname(join(out, 'src', f)), { recursive: true });
      writeFileSync(join(out, 'src', f.replace(/\.ts$/, '.js')), code);
    }),
  );
  // the spreadsheet worker is started from its .ts file through tsx's require hook: keep the sources beside
  cpSync(join(root, 'src'), join(out, 'src'), { recursive: true });
  // what src/ finds relative to itself: migrations, translations, and "type": "module"
  for (const name of ['drizzle', 'locales', 'package.json']) symlinkSync(join(root, name), join(out, name));
  process.env[PREBUILT_ENV] = relative(root, out);
  // tests that start `npm start`'s own command (node dist/main.js) find dist/ as npm's prestart would leave it
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'inherit' });
  return () => rmSync(out, { recursive: true, force: true });
}

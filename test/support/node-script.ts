/**
 * The package.json scripts the tests run (`start`, `admin`, `chat`), started with this node directly instead of
 * through npm: npm costs a second or more per start on 2 busy cores and sits between the test and the process's
 * signals. The command is read from package.json, so a test runs what `npm start` runs; `scriptArgs` runs the same
 * entry from the run's transpiled copy of src/ when there is one (see prebuilt.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Script = 'start' | 'admin' | 'chat';

/** Where prebuilt.ts (vitest's globalSetup) put this run's transpiled copy of src/, relative to the project. */
export const PREBUILT_ENV = 'BANGFU_TEST_PREBUILT';

const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Node's arguments for `npm run <name>` exactly as package.json has it, e.g. `['--import', 'tsx', 'src/main.ts']`. */
export function packageScriptArgs(name: Script, ...extra: string[]): string[] {
  const [command, ...args] = scripts[name].trim().split(/\s+/);
  if (command !== 'node') throw new Error(`"npm run ${name}" is no longer a node command (${scripts[name]}): teach test/support/node-script.ts`);
  return [...args, ...extra];
}

/** The same entry and arguments, from the transpiled copy of src/ when this test run made one. */
export function scriptArgs(name: Script, ...extra: string[]): string[] {
  const args = packageScriptArgs(name, ...extra);
  const prebuilt = process.env[PREBUILT_ENV];
  if (!prebuilt) return args;
  // `npm start` runs the build's dist/ (the same files, transpiled the same way, as this run's copy of src/)
  const built = args.findIndex((a) => /^dist\/.*\.js$/.test(a));
  if (built === 0) return [join(prebuilt, 'src', args[0].slice('dist/'.length)), ...args.slice(1)];
  const entry = args.findIndex((a) => /^src\/.*\.ts$/.test(a));
  if (entry < 0 || args[entry - 1] !== 'tsx' || args[entry - 2] !== '--import') return args;
  return [join(prebuilt, args[entry].replace(/\.ts$/, '.js')), ...args.slice(entry + 1)];
}

/** `npm run admin -- <args>` as node's arguments. */
export const adminArgs = (...args: string[]): string[] => scriptArgs('admin', ...args);

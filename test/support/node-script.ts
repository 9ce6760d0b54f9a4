/**
 * The package.json scripts the tests run (`start`, `admin`, `chat`), started with this node directly instead of
 * through npm: npm costs a second or more per start on 2 busy cores and sits between the test and the process's
 * signals. The command is read from package.json, so a test runs what `npm start` runs (dist/main.js, which the
 * global setup builds as the prestart step would). The admin CLI, under tsx in package.json, is started from its
 * bundle beside it (dist/admin.js, the same source): a run starts it some forty times, at a second of CPU less each.
 */
import { readFileSync } from 'node:fs';

type Script = 'start' | 'admin' | 'chat';

const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Node's arguments for `npm run <name>` exactly as package.json has it, e.g. `['--import', 'tsx', 'src/main.ts']`. */
export function packageScriptArgs(name: Script, ...extra: string[]): string[] {
  const [command, ...args] = scripts[name].trim().split(/\s+/);
  if (command !== 'node') throw new Error(`"npm run ${name}" is no longer a node command (${scripts[name]}): teach test/support/node-script.ts`);
  return [...args, ...extra];
}

/** The arguments a test starts a script with: package.json's, but the admin CLI from its bundle. */
export function scriptArgs(name: Script, ...extra: string[]): string[] {
  const args = packageScriptArgs(name, ...extra);
  if (name !== 'admin') return args;
  const entry = args.indexOf('src/cli/admin.ts');
  if (entry < 0) throw new Error(`"npm run admin" no longer runs src/cli/admin.ts (${scripts.admin}): teach test/support/node-script.ts`);
  return ['dist/admin.js', ...args.slice(entry + 1)];
}

/** `npm run admin -- <args>` as node's arguments. */
export const adminArgs = (...args: string[]): string[] => scriptArgs('admin', ...args);

/**
 * The package.json scripts the tests run (`start`, `admin`, `chat`), started with this node directly instead of
 * through npm: npm costs a second or more per start on 2 busy cores and sits between the test and the process's
 * signals. The command is read from package.json, so a test still runs exactly what `npm start` runs.
 */
import { readFileSync } from 'node:fs';

const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Node's arguments for `npm run <name>`, e.g. `['--import', 'tsx', 'src/main.ts']`. */
export function scriptArgs(name: 'start' | 'admin' | 'chat', ...extra: string[]): string[] {
  const [command, ...args] = scripts[name].trim().split(/\s+/);
  if (command !== 'node') throw new Error(`"npm run ${name}" is no longer a node command (${scripts[name]}): teach test/support/node-script.ts`);
  return [...args, ...extra];
}

/** `npm run admin -- <args>` as node's arguments. */
export const adminArgs = (...args: string[]): string[] => scriptArgs('admin', ...args);

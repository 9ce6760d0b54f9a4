/**
 * vitest globalSetup: the product's build brought up to date (`scripts/build.mjs --if-stale`, what `npm start`'s
 * prestart step runs), once per run. The bot and the admin CLI the tests start (some 60 times a run) then load one
 * bundled file each (dist/main.js, dist/admin.js) instead of resolving and compiling some 250 modules: about a second
 * of CPU less per start on this machine (see node-script.ts).
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: process.cwd(), stdio: 'inherit' });
}

/**
 * A worker thread on a module that lies beside its caller. Compiled (dist/, where the caller's URL ends in .js) the
 * entry is the built JavaScript file; under tsx (chat, admin CLI, tests in-process) it is the TypeScript source, which
 * Node 20 cannot load in a worker by itself (the --import loader hooks do not carry over), so a small CommonJS
 * bootstrap registers tsx's require hook and loads it.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const requireHere = createRequire(import.meta.url);

/** `entry`: paths relative to the caller's own file (`import.meta.url`), as TypeScript source and as built. */
export function startModuleWorker(callerUrl: string, entry: { ts: string; js: string }, options: WorkerOptions): Worker {
  if (callerUrl.endsWith('.js')) return new Worker(new URL(entry.js, callerUrl), options);
  const bootstrap = `require(${JSON.stringify(requireHere.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(
    fileURLToPath(new URL(entry.ts, callerUrl)),
  )});`;
  return new Worker(bootstrap, { ...options, eval: true });
}

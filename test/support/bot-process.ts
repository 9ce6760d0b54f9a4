/**
 * Runs the real bot process as `npm start` does (its entry read from package.json: dist/main.js, started with node
 * directly) against the fake Bot API server, in its own process group so a test can SIGTERM it (clean stop) or
 * SIGKILL it (crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { packageScriptArgs } from './node-script.js';

export interface BotProcess {
  proc: ChildProcess;
  logs: string[];
  /** The first log line matching; rejects after the timeout, or as soon as the process has ended without it. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves once the bot has handled update `id` (every reply sent): its "update handled" debug line. */
  handled(id: number, timeoutMs?: number): Promise<void>;
  /** SIGTERM to the bot, as a service manager sends it; resolves with the exit code */
  terminate(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL to the whole process group: the crash case */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

export function startBotProcess(env: Record<string, string>): BotProcess {
  const proc = spawn(process.execPath, packageScriptArgs('start'), {
    cwd: process.cwd(),
    // debug: the "update handled" lines tests wait for
    env: { ...process.env, LOG_LEVEL: 'debug', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const listeners = new Set<() => void>();
  let closed = false;
  const partial = { stdout: '', stderr: '' };
  const onData = (from: 'stdout' | 'stderr') => (chunk: Buffer) => {
    // a chunk may end inside a line: keep the rest until its newline arrives
    const lines = (partial[from] + chunk.toString('utf8')).split('\n');
    partial[from] = lines.pop()!;
    for (const line of lines) if (line.trim()) logs.push(line);
    for (const l of listeners) l();
  };
  proc.stdout!.on('data', onData('stdout'));
  proc.stderr!.on('data', onData('stderr'));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  // 'close' comes after the last output: nothing more can be logged
  proc.on('close', () => {
    for (const from of ['stdout', 'stderr'] as const) if (partial[from].trim()) logs.push(partial[from]);
    closed = true;
    for (const l of listeners) l();
  });
  const waitForLog = (pattern: RegExp, timeoutMs = 20_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const done = () => {
        listeners.delete(check);
        clearTimeout(timer);
      };
      const check = () => {
        const hit = logs.find((l) => pattern.test(l));
        if (hit) {
          done();
          resolve(hit);
        } else if (closed) {
          done();
          reject(new Error(`the bot ended (exit ${proc.exitCode ?? proc.signalCode}) without a log line ${pattern}:\n${logs.slice(-20).join('\n')}`));
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no log line ${pattern} within ${timeoutMs} ms:\n${logs.slice(-20).join('\n')}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  return {
    proc,
    logs,
    exited,
    waitForLog,
    async handled(id, timeoutMs = 15_000) {
      await waitForLog(new RegExp(`"updateId":${id}[,}].*"msg":"update handled"`), timeoutMs);
    },
    async terminate(timeoutMs = 15_000) {
      process.kill(proc.pid!, 'SIGTERM');
      const timer = setTimeout(() => process.kill(-proc.pid!, 'SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await exited;
    },
  };
}

/** Polls until fn returns a truthy value. */
export async function eventually<T>(fn: () => T | undefined | false, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

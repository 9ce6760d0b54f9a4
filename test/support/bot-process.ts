/**
 * Runs the real bot as `npm start` does (its command read from package.json, started with node directly) against
 * the fake Bot API server, in its own process group so a test can SIGTERM it (clean stop) or SIGKILL it (crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { scriptArgs } from './node-script.js';

export interface BotProcess {
  proc: ChildProcess;
  logs: string[];
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM to the bot, as a service manager sends it; resolves with the exit code */
  terminate(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL to the whole process group: the crash case */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

export function startBotProcess(env: Record<string, string>): BotProcess {
  const proc = spawn(process.execPath, scriptArgs('start'), {
    cwd: process.cwd(),
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(line);
    for (const l of listeners) l();
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    proc,
    logs,
    exited,
    waitForLog(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = logs.find((l) => pattern.test(l));
          if (hit) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(hit);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no log line ${pattern} within ${timeoutMs} ms:\n${logs.slice(-20).join('\n')}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
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

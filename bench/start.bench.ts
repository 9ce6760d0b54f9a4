/**
 * start_to_polling_ms: `npm start`'s command (node on the compiled dist/, built first by the prestart step when src/
 * changed) from spawn to its first getUpdates at the fake Bot API, on an existing database (migrations already
 * applied, as on every start but the first). Median of five starts; the first start (creates and migrates the
 * database) is printed beside it, and so is the same start under tsx on src/, as it was before the build step.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import type { BenchModule, BenchTarget } from './types.js';

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Spawn → first getUpdates, then SIGTERM and wait for the exit. */
async function timeToPolling(api: FakeBotApi, args: string[], env: Record<string, string>): Promise<number> {
  let polled: (() => void) | undefined;
  const first = new Promise<void>((resolve) => (polled = resolve));
  api.pollFault = () => {
    polled?.();
    return undefined;
  };
  const t0 = performance.now();
  const proc = spawn(process.execPath, args, { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await Promise.race([first, exited.then(() => Promise.reject(new Error(`the bot exited before polling (${args.join(' ')})`)))]);
  const ms = performance.now() - t0;
  proc.kill('SIGTERM');
  await exited;
  api.pollFault = () => undefined;
  return ms;
}

export const bench: BenchModule = {
  title: 'start to polling: `npm start` (compiled dist/) to the first getUpdates',
  async run(): Promise<BenchTarget[]> {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
    const t0 = performance.now();
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
    const prestartMs = performance.now() - t0;
    const api = new FakeBotApi();
    await api.start();
    const dir = mkdtempSync(path.join(tmpdir(), 'start-bench-'));
    try {
      const env = { BOT_TOKEN: '123:bench', BOT_API_ROOT: api.apiRoot, DATABASE_PATH: path.join(dir, 'bot.sqlite') };
      const [command, ...args] = scripts.start.split(/\s+/);
      if (command !== 'node') throw new Error(`npm start is no longer a node command: ${scripts.start}`);
      const firstMs = await timeToPolling(api, args, env);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push(await timeToPolling(api, args, env));
      const tsxMs = await timeToPolling(api, ['--import', 'tsx', 'src/main.ts'], env);
      const ms = median(times);
      console.log(`start to first getUpdates     ${ms.toFixed(0)} ms median of 5 (${times.map((t) => t.toFixed(0)).join(', ')}); first start (new database) ${firstMs.toFixed(0)} ms`);
      console.log(`prestart with nothing to build ${prestartMs.toFixed(0)} ms; the same start under tsx on src/ (before the build step): ${tsxMs.toFixed(0)} ms`);
      return [{ name: 'start_to_polling_ms', measured: ms, limit: 1000, unit: 'ms' }];
    } finally {
      await api.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

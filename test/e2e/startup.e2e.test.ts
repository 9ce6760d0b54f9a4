/**
 * Issue 10 (and its sibling): `npm start` problems are one clear line, Chinese and English, and exit 1 — never a
 * stack: a wrong token, an unreachable Bot API, a bad content folder, a database path that cannot be created, a
 * corrupt or truncated database, a second process on the same database; and a 409 while polling ends the process
 * cleanly with a line that says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { startBotProcess } from '../support/bot-process.js';
import { openDb } from '../../src/db/client.js';
import { scriptArgs } from '../support/node-script.js';

const TOKEN = '123456:TEST-token';
const dir = mkdtempSync(join(tmpdir(), 'startup-'));
const api = new FakeBotApi();

beforeAll(() => api.start());
afterAll(() => api.stop());

/** Runs `npm start` to its end; returns status, stderr, and how long it took. */
async function start(env: Record<string, string>, timeoutMs = 60_000): Promise<{ status: number | null; stderr: string; ms: number }> {
  const t0 = Date.now();
  const proc = spawn(process.execPath, scriptArgs('start'), {
    env: { ...process.env, BOT_TOKEN: TOKEN, BOT_API_ROOT: api.apiRoot, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  proc.stdout.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => process.kill(-proc.pid!, 'SIGKILL'), timeoutMs);
  const status = await new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  clearTimeout(timer);
  return { status, stderr, ms: Date.now() - t0 };
}

/** One line (possibly one per problem), naming `what`, no stack frames. */
function expectOneClearLine(out: string, what: RegExp): void {
  const lines = out.trim().split('\n').filter(Boolean);
  expect(lines, out).toHaveLength(1);
  expect(lines[0]).toMatch(what);
  expect(lines[0]).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]/); // Chinese, then English
  expect(out).not.toMatch(/^\s+at /m);
}

describe('start-up problems: one line, exit 1', () => {
  it('a wrong token (401 from getMe)', async () => {
    api.fault = (m) => (m === 'getMe' ? { kind: 'status', status: 401 } : undefined);
    const r = await start({ DATABASE_PATH: join(dir, 'a.sqlite') });
    api.fault = () => undefined;
    expect(r.status).toBe(1);
    expectOneClearLine(r.stderr, /BOT_TOKEN.*401/);
  });

  it('an unreachable Bot API: gives up after the bounded time, naming BOT_API_ROOT', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => void sockets.push(s)); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const root = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const r = await start({ DATABASE_PATH: join(dir, 'b.sqlite'), BOT_API_ROOT: root, STARTUP_TIMEOUT_SECONDS: '3' });
    for (const s of sockets) s.destroy();
    silent.close();
    expect(r.status).toBe(1);
    expectOneClearLine(r.stderr, new RegExp(`BOT_API_ROOT.*${root.replace(/[.:/]/g, '\\$&')}|${root.replace(/[.:/]/g, '\\$&')}.*BOT_API_ROOT`));
    expect(r.ms).toBeLessThan(20_000);
  });

  it('a content folder that does not exist', async () => {
    const r = await start({ DATABASE_PATH: join(dir, 'c.sqlite'), CONTENT_DIR: join(dir, 'no-such-content') });
    expect(r.status).toBe(1);
    expectOneClearLine(r.stderr, /CONTENT_DIR/);
  });

  it('a database path that cannot be created (its folder is a file)', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = await start({ DATABASE_PATH: join(file, 'db.sqlite') });
    expect(r.status).toBe(1);
    expectOneClearLine(r.stderr, /DATABASE_PATH/);
  });

  it('a corrupt and a truncated database', async () => {
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'not a database, just text. '.repeat(200));
    const r1 = await start({ DATABASE_PATH: junk });
    expect(r1.status).toBe(1);
    expectOneClearLine(r1.stderr, /DATABASE_PATH.*(损坏|corrupt)/);

    const good = join(dir, 'good.sqlite');
    const db = openDb(good);
    const insert = db.$client.prepare("INSERT INTO audit_log (at, action, detail) VALUES (1, 'x', ?)");
    for (let i = 0; i < 2000; i++) insert.run('y'.repeat(500));
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    db.$client.close();
    const cut = join(dir, 'cut.sqlite');
    copyFileSync(good, cut);
    copyFileSync(`${good}.secret`, `${cut}.secret`);
    truncateSync(cut, Math.floor(statSync(good).size / 3));
    const r2 = await start({ DATABASE_PATH: cut });
    expect(r2.status).toBe(1);
    expectOneClearLine(r2.stderr, /DATABASE_PATH.*(损坏|corrupt)/);
  });

  it('a second process on the same database is refused while the first keeps running', async () => {
    const path = join(dir, 'one.sqlite');
    const first = startBotProcess({ BOT_TOKEN: TOKEN, BOT_API_ROOT: api.apiRoot, DATABASE_PATH: path });
    try {
      await first.waitForLog(/bot started/, 30_000);
      const second = await start({ DATABASE_PATH: path });
      expect(second.status).toBe(1);
      expectOneClearLine(second.stderr, /DATABASE_PATH.*(另一个|another)/);
      expect(first.proc.exitCode).toBeNull();
      expect(await first.terminate()).toBe(0);
    } finally {
      if (first.proc.exitCode === null) await first.kill();
    }
    // once the first has stopped, the database is free again (no stale lock after any kind of exit)
    const again = startBotProcess({ BOT_TOKEN: TOKEN, BOT_API_ROOT: api.apiRoot, DATABASE_PATH: path });
    try {
      await again.waitForLog(/bot started/, 30_000);
      await again.kill(); // SIGKILL: the operating system drops the lock
      const third = startBotProcess({ BOT_TOKEN: TOKEN, BOT_API_ROOT: api.apiRoot, DATABASE_PATH: path });
      await third.waitForLog(/bot started/, 30_000);
      await third.terminate();
    } finally {
      if (again.proc.exitCode === null) await again.kill();
    }
  }, 120_000);

  it('409 Conflict while polling: a clear line and a clean exit', async () => {
    const path = join(dir, 'conflict.sqlite');
    const bot = startBotProcess({ BOT_TOKEN: TOKEN, BOT_API_ROOT: api.apiRoot, DATABASE_PATH: path });
    try {
      await bot.waitForLog(/bot started/, 30_000);
      api.pollFault = () => ({ kind: 'status', status: 409 });
      const code = await bot.exited;
      expect(code).toBe(1);
      const out = bot.logs.join('\n');
      expect(out).toMatch(/409.*BOT_TOKEN|BOT_TOKEN.*409/);
      expect(bot.logs.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
      expect(out).not.toMatch(/^\s+at /m);
      expect(out).not.toContain('Unhandled');
    } finally {
      api.pollFault = () => undefined;
      if (bot.proc.exitCode === null) await bot.kill();
    }
  }, 60_000);

  it('the migrations folder missing is a value, not a stack (as npm start prints it)', async () => {
    const { openDatabase } = await import('../../src/db/client.js');
    const { openProblemLine } = await import('../../src/startup.js');
    const r = openDatabase(join(dir, 'm.sqlite'), { migrationsFolder: join(dir, 'no-drizzle') });
    expect(r.ok === false && r.problem).toBe('migrations_missing');
    if (!r.ok) expectOneClearLine(openProblemLine(r.problem, 'x', r.detail), /drizzle/);
  });
});

/**
 * `npm run chat` as a newcomer uses it: started, an invite redeemed, quit; started again on the same database,
 * where every line must still get its answer (the second session once had its updates dropped as redeliveries);
 * and two chats at once on one database, whose updates once shared ids (the later one with an id was dropped), and
 * where a quiz the trainer pushes in one reaches the helper active in the other.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageScriptArgs } from '../support/node-script.js';

/**
 * Runs the terminal chat; `script` gets what was printed so far and returns the next line to type (undefined: wait
 * for more output). Resolves with everything printed once the chat exits.
 */
function chat(dbPath: string, script: (out: string) => string[] | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, packageScriptArgs('chat'), {
      env: { ...process.env, CHAT_DATABASE_PATH: dbPath, LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let sent = false;
    const onData = (b: Buffer) => {
      out += b.toString('utf8');
      if (sent) return;
      const lines = script(out);
      if (lines) {
        sent = true;
        proc.stdin.end(lines.join('\n') + '\n');
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`chat did not finish:\n${out}`));
    }, 60_000);
    proc.on('exit', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/** A terminal chat kept running: lines typed as the test goes, output waited for. */
function liveChat(dbPath: string) {
  const proc = spawn(process.execPath, packageScriptArgs('chat'), {
    env: { ...process.env, CHAT_DATABASE_PATH: dbPath, LOG_LEVEL: 'silent' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (b: Buffer) => {
    out += b.toString('utf8');
    for (const w of waiters.splice(0)) w();
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  return {
    out: () => out,
    type: (...lines: string[]) => void proc.stdin.write(lines.join('\n') + '\n'),
    async waitFor(re: RegExp, from = 0): Promise<void> {
      const deadline = Date.now() + 60_000;
      while (!re.test(out.slice(from))) {
        if (Date.now() > deadline) throw new Error(`no ${re} in:\n${out}`);
        await Promise.race([new Promise<void>((r) => waiters.push(r)), new Promise((r) => setTimeout(r, 500))]);
      }
    },
    async quit(): Promise<void> {
      proc.stdin.end(':quit\n');
      await exited;
    },
  };
}

/** The invite code the chat printed for demo person 1 (each start makes fresh codes for whoever has not signed in). */
const codeOf = (out: string, n = 1) => new RegExp(`${n}\\.\\s+\\S+\\s+\\S+\\s+邀请码 / invite: (\\w+)`).exec(out)?.[1];

describe('npm run chat', () => {
  it('answers in a second session on the same database', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'bangfu-chat-')), 'demo.sqlite');
    const signedIn = await chat(db, (out) => {
      const code = codeOf(out);
      return code && out.includes(':quit') ? [':as 1', `/start ${code}`, ':quit'] : undefined;
    });
    expect(signedIn).toContain('绑定成功');
    const again = await chat(db, (out) => (out.includes(':quit') ? [':as 1', '/households', ':quit'] : undefined));
    expect(again).toContain('已绑定 / signed in');
    expect(again).toMatch(/H0001/);
  });

  it('two chats at once on one database: every line of each gets its answer', { timeout: 90_000 }, async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'bangfu-chat-')), 'demo.sqlite');
    const a = liveChat(db);
    await a.waitFor(/:quit/);
    a.type(':as 1', `/start ${codeOf(a.out())}`);
    await a.waitFor(/绑定成功/);
    a.type('/help');
    await a.waitFor(/入户走访/);
    // the second chat starts after the first handled two updates: both once went on from the same last id
    const b = liveChat(db);
    try {
      await b.waitFor(/:quit/);
      b.type(':as 1', '/households', '/help');
      await b.waitFor(/H0001[\s\S]*入户走访/);
      let mark = a.out().length;
      a.type('/households');
      await a.waitFor(/H0001/, mark);

      // the trainer pushes a quiz in chat b; the helper, active in chat a, gets it there and starts it with its button
      mark = a.out().length;
      const steps: [string, RegExp][] = [
        [`/start ${codeOf(b.out(), 4)}`, /欢迎您，赵培训/], ['/push', /新建推送/], ['#1', /从哪里出题/], ['#2', /请选择级别/],
        ['#4', /出几道题/], ['#1', /推送给谁/], ['#3', /截止时间/], ['#1', /请确认/], ['#1', /已排队/],
      ];
      b.type(':as 4');
      for (const [line, answer] of steps) {
        const from = b.out().length;
        b.type(line);
        await b.waitFor(answer, from);
      }
      await a.waitFor(/新的测验：共 5 题/, mark);
      a.type('#1');
      await a.waitFor(/第 1 题（共 5 题）/, mark);
    } finally {
      await Promise.all([a.quit(), b.quit()]);
    }
  });
});

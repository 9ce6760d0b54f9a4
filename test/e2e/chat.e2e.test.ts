/**
 * `npm run chat` as a newcomer uses it: started, an invite redeemed, quit; started again on the same database,
 * where every line must still get its answer (the second session once had its updates dropped as redeliveries).
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs the terminal chat with the given input lines and returns everything it printed. */
function chat(dbPath: string, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/chat.ts'], {
      env: { ...process.env, CHAT_DATABASE_PATH: dbPath, LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    proc.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`chat did not finish:\n${out}`));
    }, 60_000);
    proc.on('exit', () => {
      clearTimeout(timer);
      resolve(out);
    });
    proc.stdin.end(lines.join('\n') + '\n');
  });
}

describe('npm run chat', () => {
  it('answers in a second session on the same database', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'bangfu-chat-')), 'demo.sqlite');
    const first = await chat(db, [':quit']);
    const code = /1\.\s+helper\s+\S+\s+邀请码 \/ invite: (\w+)/.exec(first)?.[1];
    expect(code, first).toBeTruthy();
    const signedIn = await chat(db, [':as 1', `/start ${code}`, ':quit']);
    expect(signedIn).toContain('绑定成功');
    const again = await chat(db, [':as 1', '/households', ':quit']);
    expect(again).toContain('已绑定 / signed in');
    expect(again).toMatch(/H0001/);
  });
});

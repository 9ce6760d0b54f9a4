import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { eventually, startBotProcess, type BotProcess } from '../support/bot-process.js';
import type { User } from 'grammy/types';
import { packageScriptArgs } from '../support/node-script.js';

const TOKEN = '123456:TEST-token';
const dir = mkdtempSync(join(tmpdir(), 'e2e-'));
const env = { BOT_TOKEN: TOKEN, DATABASE_PATH: join(dir, 'bot.sqlite') };
const api = new FakeBotApi();
let bot: BotProcess;
let invites: string[][];

beforeAll(async () => {
  await api.start();
  // the admin CLI as an operator runs it, on a database no bot has opened yet
  const out = execFileSync(process.execPath, packageScriptArgs('admin', 'seed-demo'), {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  invites = out.trim().split('\n').map((l) => l.split('\t'));
  // npm start's own command (dist/main.js)
  bot = startBotProcess({ ...env, BOT_API_ROOT: api.apiRoot });
  await bot.waitForLog(/bot started/, 30_000);
}, 60_000);

afterAll(async () => {
  if (bot.proc.exitCode === null) await bot.kill();
  await api.stop();
});

describe('the real bot process', () => {
  it('starts, sets the command menu and reports its start-up time', async () => {
    const line = await bot.waitForLog(/bot started/);
    const ms = JSON.parse(line).ms as number;
    expect(ms).toBeGreaterThan(0);
    console.log(`start-up (config → db → content → getMe → polling): ${ms} ms`);
    const cmds = api.tg.calls.filter((c) => c.method === 'setMyCommands');
    expect(cmds.length).toBeGreaterThanOrEqual(3);
  });

  it('a person redeems an invite and sees their menu; a stranger is refused', async () => {
    const [role, name, code] = invites[0];
    expect(role).toBe('helper');
    const helper: User = { id: 7001, is_bot: false, first_name: 'H', language_code: 'zh-hans' };
    api.tg.push(api.tg.textUpdate(helper, `/start ${code}`));
    const menu = await eventually(() => api.tg.messagesTo(7001).find((m) => m.text?.startsWith('主菜单')), 15_000, 'menu');
    expect(api.tg.messagesTo(7001)[0].text).toBe(`绑定成功。欢迎您，${name}！`);
    expect(JSON.stringify(menu.replyMarkup)).toContain('m:households');

    api.tg.push(api.tg.callbackUpdate(helper, menu, 'm:households'));
    const list = await eventually(() => api.tg.messagesTo(7001).find((m) => m.text?.includes('H0001')), 15_000, 'households');
    expect(list.text).toContain('入户 0 次（本年目标 6 次）');

    const stranger: User = { id: 7002, is_bot: false, first_name: 'S' };
    api.tg.push(api.tg.textUpdate(stranger, '/households'));
    const refusal = await eventually(() => api.tg.messagesTo(7002)[0], 15_000, 'refusal');
    expect(refusal.text).toContain('邀请码');
  });

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    const code = await bot.terminate();
    expect(code).toBe(0);
    expect(bot.logs.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });

  it('refuses to start without BOT_TOKEN, naming the variable and npm run chat; and names each bad variable', () => {
    const run = (extra: Record<string, string>) =>
      spawnSync(process.execPath, packageScriptArgs('start'), {
        env: { ...process.env, BOT_TOKEN: '', DATABASE_PATH: join(dir, 'never.sqlite'), ...extra },
        encoding: 'utf8',
      });
    const missing = run({});
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('BOT_TOKEN');
    expect(missing.stderr).toContain('npm run chat');
    const bad = run({ BOT_TOKEN: TOKEN, DEFAULT_LOCALE: 'fr', PORT: 'abc' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.split('\n').filter((l) => l.includes('config error'))).toEqual([
      expect.stringContaining('DEFAULT_LOCALE'),
      expect.stringContaining('PORT'),
    ]);
  });
});


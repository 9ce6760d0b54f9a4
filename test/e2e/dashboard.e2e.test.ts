/**
 * The real `npm start` process in polling mode with PORT set: one HTTP server beside long polling serves /healthz,
 * /metrics (counting the updates the bot handled and Telegram's 429s) and the dashboard, where a supervisor signs in
 * with the link the bot sent and sees the page; SIGTERM still stops the process cleanly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { User } from 'grammy/types';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { eventually, startBotProcess, type BotProcess } from '../support/bot-process.js';
import { seedDemoDatabase } from '../support/seed-demo.js';

const dir = mkdtempSync(join(tmpdir(), 'dashboard-e2e-'));
const api = new FakeBotApi();
let port = 0;
let bot: BotProcess;
let invites: string[][];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const p = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return p;
}

beforeAll(async () => {
  await api.start();
  port = await freePort();
  const env = { BOT_TOKEN: '123456:TEST-token', BOT_API_ROOT: api.apiRoot, DATABASE_PATH: join(dir, 'bot.sqlite'), PORT: String(port) };
  invites = seedDemoDatabase(env);
  bot = startBotProcess(env);
  await bot.waitForLog(/bot started/, 30_000);
}, 90_000);

afterAll(async () => {
  if (bot.proc.exitCode === null) await bot.kill();
  await api.stop();
});

describe('polling mode with PORT: one HTTP server in the bot\'s process', () => {
  it('/healthz and /metrics follow the updates handled; /web signs a supervisor in; SIGTERM exits 0', async () => {
    const base = `http://127.0.0.1:${port}`;
    const before = await (await fetch(`${base}/healthz`)).json();
    expect(before).toMatchObject({ ok: true, database: 'ok', lastUpdateAt: null, updateQueue: 0 });
    const [, , code] = invites.find((l) => l[1] === '吴主任')!;
    const sup: User = { id: 7301, is_bot: false, first_name: 'W', language_code: 'zh-hans' };
    api.tg.push(api.tg.textUpdate(sup, `/start ${code}`));
    await eventually(() => api.tg.messagesTo(7301).find((m) => m.text?.startsWith('主菜单')), 15_000, 'menu');
    // a 429 Telegram answers is counted (auto-retry then succeeds)
    let faulted = false;
    api.fault = (method) => {
      if (method !== 'sendMessage' || faulted) return undefined;
      faulted = true;
      return { kind: 'status', status: 429, retryAfter: 1 };
    };
    api.tg.push(api.tg.textUpdate(sup, '/web'));
    const link = await eventually(() => api.tg.messagesTo(7301).map((m) => /http:\/\/localhost:\d+(\/web\/in\/[A-Za-z0-9_-]{43})/.exec(m.text ?? '')).find(Boolean), 15_000, 'link');
    const health = await (await fetch(`${base}/healthz`)).json();
    expect(health.lastUpdateAt).not.toBeNull();
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(Number(/^bangfu_updates_handled_total (\d+)$/m.exec(metrics)![1])).toBeGreaterThanOrEqual(2);
    expect(metrics).toMatch(/^bangfu_telegram_429_total 1$/m);
    const signIn = await fetch(`${base}/web/in`, { method: 'POST', body: new URLSearchParams({ token: link![1].split('/web/in/')[1] }), redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const page = await fetch(`${base}/web/stats`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('城关镇');
    // the figures came from the report worker (dist/report-worker.js), not from the fallback on the bot's thread,
    // and so do the chat's: /stats in the chat is the second page the worker computes
    await bot.waitForLog(/stats report computed in its worker/, 5_000);
    api.tg.push(api.tg.textUpdate(sup, '/stats'));
    await eventually(() => api.tg.messagesTo(7301).find((m) => m.text?.includes('完成情况')), 15_000, 'the chat\'s /stats');
    expect(bot.logs.filter((l) => /stats report computed in its worker/.test(l))).toHaveLength(2);
    expect(bot.logs.join('\n')).not.toMatch(/report worker (failed|could not start)|report failed in its worker/);
    expect(await bot.terminate()).toBe(0);
  });
});

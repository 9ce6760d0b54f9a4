/**
 * Issue 10, webhook mode, against the real `npm start` process: it refuses to start without WEBHOOK_SECRET; a POST
 * without the secret (a forged update that asks for the district's figures on the supervisor's behalf) is refused;
 * only the configured path is served; every update is acknowledged at once and handled in order per chat, once; a
 * handler held up longer than Telegram's 10 s (a slow API, a 429's retry_after) neither blocks other chats nor kills
 * the process; an update acknowledged just before a crash is handled after the restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Update, User } from 'grammy/types';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { eventually, startBotProcess, type BotProcess } from '../support/bot-process.js';
import { scriptArgs } from '../support/node-script.js';
import { seedDemoDatabase } from '../support/seed-demo.js';

const TOKEN = '123456:TEST-token';
const SECRET = 'webhook-secret-0123456789abcdef';
const PATH = '/tg/hook-7f3a9c';
const dir = mkdtempSync(join(tmpdir(), 'webhook-'));
const api = new FakeBotApi();
let port = 0;
let env: Record<string, string>;
let bot: BotProcess;
let invites: string[][];
let nextId = 1000;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const p = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return p;
}

function textUpdate(from: User, text: string, chatId = from.id): Update {
  const u = api.tg.textUpdate(from, text) as Update;
  (u.message as { chat: { id: number } }).chat.id = chatId;
  return { ...u, update_id: nextId++ };
}

async function post(update: unknown, opts: { secret?: string | null; path?: string; method?: string } = {}): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.secret !== null) headers['x-telegram-bot-api-secret-token'] = opts.secret ?? SECRET;
  const res = await fetch(`http://127.0.0.1:${port}${opts.path ?? PATH}`, {
    method: opts.method ?? 'POST',
    headers,
    body: opts.method === 'GET' ? undefined : JSON.stringify(update),
  });
  await res.text();
  return { status: res.status, ms: performance.now() - t0 };
}

const helper: User = { id: 7101, is_bot: false, first_name: 'H', language_code: 'zh-hans' };
const other: User = { id: 7102, is_bot: false, first_name: 'O', language_code: 'zh-hans' };
const supervisor: User = { id: 7103, is_bot: false, first_name: 'S', language_code: 'zh-hans' };
const ATTACKER_CHAT = 6666;

beforeAll(async () => {
  await api.start();
  port = await freePort();
  env = {
    BOT_TOKEN: TOKEN,
    BOT_API_ROOT: api.apiRoot,
    DATABASE_PATH: join(dir, 'bot.sqlite'),
    BOT_MODE: 'webhook',
    WEBHOOK_URL: `https://bot.example.org${PATH}`,
    WEBHOOK_SECRET: SECRET,
    PORT: String(port),
  };
  invites = seedDemoDatabase(env);
  bot = startBotProcess(env);
  await bot.waitForLog(/bot started/, 30_000);
}, 90_000);

afterAll(async () => {
  if (bot.proc.exitCode === null) await bot.kill();
  await api.stop();
});

describe('webhook mode', () => {
  it('refuses to start without WEBHOOK_SECRET, in one line naming it', () => {
    const r = spawnSync(process.execPath, scriptArgs('start'), { env: { ...process.env, ...env, WEBHOOK_SECRET: '', DATABASE_PATH: join(dir, 'x.sqlite') }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('WEBHOOK_SECRET');
  });

  it('set the webhook with its secret', () => {
    const set = api.tg.calls.find((c) => c.method === 'setWebhook');
    expect(set?.params).toMatchObject({ url: env.WEBHOOK_URL, secret_token: SECRET });
  });

  it('binds people through genuine updates, acknowledged at once', async () => {
    const [, , helperCode] = invites.find((l) => l[0] === 'helper')!;
    const [, , supCode] = invites.find((l) => l[0] === 'supervisor+admin')!;
    const a = await post(textUpdate(helper, `/start ${helperCode}`));
    const b = await post(textUpdate(supervisor, `/start ${supCode}`));
    expect([a.status, b.status]).toEqual([200, 200]);
    await eventually(() => api.tg.messagesTo(helper.id).find((m) => m.text?.startsWith('主菜单')), 15_000, 'helper menu');
    await eventually(() => api.tg.messagesTo(supervisor.id).find((m) => m.text?.startsWith('主菜单')), 15_000, 'supervisor menu');
  });

  it('a forged update (no secret, a wrong secret) is refused: nothing reaches the attacker’s chat', async () => {
    const forged = textUpdate(supervisor, '/stats', ATTACKER_CHAT);
    expect((await post(forged, { secret: null })).status).toBe(401);
    expect((await post({ ...forged, update_id: nextId++ }, { secret: 'guess-guess-guess-guess' })).status).toBe(401);
    await bot.waitForLog(/without the right secret/);
    // a genuine update posted after them is handled; had a forged one been taken, it would have been handled first
    const genuine = textUpdate(supervisor, '/help');
    expect((await post(genuine)).status).toBe(200);
    await bot.handled(genuine.update_id);
    expect(api.tg.messagesTo(ATTACKER_CHAT)).toEqual([]);
  });

  it('serves only the configured path (and /healthz)', async () => {
    expect((await post(textUpdate(helper, '/help'), { path: '/' })).status).toBe(404);
    expect((await post(textUpdate(helper, '/help'), { path: `${PATH}/x` })).status).toBe(404);
    expect((await post(undefined, { method: 'GET' })).status).toBe(404);
    expect((await post(undefined, { method: 'GET', path: '/healthz' })).status).toBe(200);
    expect((await post({ not: 'an update' })).status).toBe(400);
  });

  it('answers in order per chat and once per update, even when Telegram sends it twice', async () => {
    const before = api.tg.messagesTo(helper.id).length;
    const households = textUpdate(helper, '/households');
    await post(households);
    await post(households); // Telegram's retry of the same update
    const help = textUpdate(helper, '/help');
    await post(help);
    // one chat's updates are handled in the order they came, so once the help is handled, so is any second households
    await bot.handled(help.update_id);
    const replies = api.tg.messagesTo(helper.id).slice(before);
    // the households list once (the resent update is not handled again), and before the help that came after it
    expect(replies.filter((m) => m.text?.includes('H0001'))).toHaveLength(1);
    expect(replies[0].text).toContain('H0001');
    expect(replies.length).toBeGreaterThan(1);
    expect(replies.slice(1).every((m) => !m.text?.includes('H0001'))).toBe(true);
  });

  it('a handler held up past 10 s: acknowledged at once, other chats answered meanwhile, the process survives', async () => {
    const [, , code] = invites.find((l) => l[0] === 'trainer')!;
    await post(textUpdate(other, `/start ${code}`));
    await eventually(() => api.tg.messagesTo(other.id).find((m) => m.text?.startsWith('主菜单')), 15_000, 'other menu');
    // sendMessage to the helper answers 429 with retry_after 12, then normally
    let held = 0;
    api.fault = (m, p) => (m === 'sendMessage' && Number(p.chat_id) === helper.id && held++ === 0 ? { kind: 'status', status: 429, retryAfter: 12 } : undefined);
    const before = api.tg.messagesTo(helper.id).length;
    const slowUpdate = textUpdate(helper, '/help');
    const slow = await post(slowUpdate);
    expect(slow.status).toBe(200);
    // acknowledged long before the 12 s its handler is held (how fast exactly is measured by npm run bench)
    expect(slow.ms).toBeLessThan(5000);
    const t0 = Date.now();
    const quickUpdate = textUpdate(other, '/help');
    const quick = await post(quickUpdate);
    expect(quick.ms).toBeLessThan(5000);
    await bot.handled(quickUpdate.update_id, 10_000);
    expect(Date.now() - t0).toBeLessThan(10_000);
    // answered meanwhile: the helper's reply is still held
    expect(api.tg.messagesTo(helper.id).length).toBe(before);
    await bot.handled(slowUpdate.update_id, 30_000);
    expect(api.tg.messagesTo(helper.id).length).toBeGreaterThan(before);
    expect(Date.now() - t0).toBeGreaterThan(10_000);
    api.fault = () => undefined;
    expect(bot.proc.exitCode).toBeNull();
    expect(bot.logs.join('\n')).not.toMatch(/timed out|TimeoutError|uncaught/i);
  }, 60_000);

  it('an update acknowledged just before a crash is handled after the restart', async () => {
    let held = false;
    api.fault = (m) => (m === 'sendMessage' ? ((held = true), { kind: 'delay', ms: 60_000 }) : undefined);
    const before = api.tg.messagesTo(helper.id).length;
    expect((await post(textUpdate(helper, '/households'))).status).toBe(200);
    // the reply is on its way (held by "Telegram"): the update is in hand when the process dies
    await eventually(() => held, 15_000, 'the reply held');
    await bot.kill();
    api.fault = () => undefined;
    bot = startBotProcess(env);
    await bot.waitForLog(/bot started/, 30_000);
    const reply = await eventually(() => api.tg.messagesTo(helper.id).slice(before).find((m) => m.text?.includes('H0001')), 20_000, 'replayed update');
    expect(reply).toBeDefined();
    expect(await bot.terminate()).toBe(0);
  }, 90_000);
});

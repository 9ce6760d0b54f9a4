/**
 * Telegram misbehaving, through the real process: 429 with retry_after, 500s, dropped connections, a slow
 * answer, and an update delivered twice. No reply is lost, nothing is recorded twice, and a second chat is
 * served while the first one's replies are being retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Update, User } from 'grammy/types';
import { FakeBotApi, type Fault } from '../support/fake-bot-api.js';
import { buttons } from '../support/harness.js';
import { eventually, startBotProcess, type BotProcess } from '../support/bot-process.js';
import { openDb, type Db } from '../../src/db/client.js';
import { cardDrafts, processedUpdates } from '../../src/db/schema.js';
import { seedDemoDatabase } from '../support/seed-demo.js';

const dir = mkdtempSync(join(tmpdir(), 'e2e-faults-'));
const env = { BOT_TOKEN: '123456:TEST-faults', DATABASE_PATH: join(dir, 'bot.sqlite') };
const api = new FakeBotApi();
const a: User = { id: 9201, is_bot: false, first_name: 'A', language_code: 'zh-hans' };
const b: User = { id: 9202, is_bot: false, first_name: 'B', language_code: 'zh-hans' };
let bot: BotProcess;
let db: Db;
let invites: string[][];

beforeAll(async () => {
  await api.start();
  invites = seedDemoDatabase(env);
  bot = startBotProcess({ ...env, BOT_API_ROOT: api.apiRoot });
  await bot.waitForLog(/bot started/, 30_000);
  db = openDb(env.DATABASE_PATH);
}, 60_000);

afterAll(async () => {
  if (bot.proc.exitCode === null) await bot.kill();
  db?.$client.close();
  await api.stop();
});

const inbox = (u: User) => api.tg.messagesTo(u.id);
const textsTo = (u: User) => inbox(u).map((m) => m.text ?? '');

describe('Telegram faults', () => {
  it('retries 429, 500, dropped and slow calls without losing a reply, and keeps serving another chat', async () => {
    api.tg.push(api.tg.textUpdate(a, `/start ${invites[0][2]}`));
    api.tg.push(api.tg.textUpdate(b, `/start ${invites[1][2]}`));
    await eventually(() => textsTo(a).some((t) => t.startsWith('主菜单')) && textsTo(b).some((t) => t.startsWith('主菜单')), 15_000, 'both menus');

    // every sendMessage to chat A fails once in one of four ways before it goes through
    const faults: Fault[] = [{ kind: 'status', status: 429, retryAfter: 1 }, { kind: 'status', status: 500 }, { kind: 'drop' }, { kind: 'delay', ms: 2500 }];
    const injected: string[] = [];
    let attemptsForA = 0;
    let pendingForA = false;
    // the first sendMessage to A after each of A's commands fails once
    api.fault = (method, params) => {
      if (method !== 'sendMessage' || Number(params.chat_id) !== a.id || !pendingForA) return undefined;
      pendingForA = false;
      const f = faults[attemptsForA++ % faults.length];
      injected.push(f.kind === 'status' ? String(f.status) : f.kind);
      return f;
    };

    const started = Date.now();
    for (const cmd of ['/households', '/help', '/visit', '/households']) {
      pendingForA = true;
      const fromA = api.tg.push(api.tg.textUpdate(a, cmd));
      // while A's reply is being retried, B is answered
      const fromB = api.tg.push(api.tg.textUpdate(b, '/households'));
      await bot.handled(fromB.update_id, 10_000);
      await bot.handled(fromA.update_id, 30_000);
    }
    expect(injected).toEqual(['429', '500', 'drop', 'delay']);
    expect(textsTo(a).filter((t) => t.startsWith('我的帮扶户（')).length).toBe(2);
    expect(textsTo(a).filter((t) => t.startsWith('主菜单')).length).toBe(2); // after /start and after /help, once each
    expect(textsTo(a).some((t) => t.startsWith('选择要走访的户'))).toBe(true);
    console.log(`faults: ${injected.join(', ')} retried; all replies arrived in ${Date.now() - started} ms`);
  }, 90_000);

  it('handles an update delivered twice only once', async () => {
    api.fault = () => undefined;
    const pick = inbox(a).filter((m) => buttons(m).some((x) => x.text.includes('H0001'))).at(-1)!;
    api.tg.push(api.tg.callbackUpdate(a, pick, buttons(pick).find((x) => x.text.includes('H0001'))!.callback_data!));
    await eventually(() => inbox(a).some((m) => buttons(m).some((x) => x.text.includes('开始填写'))), 10_000, 'briefing');
    const briefing = inbox(a).filter((m) => buttons(m).some((x) => x.text.includes('开始填写'))).at(-1)!;
    api.tg.push(api.tg.callbackUpdate(a, briefing, buttons(briefing).find((x) => x.text.includes('开始填写'))!.callback_data!));
    await eventually(() => textsTo(a).some((t) => t.includes('❓ 走访日期')), 10_000, 'first question');

    const answer = api.tg.push(api.tg.textUpdate(a, '2017-11-10')) as Update;
    await eventually(() => textsTo(a).some((t) => t.includes('❓ 走访方式')), 10_000, 'second question');
    const stepAfterOnce = db.select().from(cardDrafts).get()!.step;
    const sentAfterOnce = inbox(a).length;
    api.tg.replay(answer);
    // handled a second time, as a redelivery: skipped
    await bot.waitForLog(new RegExp(`"updateId":${answer.update_id}[,}].*"msg":"duplicate update skipped"`));
    const handledLines = new RegExp(`"updateId":${answer.update_id}[,}].*"msg":"update handled"`);
    await eventually(() => bot.logs.filter((l) => handledLines.test(l)).length === 2, 10_000, 'the redelivery handled');
    expect(db.select().from(cardDrafts).get()!.step).toBe(stepAfterOnce);
    expect(inbox(a).length).toBe(sentAfterOnce);
    expect(db.select().from(processedUpdates).all().some((u) => u.updateId === answer.update_id)).toBe(true);
  }, 60_000);
});

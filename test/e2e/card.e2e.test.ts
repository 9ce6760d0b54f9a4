/**
 * Golden scenario through the real process: a helper fills a whole card with mistakes along the way, the bot is
 * killed with SIGKILL mid-card and restarted, /resume continues at the same question, and the stored card holds
 * exactly the answers given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Update, User } from 'grammy/types';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { DEMO_IDS, TODAY_CARD, currentField, keyOf, perform, pickAction, type DriverIO, TYPED_FIRST_CARD, withoutRegistry } from '../support/card-driver.js';
import { engineContextFor } from '../../src/app/card-context.js';
import { openDb, type Db } from '../../src/db/client.js';
import { loadContent } from '../../src/content/index.js';
import { findPeople } from '../../src/db/people-repo.js';
import { householdsOfHelper } from '../../src/db/household-repo.js';
import { localDate } from '../../src/core/time.js';
import { cards, cardDrafts } from '../../src/db/schema.js';
import { verifyChains } from '../../src/db/cards-repo.js';
import type { SentMessage } from '../support/local-telegram.js';
import { seedDemoDatabase } from '../support/seed-demo.js';

const dir = mkdtempSync(join(tmpdir(), 'e2e-card-'));
const env = { BOT_TOKEN: '123456:TEST-token', DATABASE_PATH: join(dir, 'bot.sqlite') };
const api = new FakeBotApi();
const helper: User = { id: 8001, is_bot: false, first_name: 'W', language_code: 'zh-hans' };
let bot: BotProcess;
let db: Db;
let invite: string;

function start(): Promise<string> {
  bot = startBotProcess({ ...env, BOT_API_ROOT: api.apiRoot });
  return bot.waitForLog(/bot started/, 30_000);
}

beforeAll(async () => {
  await api.start();
  invite = seedDemoDatabase(env)[0][2];
  await start();
  db = openDb(env.DATABASE_PATH);
  // a card typed in full (no registry record for the household), so every field the test tries is asked
  withoutRegistry(db);
}, 60_000);

afterAll(async () => {
  if (bot.proc.exitCode === null) await bot.kill();
  db?.$client.close();
  await api.stop();
});

const inbox = () => api.tg.messagesTo(helper.id);

/** Sends an update and waits until the bot has handled it (every reply sent); returns what it sent meanwhile. */
async function roundTrip(push: () => Update): Promise<SentMessage[]> {
  const before = inbox().length;
  const update = push();
  await bot.handled(update.update_id).catch((e: Error) => {
    throw new Error(`${e.message}; last messages: ${inbox().slice(-3).map((m) => m.text).join(' | ')}`);
  });
  return inbox().slice(before);
}

const io: DriverIO = {
  send: async (text) => void (await roundTrip(() => api.tg.push(api.tg.textUpdate(helper, text)))),
  press: async (label) => {
    const msg = [...inbox()].reverse().find((m) => JSON.stringify(m.replyMarkup ?? '').includes(String(label)));
    if (!msg) throw new Error(`no button ${String(label)}`);
    const b = (msg.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat().find((x) => x.text.includes(String(label)))!;
    await roundTrip(() => api.tg.push(api.tg.callbackUpdate(helper, msg, b.callback_data)));
  },
  location: async (lat, lon) => void (await roundTrip(() => api.tg.push(api.tg.locationUpdate(helper, lat, lon)))),
  photo: async () => void (await roundTrip(() => api.tg.push(api.tg.photoUpdate(helper)))),
};

describe('a whole card through the real process, with a crash in the middle', () => {
  it('survives SIGKILL mid-card and stores exactly the answers given', async () => {
    await io.send(`/start ${invite}`);
    await io.send('/visit');
    await io.press('H0001');
    await io.press('开始填写');

    const content = loadContent('content');
    if (!content.ok) throw new Error('content');
    // the real process runs on today's date: today's card (content/rule-periods.yaml), each draft read with its own form
    const form = content.content.forms;
    const helperId = findPeople(db, '王小明')[0].id;
    const household = householdsOfHelper(db, helperId)[0];
    const ectx = () => engineContextFor({ db, content: content.content, config: { timezone: 'Asia/Shanghai' } as never, now: Date.now }, household, helperId);
    const bad: Record<string, string[]> = {
      visit_date: ['text:2099-01-01'],
      duration_min: ['text:abc'],
      members: ['text:张秀兰 配偶 410523196807150021'],
      wage: ['text:-3'],
    };
    // the real process runs on today's date, so today's rules (the transition's card): visit today, next visit and
    // deadlines a month ahead
    const today = localDate(Date.now(), 'Asia/Shanghai');
    const ahead = localDate(Date.now() + 30 * 86_400_000, 'Asia/Shanghai');
    const script = { ...TODAY_CARD, living_facts: TYPED_FIRST_CARD.living_facts, visit_date: `text:${today}`, next_visit_date: `text:${ahead}`, 'measures.due_date': `text:${ahead}` };
    const seen = new Map<string, number>();
    let killedAt: string | undefined;
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      const p = currentField(db, helperId, form, ectx());
      if (p === null) break;
      if (!p) throw new Error('no draft');
      const key = keyOf(p);
      for (const b of bad[key] ?? []) {
        const replies = await roundTrip(() => api.tg.push(api.tg.textUpdate(helper, b.slice(5))));
        expect(replies[0].text).toMatch(/^⚠️/);
        expect(currentField(db, helperId, form, ectx())?.path).toBe(p.path);
        refused++;
      }
      delete bad[key];
      if (i === 40 && !killedAt) {
        // crash: every answer acknowledged so far must survive; /resume must ask this same question
        killedAt = p.path;
        await bot.kill();
        await start();
        const replies = await roundTrip(() => api.tg.push(api.tg.textUpdate(helper, '/resume')));
        expect(replies.at(-1)?.text).toContain(p.label.zh);
        expect(currentField(db, helperId, form, ectx())?.path).toBe(killedAt);
      }
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      await perform(io, pickAction(script, key, n)!);
    }
    expect(killedAt).toBeDefined();
    expect(refused).toBe(4);
    if (inbox().at(-1)?.text?.includes('⚠️')) await io.press('提醒项已核实');
    await io.press('提交这张卡');
    expect(inbox().some((m) => m.text?.includes('已提交 李大山 家的动态信息卡'))).toBe(true);

    const stored = db.select().from(cards).all();
    expect(stored).toHaveLength(1);
    const a = JSON.parse(stored[0].answers);
    expect(a).toMatchObject({ visit_date: today, duration_min: 75, wage: 16000, head_id: DEMO_IDS.head, next_visit_date: ahead });
    expect(a.members).toHaveLength(3);
    expect(a.members[0]).toMatchObject({ name: '李大山', relation: '户主', birth_date: '1965-03-02', health: '长期慢性病' });
    // today's card: the policy under its 2021 name, the household as monitored
    expect(a.policies).toEqual([expect.objectContaining({ policy_type: '健康帮扶', amount_yuan: 800, start_date: '2026-01-01' })]);
    expect(a).toMatchObject({ household_type: '脱贫户', monitored: true, monitoring_kind: '脱贫不稳定户' });
    expect(stored[0].formId).toBe('dynamic_card_2021');
    expect(db.select().from(cardDrafts).all().map((d) => d.status)).toEqual(['submitted']);
    expect(verifyChains(db)).toMatchObject({ ok: true, revisions: 1 });
  }, 120_000);
});

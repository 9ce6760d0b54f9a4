/**
 * The card through the real bot handler, per answer: handleUpdate → load draft row → engine → commit → reply
 * (to an in-process Bot API), at steps 1, 50 and 100 of a 100-field form, side by side with a bare grammY handler
 * that does one insert and one reply. Also the durability cost: the same card step with synchronous=FULL vs NORMAL.
 *
 * "FULL" is the durability of `npm start`: the bot's connection commits at NORMAL and its replies wait for the WAL's
 * sync on a thread of its own (src/db/durable.ts); the bare handler, on a database of its own, has SQLite sync inside
 * each commit. The card with SQLite's own FULL is printed beside them. Both databases are in a running bot's steady
 * state (the WAL wrapped once), and the sync of each untimed write before an answer is waited for before timing.
 *
 * Before each timed answer the draft is put just before step n, untimed, as the previous answer leaves it: written
 * through the repository by this process (which keeps the parsed state). The same answer after a draft last written
 * elsewhere (another process, a restart: its state parsed again) is printed beside it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { BenchModule, BenchTarget } from './types.js';
import { syntheticForm, draftBefore } from './forms.bench.js';
import { engineContext as engineCtx } from '../test/support/engine-context.js';
import type { CardState } from '../src/core/forms/index.js';
import { openDb, type Db } from '../src/db/client.js';
import { deferSyncs, makeDurable, stopSyncs } from '../src/db/durable.js';
import { createBot } from '../src/bot/create-bot.js';
import { createTranslator } from '../src/i18n.js';
import { createLogger } from '../src/logger.js';
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/index.js';
import { BOT_USER, LocalTelegram } from '../src/cli/local-telegram.js';
import { seedDemo } from '../src/cli/admin-commands.js';
import { redeemInvite } from '../src/db/invite-repo.js';
import { createDraft, draftById, saveDraftState } from '../src/db/cards-repo.js';
import { setFocus } from '../src/db/focus-repo.js';
import { findPeople } from '../src/db/people-repo.js';
import { householdsOfHelper } from '../src/db/household-repo.js';
import { cardDrafts } from '../src/db/schema.js';
import { eq } from 'drizzle-orm';

const ITER = 300;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const TG_USER = { id: 4242, is_bot: false, first_name: 'bench', language_code: 'zh-hans' };

/** `inCommit`: at FULL, SQLite syncs inside each commit (as before the bot synced before its replies). */
export function setup(sync: 'FULL' | 'NORMAL', inCommit = false) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-card-'));
  const cfg = loadConfig({ DATABASE_PATH: join(dir, 'db.sqlite'), LOG_LEVEL: 'silent' });
  if (!cfg.ok) throw new Error('config');
  const content = loadContent('content');
  if (!content.ok) throw new Error('content');
  const form = syntheticForm();
  const db = openDb(cfg.config.databasePath, { synchronous: sync });
  const i18n = createTranslator('zh-CN');
  const lines: string[] = [];
  seedDemo({ config: cfg.config, db, t: i18n.forLocale('zh-CN'), out: () => undefined, now: Date.parse('2017-11-03T02:00:00Z') }, (l) => lines.push(l), () => undefined);
  redeemInvite(db, lines[0].split('\t')[2], TG_USER.id, Date.parse('2017-11-03T02:00:00Z'));
  steadyWal(db);
  // as `npm start` opens it: at FULL the WAL is synced before each reply, not inside each commit
  if (sync === 'FULL' && !inCommit) deferSyncs(db, cfg.config.databasePath);
  const tg = new LocalTelegram();
  const deps = {
    config: cfg.config,
    db,
    i18n,
    log: createLogger('silent'),
    content: { ...content.content, settings: engineCtx.settings, forms: new Map([[form.id, form]]) },
    now: () => Date.parse('2017-11-03T02:00:00Z'),
  };
  const bot = createBot(deps, { botInfo: BOT_USER as never, fetch: tg.fetch as never, throttle: false });
  const helperId = findPeople(db, '王小明')[0].id;
  const household = householdsOfHelper(db, helperId)[0];
  const draftId = createDraft(db, { householdId: household.id, helperId, formId: form.id, formVersion: form.version, state: JSON.parse(draftBefore(form, 1)) as CardState }, 0).id;
  setFocus(db, helperId, draftId, 0);
  return { db, bot, tg, form, draftId, path: cfg.config.databasePath };
}

let updateId = 1;
function answerUpdate(tg: LocalTelegram, fieldIndex: number, draftId: number, step: number): Update {
  const kind = fieldIndex % 4;
  if (kind === 2) {
    const msg = { chatId: TG_USER.id, messageId: 1, method: 'sendMessage', at: Date.now() };
    return { ...tg.callbackUpdate(TG_USER, msg, `v:c:${draftId}:${step}:0`), update_id: updateId++ } as Update;
  }
  const text = kind === 0 ? String(fieldIndex) : kind === 1 ? `${fieldIndex}.5` : `答案 ${fieldIndex}`;
  return { ...tg.textUpdate(TG_USER, text), update_id: updateId++ } as Update;
}

/** The draft just before step n, as stored text and as the state the previous answer had. */
interface Before {
  json: string;
  state: CardState;
}

/**
 * Times one card answer at step n. `warm`: the draft was written just before by this process (the previous answer);
 * else by someone else (a raw write of the same text).
 */
async function oneCardStep(s: ReturnType<typeof setup>, before: Before, n: number, warm: boolean): Promise<number> {
  let step = 1000;
  if (warm) {
    const at = draftById(s.db, s.draftId)!.step;
    if (!saveDraftState(s.db, s.draftId, at, before.state, 0)) throw new Error('the draft could not be put before the step');
    makeDurable(s.db); // as after the previous answer, whose reply waited for its sync
    step = at + 1;
  } else {
    s.db.update(cardDrafts).set({ state: before.json, step, status: 'open' }).where(eq(cardDrafts.id, s.draftId)).run();
    makeDurable(s.db);
  }
  const u = answerUpdate(s.tg, n - 1, s.draftId, step);
  const t0 = performance.now();
  await s.bot.handleUpdate(u);
  const us = (performance.now() - t0) * 1000;
  if (s.db.select().from(cardDrafts).where(eq(cardDrafts.id, s.draftId)).get()!.step !== step + 1)
    throw new Error(`step ${n} was not accepted: ${s.tg.sent.at(-2)?.text}`);
  return us;
}

/**
 * A running bot's WAL has wrapped and is rewritten in place; a new database's grows with every commit, and syncing a
 * file that grew costs the file system a journal commit more. Both databases are put in that steady state before
 * timing: commits of one small row (one WAL frame each), unsynced, until the WAL has been checkpointed and restarted.
 */
function steadyWal(db: Db): void {
  const was = db.$client.pragma('synchronous', { simple: true }) as number;
  db.$client.pragma('synchronous = OFF');
  db.$client.exec('CREATE TABLE IF NOT EXISTS bench_filler (id INTEGER PRIMARY KEY, at INTEGER)');
  const put = db.$client.prepare('INSERT INTO bench_filler (at) VALUES (?)');
  for (let i = 0; i < 1200; i++) put.run(i); // the checkpoint comes at 1,000 frames
  db.$client.pragma(`synchronous = ${was}`);
}

/**
 * The reference: a bare grammY handler that inserts one row and replies, on a database file of its own (two
 * connections writing one file in turn would each find its page cache stale at every statement) with SQLite's own
 * setting: at `FULL` the sync inside each commit, where the bot's connection syncs before each reply instead
 * (src/db/durable.ts).
 */
function bareBot(path: string, sync: 'FULL' | 'NORMAL', tg: LocalTelegram): { run(i: number): Promise<number>; close(): void } {
  const db = openDb(join(dirname(path), 'bare.sqlite'), { synchronous: sync });
  steadyWal(db);
  db.$client.exec('CREATE TABLE IF NOT EXISTS bench_bare (id INTEGER PRIMARY KEY, chat INTEGER, text TEXT, at INTEGER)');
  const insert = db.$client.prepare('INSERT INTO bench_bare (chat, text, at) VALUES (?, ?, ?)');
  const bot = new Bot('0:bench', { botInfo: BOT_USER as never, client: { fetch: tg.fetch as never } });
  bot.on('message:text', async (c) => {
    insert.run(c.chat.id, c.message.text, Date.now());
    await c.reply(`收到：${c.message.text}`);
  });
  return {
    async run(i) {
      const u = { ...tg.textUpdate(TG_USER, `答案 ${i}`), update_id: updateId++ } as Update;
      const t0 = performance.now();
      await bot.handleUpdate(u);
      return (performance.now() - t0) * 1000;
    },
    close: () => db.$client.close(),
  };
}

/**
 * Card steps (the bot as `npm start` opens its database), the same card with SQLite syncing inside each commit
 * (`inCommit`, FULL only) and the bare handler, interleaved round-robin, the order turned by one each round, so that
 * all see the same machine load and none always comes first; medians of ITER rounds.
 */
export async function measureInterleaved(
  sync: 'FULL' | 'NORMAL',
  steps: number[],
  warm = true,
  inCommitSteps: number[] = [],
): Promise<{ card: Map<number, number>; inCommit: Map<number, number>; bare: number }> {
  const s = setup(sync);
  const c = inCommitSteps.length ? setup(sync, true) : undefined;
  const stored = new Map([...steps, ...inCommitSteps].map((n): [number, Before] => {
    const json = draftBefore(s.form, n);
    return [n, { json, state: JSON.parse(json) as CardState }];
  }));
  const bare = bareBot(s.path, sync, s.tg);
  const card = new Map<number, number[]>(steps.map((n) => [n, []]));
  const inCommit = new Map<number, number[]>(inCommitSteps.map((n) => [n, []]));
  const bareSamples: number[] = [];
  const subjects: ((i: number) => Promise<[number[], number]>)[] = [
    ...steps.map((n) => async () => [card.get(n)!, await oneCardStep(s, stored.get(n)!, n, warm)] as [number[], number]),
    ...inCommitSteps.map((n) => async () => [inCommit.get(n)!, await oneCardStep(c!, stored.get(n)!, n, warm)] as [number[], number]),
    async (i: number) => [bareSamples, await bare.run(i)] as [number[], number],
  ];
  for (let i = 0; i < ITER + 30; i++) {
    for (let k = 0; k < subjects.length; k++) {
      const [samples, us] = await subjects[(i + k) % subjects.length](i);
      if (i >= 30) samples.push(us); // the first rounds warm up
    }
    if (i % 50 === 0) {
      s.tg.sent.length = 0;
      if (c) c.tg.sent.length = 0;
    }
  }
  bare.close();
  for (const x of c ? [s, c] : [s]) {
    await stopSyncs(x.db);
    x.db.$client.close();
  }
  const medians = (m: Map<number, number[]>) => new Map([...m].map(([n, xs]) => [n, median(xs)]));
  return { card: medians(card), inCommit: medians(inCommit), bare: median(bareSamples) };
}

export const bench: BenchModule = {
  title: 'Card answer through the bot (µs per update, median) vs a bare grammY insert+reply',
  async run(): Promise<BenchTarget[]> {
    const full = await measureInterleaved('FULL', [1, 50, 100], true, [100]);
    const normal = await measureInterleaved('NORMAL', [50]);
    const [s1, s50, s100] = [1, 50, 100].map((n) => full.card.get(n)!);
    const n50 = normal.card.get(50)!;
    const cold = await measureInterleaved('FULL', [100], false);
    const inCommit = full.inCommit.get(100)!;
    console.log(`  synchronous=FULL   card step 1: ${s1.toFixed(0)} µs   step 50: ${s50.toFixed(0)} µs   step 100: ${s100.toFixed(0)} µs   bare handler: ${full.bare.toFixed(0)} µs`);
    console.log(`  synchronous=NORMAL card step 50: ${n50.toFixed(0)} µs   bare handler: ${normal.bare.toFixed(0)} µs`);
    console.log(`  the same, SQLite syncing inside each commit instead of before the reply: step 100: ${inCommit.toFixed(0)} µs   (${(inCommit / full.bare).toFixed(2)}x the bare handler)`);
    console.log(`  the draft last written elsewhere (another process, a restart): step 100: ${cold.card.get(100)!.toFixed(0)} µs   bare handler: ${cold.bare.toFixed(0)} µs   (${(cold.card.get(100)! / cold.bare).toFixed(2)}x)`);
    console.log(`  step 100 / step 1 = ${(s100 / s1).toFixed(2)}   card step 100 / bare = ${(s100 / full.bare).toFixed(2)}   durability cost FULL vs NORMAL at step 50 = ${(s50 - n50).toFixed(0)} µs per answer`);
    return [
      { name: 'card_step100_over_step1', measured: s100 / s1, limit: 1.3, unit: 'x' },
      { name: 'card_step_over_bare_handler', measured: s100 / full.bare, limit: 1.5, unit: 'x' },
    ];
  },
};

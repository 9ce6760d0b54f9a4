/**
 * Double taps and races: the same button twice at once, two messages at once in one chat, the same update
 * delivered to two bot processes, two helpers of one household filling cards at the same time, a quiz answer
 * tapped twice. One result each, nothing lost, no duplicated rows. "Two processes" are two createBot instances,
 * each on its own SQLite connection to the same file.
 */
import { describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import type { Update, User } from 'grammy/types';
import { buttons, makeHarness, type Harness, type TestUser } from '../support/harness.js';
// first cards typed in full (no registry record), so every field the tests stop at is asked
import { TYPED_FIRST_CARD as FIRST_CARD, fillCard, withoutRegistry } from '../support/card-driver.js';
import { extraBot } from '../support/fuzz-inputs.js';
import { openDb } from '../../src/db/client.js';
import { draftById, openDrafts, verifyChains } from '../../src/db/cards-repo.js';
import { findPeople } from '../../src/db/people-repo.js';
import { attemptById } from '../../src/db/quiz-attempt-repo.js';
import { questionVersion } from '../../src/db/quiz-repo.js';
import { cardDrafts, cardRevisions, cards, households, pairings, quizAnswers, quizAttempts } from '../../src/db/schema.js';

type Deliver = (u: Omit<Update, 'update_id'> | Update) => Promise<void>;

/** A second process: the real bot on its own connection to the same database file. */
function secondProcess(h: Harness): Deliver {
  return extraBot(h, { ...h.deps, db: openDb(h.config.databasePath, { synchronous: 'NORMAL' }) }).deliver;
}

/** A TestUser whose updates go through `deliver` (another bot instance), for fillCard. */
function userVia(h: Harness, deliver: Deliver, id: number): TestUser {
  const base = h.user(id);
  const u: User = base.user;
  const run = (x: Omit<Update, 'update_id'>) => deliver(x);
  return {
    ...base,
    send: (text) => run(h.tg.textUpdate(u, text)),
    async press(label) {
      const msg = [...h.tg.messagesTo(id)].reverse().find((m) => buttons(m).some((b) => (typeof label === 'string' ? b.text.includes(label) : label.test(b.text))));
      if (!msg) throw new Error(`no button ${String(label)} in chat ${id}`);
      const b = buttons(msg).find((x) => (typeof label === 'string' ? x.text.includes(label) : label.test(x.text)))!;
      await run(h.tg.callbackUpdate(u, msg, b.callback_data!));
    },
    pressData: (data, on) => run(h.tg.callbackUpdate(u, on ?? base.last(), data)),
    location: (lat, lon, fwd) => run(h.tg.locationUpdate(u, lat, lon, fwd)),
    photo: () => run(h.tg.photoUpdate(u)),
  };
}

async function helper(h: Harness, name: string, chat: number) {
  const u = h.user(chat);
  await u.send(`/start ${h.demo.find((d) => d.name === name)!.code}`);
  return { u, id: findPeople(h.db, name)[0].id };
}

/** Opens a card for H0001 and answers up to (not including) `field`. */
async function cardAt(h: Harness, field: string) {
  withoutRegistry(h.db);
  const { u, id } = await helper(h, '王小明', 101);
  await u.send('/visit');
  await u.press('H0001');
  await u.press('开始填写');
  const stopAt = { ...FIRST_CARD };
  let reached = false;
  // fillCard asks the script for each field; stop by throwing at the wanted one
  await fillCard(h, u, id, 'H0001', new Proxy(stopAt, {
    get(target, key: string) {
      if (key === field) {
        reached = true;
        throw new Error('stop');
      }
      return target[key];
    },
  })).catch((e: Error) => {
    if (e.message !== 'stop') throw e;
  });
  expect(reached).toBe(true);
  const draft = openDrafts(h.db, id)[0];
  return { u, id, draft };
}

const answersOf = (h: Harness, draftId: number) => draftById(h.db, draftId)!.state.answers;
const callbackAnswersSince = (h: Harness, n: number) => h.tg.callbackAnswers.slice(n);

describe('double taps and races on the card', () => {
  it('the same button pressed twice at once: in one bot and in two processes, one answer stored', async () => {
    const h = makeHarness();
    const { u, id, draft } = await cardAt(h, 'visit_mode');
    const question = u.last();
    const data = buttons(question).find((b) => b.text.includes('入户走访'))!.callback_data!;
    const before = h.tg.callbackAnswers.length;
    await Promise.all([u.pressData(data, question), u.pressData(data, question)]);
    expect(draftById(h.db, draft.id)!.step).toBe(draft.step + 1);
    expect(answersOf(h, draft.id).visit_mode).toBe('入户走访');
    const answers = callbackAnswersSince(h, before);
    expect(answers).toHaveLength(2);
    expect(answers.filter((a) => a.text?.includes('过期'))).toHaveLength(1);

    // two processes: the next question's button, tapped twice, each tap reaching another process
    const other = secondProcess(h);
    const mine = extraBot(h).deliver;
    const next = u.last();
    const skip = buttons(next).find((b) => b.callback_data?.startsWith('v:b:'))!.callback_data!; // "back" changes the step
    const step = draftById(h.db, draft.id)!.step;
    const n = h.tg.callbackAnswers.length;
    await Promise.all([mine(h.tg.callbackUpdate(u.user, next, skip)), other(h.tg.callbackUpdate(u.user, next, skip))]);
    expect(draftById(h.db, draft.id)!.step).toBe(step + 1);
    expect(callbackAnswersSince(h, n)).toHaveLength(2);
    expect(h.db.select().from(cardDrafts).where(eq(cardDrafts.helperId, id)).all()).toHaveLength(1);
    expect(h.logLines.filter((l) => l.includes('handler failed'))).toEqual([]);
  });

  it('two messages at once in one chat: both answers kept, in one bot and across two processes', async () => {
    const h = makeHarness();
    const { u, draft } = await cardAt(h, 'farmland_mu');
    // one bot: updates of one chat run in order, so the second message answers the next question
    await Promise.all([u.send('2'), u.send('3')]);
    let a = answersOf(h, draft.id);
    expect([a.farmland_mu, a.forest_mu]).toEqual([2, 3]);
    expect(draftById(h.db, draft.id)!.step).toBe(draft.step + 2);

    // two processes read the same question; the loser must not drop its message
    const other = secondProcess(h);
    const mine = extraBot(h).deliver;
    const step = draftById(h.db, draft.id)!.step;
    await Promise.all([mine(h.tg.textUpdate(u.user, '4')), other(h.tg.textUpdate(u.user, '90'))]);
    a = answersOf(h, draft.id);
    expect([a.road_km, a.housing_area_m2].sort()).toEqual([4, 90]);
    expect(draftById(h.db, draft.id)!.step).toBe(step + 2);
    expect(h.logLines.filter((l) => l.includes('handler failed'))).toEqual([]);
  });

  it('the same message delivered to two processes at once is applied once', async () => {
    const h = makeHarness();
    const { u, draft } = await cardAt(h, 'farmland_mu');
    const other = secondProcess(h);
    const mine = extraBot(h).deliver;
    const update = h.tg.push(h.tg.textUpdate(u.user, '2'));
    const sent = u.inbox().length;
    await Promise.all([mine(update), other(update)]);
    const a = answersOf(h, draft.id);
    expect(a.farmland_mu).toBe(2);
    expect(a.forest_mu).toBeUndefined();
    expect(draftById(h.db, draft.id)!.step).toBe(draft.step + 1);
    // the next question was asked once, and nobody was told a button is old
    const texts = u.inbox().slice(sent).map((m) => m.text ?? '');
    expect(texts.filter((t) => t.includes('过期'))).toEqual([]);
    expect(texts.filter((t) => t.includes('林地'))).toHaveLength(1);
  });

  it('submit tapped twice across two processes stores one card', async () => {
    const h = makeHarness();
    const { u, id } = await helper(h, '王小明', 101);
    await u.send('/visit');
    await u.press('H0001');
    await u.press('开始填写');
    await fillCard(h, u, id, 'H0001', FIRST_CARD);
    const summary = [...u.inbox()].reverse().find((m) => buttons(m).some((b) => b.text.includes('提交')))!;
    const data = buttons(summary).find((b) => b.text.includes('提交'))!.callback_data!;
    const other = secondProcess(h);
    const mine = extraBot(h).deliver;
    await Promise.all([mine(h.tg.callbackUpdate(u.user, summary, data)), other(h.tg.callbackUpdate(u.user, summary, data))]);
    expect(h.db.select().from(cards).all()).toHaveLength(1);
    expect(h.db.select().from(cardRevisions).all()).toHaveLength(1);
    expect(u.inbox().filter((m) => m.text?.includes('已提交'))).toHaveLength(1);
    expect(verifyChains(h.db)).toMatchObject({ ok: true, cards: 1, revisions: 1 });
  });

  it('two helpers of one household fill cards at the same time, each in its own process', async () => {
    const h = makeHarness();
    const a = await helper(h, '王小明', 101);
    const b0 = await helper(h, '李红', 102);
    const hh = h.db.select().from(households).where(eq(households.code, 'H0001')).get()!;
    h.db.insert(pairings).values({ helperId: b0.id, householdId: hh.id, startDate: '2017-06-01' }).run();
    const b = { id: b0.id, u: userVia(h, secondProcess(h), 102) };
    for (const x of [a, b]) {
      await x.u.send('/visit');
      await x.u.press('H0001');
      await x.u.press('开始填写');
    }
    const second = { ...FIRST_CARD, visit_date: 'text:2017-11-12', wage: 'text:17000', satisfaction: 'press:说不清', household_opinion: 'text:第二位帮扶人记录', 'measures.responsible': 'press:李红' };
    await Promise.all([fillCard(h, a.u, a.id, 'H0001', FIRST_CARD), fillCard(h, b.u, b.id, 'H0001', second)]);
    await Promise.all([a.u.press('提交这张卡'), b.u.press('提交这张卡')]);
    const stored = h.db.select().from(cards).where(eq(cards.householdId, hh.id)).all();
    expect(stored.map((c) => c.helperId).sort()).toEqual([a.id, b.id].sort());
    const byHelper = new Map(stored.map((c) => [c.helperId, JSON.parse(c.answers) as Record<string, unknown>]));
    expect(byHelper.get(a.id)).toMatchObject({ visit_date: '2017-11-10', wage: 16000 });
    expect(byHelper.get(b.id)).toMatchObject({ visit_date: '2017-11-12', wage: 17000, household_opinion: '第二位帮扶人记录' });
    expect(h.db.select().from(cardRevisions).all()).toHaveLength(2);
    expect(h.db.select().from(cardDrafts).all().map((d) => d.status)).toEqual(['submitted', 'submitted']);
    expect(verifyChains(h.db)).toMatchObject({ ok: true, cards: 2, revisions: 2 });
    expect(h.logLines.filter((l) => l.includes('handler failed'))).toEqual([]);
  });
});

describe('double taps on the quiz', () => {
  it('an answer tapped twice at once, in one bot and across two processes, is recorded once', async () => {
    const h = makeHarness();
    const { u, id } = await helper(h, '王小明', 101);
    await u.send('/quiz');
    await u.press('按主题练习');
    await u.press(/./);
    const attempt = () => attemptById(h.db, h.db.select().from(quizAttempts).where(eq(quizAttempts.personId, id)).orderBy(desc(quizAttempts.id)).get()!.id)!;
    const tap = async (deliverBoth: (data: string) => Promise<unknown>) => {
      const a = attempt();
      const n = h.tg.callbackAnswers.length;
      const q = questionVersion(h.db, a.questions[a.position])!;
      // a multi-answer question: tick once (two ticks are a tick and an untick), then submit twice at once
      if (q.multi) await u.pressData(`qa:${a.id}:${a.position}:0`);
      await deliverBoth(q.multi ? `qs:${a.id}:${a.position}` : `qa:${a.id}:${a.position}:0`);
      const after = attempt();
      expect(after.position).toBe(a.position + 1);
      expect(h.db.select().from(quizAnswers).where(eq(quizAnswers.attemptId, a.id)).all()).toHaveLength(after.position);
      expect(h.tg.callbackAnswers.length - n).toBeGreaterThanOrEqual(2);
    };
    await tap((data) => Promise.all([u.pressData(data), u.pressData(data)]));
    const other = secondProcess(h);
    const mine = extraBot(h).deliver;
    await tap((data) => Promise.all([mine(h.tg.callbackUpdate(u.user, u.last(), data)), other(h.tg.callbackUpdate(u.user, u.last(), data))]));
    const rows = h.db.select().from(quizAnswers).all();
    expect(new Set(rows.map((r) => r.questionId)).size).toBe(rows.length);
    expect(h.logLines.filter((l) => l.includes('handler failed'))).toEqual([]);
  });
});

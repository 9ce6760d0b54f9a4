/**
 * A seeded demo district for the supervision tests: one card filled through the bot's UI (FIRST_CARD, H0001 by
 * 王小明, 2017-11-10, in person), more cards stored from copies of its answers, a flag, and one pushed quiz.
 * The figures the tests expect are worked out by hand from this list.
 */
import { eq } from 'drizzle-orm';
import { makeHarness, type Harness, type TestUser } from '../support/harness.js';
import { FIRST_CARD, fillCard } from '../support/card-driver.js';
import { findPeople } from '../../src/db/people-repo.js';
import { createDraft, submitDraft } from '../../src/db/cards-repo.js';
import { cardFlags, cards, households, quizAttempts, quizDeliveries, quizPushes } from '../../src/db/schema.js';

export interface District {
  h: Harness;
  users: Record<'wang' | 'li' | 'zhang' | 'sun' | 'zhou' | 'wu', TestUser>;
  person: Record<'wang' | 'li' | 'zhang' | 'sun' | 'zhou' | 'wu' | 'zhao', number>;
  household: (code: string) => number;
  /** card ids: C1 (UI) … C5 */
  card: Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5', number>;
}

const NAMES = { wang: '王小明', li: '李红', zhang: '张强', sun: '孙局长', zhou: '周镇长', wu: '吴主任', zhao: '赵培训' } as const;
const CHATS = { wang: 101, li: 102, zhang: 103, sun: 201, zhou: 202, wu: 203 } as const;

export async function seededDistrict(opts: { uiCard?: boolean } = {}): Promise<District> {
  const h = makeHarness();
  const person = Object.fromEntries(Object.entries(NAMES).map(([k, n]) => [k, findPeople(h.db, n)[0].id])) as District['person'];
  const users = {} as District['users'];
  for (const [k, chat] of Object.entries(CHATS) as [keyof typeof CHATS, number][]) {
    const u = h.user(chat);
    await u.send(`/start ${h.demo.find((d) => d.name === NAMES[k])!.code}`);
    users[k] = u;
  }
  const household = (code: string) => h.db.select().from(households).where(eq(households.code, code)).get()!.id;

  // C1: through the UI, like a helper would
  const wang = users.wang;
  if (opts.uiCard !== false) {
    await wang.send('/visit');
    await wang.press('H0001');
    await wang.press('开始填写');
    await fillCard(h, wang, person.wang, 'H0001', FIRST_CARD);
    await wang.press('提交这张卡');
  }
  const c1 = h.db.select().from(cards).get()!;
  const base = JSON.parse(c1.answers) as Record<string, unknown>;
  const store = (code: string, helper: number, visitDate: string, mode: string, changes: Record<string, unknown>) => {
    const answers = { ...base, ...changes, visit_date: visitDate, visit_mode: mode, household_code: code };
    const draft = createDraft(
      h.db,
      { householdId: household(code), helperId: helper, formId: 'dynamic_card', formVersion: 1, state: { formId: 'dynamic_card', formVersion: 1, cursor: null, answers: answers as never, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: 0 } },
      h.clock.now,
    );
    const r = submitDraft(
      h.db,
      draft,
      { visitDate, visitMode: mode, inPerson: mode === '入户走访', answers: answers as never, changes: [] },
      [],
      helper,
      h.clock.now,
    );
    if (!r.ok) throw new Error('seed card not stored');
    return r.cardId;
  };
  const c2 = store('H0001', person.wang, '2017-09-01', '入户走访', {});
  const c3 = store('H0002', person.wang, '2017-10-20', '电话联系', { housing_status: '不达标' });
  const c4 = store('H0005', person.zhang, '2017-11-01', '入户走访', { water_status: '不达标', food_status: '不达标' });
  const c5 = store('H0004', person.li, '2016-12-20', '入户走访', {});
  // the UI card's own flags (if any) are cleared so the expected figures are the hand-made ones below
  h.db.update(cardFlags).set({ resolvedAt: h.clock.now }).run();
  h.db.insert(cardFlags).values({ cardId: c4, householdId: household('H0005'), code: 'income_drop', level: 'high', createdAt: h.clock.now }).run();
  h.db.insert(cardFlags).values({ cardId: c5, householdId: household('H0004'), code: 'income_drop', level: 'high', createdAt: h.clock.now, resolvedAt: h.clock.now }).run();

  // a quiz pushed to 王小明 and 张强; 王小明 finished it with 3 of 4 right
  const qs = JSON.stringify([{ id: 'q1', v: 1 }, { id: 'q2', v: 1 }, { id: 'q3', v: 1 }, { id: 'q4', v: 1 }]);
  const push = h.db
    .insert(quizPushes)
    .values({ trainerId: person.zhao, questions: qs, selection: '{}', audience: '{}', deadline: h.clock.now + 86_400_000, createdAt: h.clock.now - 86_400_000 })
    .returning()
    .get();
  for (const p of [person.wang, person.zhang]) h.db.insert(quizDeliveries).values({ pushId: push.id, personId: p, status: 'sent' }).run();
  h.db
    .insert(quizAttempts)
    .values({ personId: person.wang, pushId: push.id, kind: 'push', questions: qs, position: 4, shownAt: h.clock.now, startedAt: h.clock.now, finishedAt: h.clock.now, correctCount: 3 })
    .run();
  for (const u of Object.values(users)) u.takeTexts();
  return { h, users, person, household, card: { c1: c1.id, c2, c3, c4, c5 } };
}

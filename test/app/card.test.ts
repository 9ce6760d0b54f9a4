/**
 * The card's use cases without any channel: views as keys and actions, refusals as results, a whole card filled
 * through them with the same script the bot tests use. Milliseconds per test.
 */
import { describe, expect, it } from 'vitest';
import { appWorld, AppChat, personId } from '../support/app-world.js';
import { FIRST_CARD, fillCard } from '../support/card-driver.js';
import { cardStep, DUPLICATE, NOT_A_CARD } from '../../src/app/card/step.js';
import { briefing, householdPicker, resumeCard, resumeChoice, startVisit } from '../../src/app/card/visit.js';
import { correctionTarget, openCorrection } from '../../src/app/card/correct.js';
import { actionsOf } from '../../src/app/views.js';
import { cardById, draftById, openDrafts } from '../../src/db/cards-repo.js';
import { engineContextFor } from '../../src/app/card-context.js';
import { householdsOfHelper } from '../../src/db/household-repo.js';
import { cards } from '../../src/db/schema.js';

function helperWorld() {
  const w = appWorld();
  const helper = w.actor('王小明');
  const hh = householdsOfHelper(w.deps.db, helper.personId)[0];
  return { w, helper, hh };
}

/** A first card filled and submitted through the use cases, for the tests of what follows it. */
async function submittedFirstCard() {
  const { w, helper, hh } = helperWorld();
  const chat = new AppChat(w, helper);
  const draftId = (startVisit(w.deps, helper, hh.id) as { value: { draftId: number } }).value.draftId;
  await chat.open(draftId);
  await fillCard(w, chat, helper.personId, hh.code, { ...FIRST_CARD });
  await chat.press('提交这张卡');
  return { w, helper, hh, chat, cardId: w.deps.db.select().from(cards).get()!.id };
}

describe('card use cases', () => {
  it('picker, briefing, start: views name what to do and offer it as actions', () => {
    const { w, helper, hh } = helperWorld();
    const picker = householdPicker(w.deps, helper);
    expect(picker.ok && actionsOf(picker.value).map((a) => a.op)).toContain('visit:household');
    const b = briefing(w.deps, helper, hh.id);
    if (!b.ok) throw new Error(b.reason);
    expect(w.text(b.value)).toContain(hh.headName);
    expect(actionsOf(b.value).map((a) => [a.op, a.args])).toEqual([['visit:start', [hh.id]], ['visit:policies', [hh.id]]]);
    const started = startVisit(w.deps, helper, hh.id);
    expect(started.ok).toBe(true);
    // one open card per household and helper: starting again continues it
    expect(startVisit(w.deps, helper, hh.id)).toEqual(started);
    const again = briefing(w.deps, helper, hh.id);
    expect(again.ok && actionsOf(again.value).map((a) => a.op)).toEqual(['visit:continue', 'card', 'visit:policies']);
  });

  it('refuses other roles, other helpers, forged ids', () => {
    const { w, helper, hh } = helperWorld();
    const supervisor = w.actor('孙局长');
    expect(householdPicker(w.deps, supervisor)).toEqual({ ok: false, reason: 'not_helper' });
    expect(briefing(w.deps, supervisor, hh.id)).toEqual({ ok: false, reason: 'not_helper' });
    expect(briefing(w.deps, helper, 999_999)).toEqual({ ok: false, reason: 'not_yours' });
    const other = householdsOfHelper(w.deps.db, personId(w, '张强')).find((h) => h.id !== hh.id);
    if (other) expect(startVisit(w.deps, helper, other.id)).toEqual({ ok: false, reason: 'not_yours' });
    const draftId = (startVisit(w.deps, helper, hh.id) as { value: { draftId: number } }).value.draftId;
    expect(resumeCard(w.deps, supervisor, draftId)).toEqual({ ok: false, reason: 'not_yours' });
    expect(resumeCard(w.deps, helper, 424242)).toEqual({ ok: false, reason: 'missing' });
    expect(resumeChoice(w.deps, supervisor)).toEqual({ ok: false, reason: 'not_helper' });
  });

  it('a stale step, a duplicate message, text with no card open: nothing changes', async () => {
    const { w, helper, hh } = helperWorld();
    expect(await cardStep(w.deps, helper, { kind: 'text', text: '2017-11-10' }, 1)).toBe(NOT_A_CARD);
    const draftId = (startVisit(w.deps, helper, hh.id) as { value: { draftId: number } }).value.draftId;
    resumeCard(w.deps, helper, draftId);
    const first = await cardStep(w.deps, helper, { kind: 'text', text: '2017-11-10' }, 2);
    expect(first).not.toBe(NOT_A_CARD);
    const step = draftById(w.deps.db, draftId)!.step;
    // the same message delivered again is not applied to the next question
    expect(await cardStep(w.deps, helper, { kind: 'text', text: '2017-11-10' }, 2)).toBe(DUPLICATE);
    expect(draftById(w.deps.db, draftId)!.step).toBe(step);
    const stale = await cardStep(w.deps, helper, { kind: 'button', code: 'b', draftId, step: 0 }, 3);
    expect(stale !== NOT_A_CARD && stale !== DUPLICATE && stale.alert).toEqual({ key: 'refuse.stale' });
    const supervisor = w.actor('孙局长');
    const foreign = await cardStep(w.deps, supervisor, { kind: 'button', code: 'b', draftId, step }, 4);
    expect(foreign !== NOT_A_CARD && foreign !== DUPLICATE && foreign.alert).toEqual({ key: 'refuse.not_yours' });
    expect(draftById(w.deps.db, draftId)!.step).toBe(step);
  });

  it('a card entered in January for a December visit is counted in the visit\'s year, and says which year', async () => {
    const { w, helper, hh } = helperWorld();
    w.clock.now = Date.parse('2018-01-03T02:00:00Z');
    const chat = new AppChat(w, helper);
    const draftId = (startVisit(w.deps, helper, hh.id) as { value: { draftId: number } }).value.draftId;
    await chat.open(draftId);
    await fillCard(w, chat, helper.personId, hh.code, { ...FIRST_CARD, visit_date: 'text:2017-12-28', next_visit_date: 'text:2018-01-20' });
    await chat.press('提交这张卡');
    const submitted = chat.inbox().at(-2)!.text;
    expect(submitted).toContain('已提交');
    expect(submitted).toContain('2017年入户 1 次（目标 6 次）');
    expect(submitted).not.toContain('今年');
  });

  it('a whole first card through the use cases; submitted with the visit counted and the receipt offered', async () => {
    const { w, helper, hh } = helperWorld();
    const chat = new AppChat(w, helper);
    const draftId = (startVisit(w.deps, helper, hh.id) as { value: { draftId: number } }).value.draftId;
    await chat.open(draftId);
    await fillCard(w, chat, helper.personId, hh.code, { ...FIRST_CARD });
    expect(chat.lastText()).toContain('全部无误即可提交');
    await chat.press('提交这张卡');
    const submitted = chat.inbox().at(-2)!;
    expect(submitted.text).toContain('已提交');
    expect(submitted.text).toContain('今年入户 1 次');
    expect(submitted.actions.map((a) => a.op)).toEqual(['receipt']);
    expect(chat.inbox().at(-1)!.actions.map((a) => a.op)).toContain('menu');
    const card = w.deps.db.select().from(cards).get()!;
    expect(card.inPerson).toBe(true);
    expect(openDrafts(w.deps.db, helper.personId)).toHaveLength(0);
  });

  it('a correction needs a reason and opens at the summary; another helper cannot open it', async () => {
    const { w, helper, cardId } = await submittedFirstCard();
    expect(correctionTarget(w.deps, helper, cardId)).toMatchObject({ ok: true });
    expect(openCorrection(w.deps, helper, cardId, ' a ')).toEqual({ ok: false, reason: 'too_short' });
    expect(openCorrection(w.deps, w.actor('孙局长'), cardId, '笔误更正')).toEqual({ ok: false, reason: 'not_yours' });
    const r = openCorrection(w.deps, helper, cardId, '笔误');
    if (!r.ok) throw new Error(r.reason);
    expect(draftById(w.deps.db, r.value.draftId)).toMatchObject({ reviseCardId: cardId, reviseReason: '笔误' });
    // asking again returns the same open correction
    expect(openCorrection(w.deps, helper, cardId, '再次更正')).toEqual(r);
    const view = resumeCard(w.deps, helper, r.value.draftId);
    expect(view.ok && w.text(view.value)).toContain('核对汇总');
  });

  it('a correction is not one more visit: its card keeps its visit number, and the next card counts on from it', async () => {
    const { w, helper, hh, chat, cardId } = await submittedFirstCard();
    const r = openCorrection(w.deps, helper, cardId, '笔误');
    if (!r.ok) throw new Error(r.reason);
    const summary = resumeCard(w.deps, helper, r.value.draftId);
    expect(summary.ok && w.text(summary.value)).toContain('本年第几次入户：1');
    await chat.open(r.value.draftId);
    await chat.press('提交这张卡');
    expect(draftById(w.deps.db, r.value.draftId)!.status).toBe('submitted');
    expect(w.deps.db.select().from(cards).all()).toHaveLength(1);
    // the control: a new card of the same household is the second visit; the revised card sees none before it
    const counted = (revising?: { id: number; visitDate: string }) => engineContextFor(w.deps, hh, helper.personId, revising).householdFacts?.in_person_visits_this_year;
    expect(counted()).toBe(1);
    expect(counted(cardById(w.deps.db, cardId))).toBe(0);
  });
});

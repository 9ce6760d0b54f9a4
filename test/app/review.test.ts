/**
 * Review as use cases: a supervisor picks a section and an answer of a card in their scope, the comment is recorded
 * and the helper told (through the notifier) with the action that reopens that answer; the helper's correction
 * draft starts at that answer; the submitted correction closes the review and tells the supervisor.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { actions, lines, makeFixture, type Fixture } from './supervision-fixture.js';
import {
  closeReviewOnCorrection, openReviewedField, reviewField, reviewFields, reviewQuestion, reviewSections, sendReview,
} from '../../src/app/review.js';
import { draftById, submitDraft } from '../../src/db/cards-repo.js';
import { cardReviews, people } from '../../src/db/schema.js';
import { reviewById } from '../../src/db/review-repo.js';

let f: Fixture;
let c1: number;
beforeEach(() => {
  f = makeFixture();
  c1 = f.card('H0001', 'wang', '2017-11-10');
});

/** Where `duration_min` sits among the card's answers (section A, third answer). */
const DURATION = 2;

describe('picking the answer to send back', () => {
  it('the sections holding answers, then the answers of one, each with its value', () => {
    const sun = f.actor('sun');
    const sections = reviewSections(f.deps, sun, c1);
    if (!sections.ok) throw new Error(sections.reason);
    expect(lines(sections.value)).toEqual(['review.pick_section']);
    expect(actions(sections.value)).toEqual([`review:section:${c1}:1:0`, `review:section:${c1}:1:1`, `review:section:${c1}:1:4`]);
    const fields = reviewFields(f.deps, sun, c1, 1, 0);
    if (!fields.ok) throw new Error(fields.reason);
    expect(fields.value.actions.flat().map((a) => f.say(a.label))).toEqual(['走访日期：2017-11-10', '走访方式：入户走访', '入户时长（分钟）：75']);
    expect(actions(fields.value)).toEqual([0, 1, 2].map((i) => `review:field:${c1}:1:${i}`));
    const target = reviewField(f.deps, sun, c1, 1, DURATION);
    expect(target).toEqual({ ok: true, value: { cardId: c1, revision: 1, path: 'duration_min', field: expect.objectContaining({ zh: '入户时长（分钟）' }), value: { zh: '75', en: '75' } } });
    expect(target.ok && lines(reviewQuestion(target.value))).toEqual(['review.ask_comment(field=入户时长（分钟）, value=75)']);
  });

  it('refused: other roles, a card outside the scope or forged; a revision or an answer that moved is stale', () => {
    const c5 = f.card('H0005', 'zhang', '2017-11-01');
    for (const a of [f.actor('wang'), f.actor('zhao'), undefined]) expect(reviewSections(f.deps, a, c1)).toEqual({ ok: false, reason: 'role' });
    const sun = f.actor('sun');
    expect(reviewSections(f.deps, sun, c5)).toEqual({ ok: false, reason: 'not_yours' });
    expect(reviewFields(f.deps, sun, c5, 1, 0)).toEqual({ ok: false, reason: 'not_yours' });
    expect(reviewField(f.deps, sun, c5, 1, 0)).toEqual({ ok: false, reason: 'not_yours' });
    expect(reviewSections(f.deps, sun, 0)).toEqual({ ok: false, reason: 'not_yours' });
    expect(reviewFields(f.deps, sun, c1, 2, 0)).toEqual({ ok: false, reason: 'stale' });
    expect(reviewField(f.deps, sun, c1, 1, 999)).toEqual({ ok: false, reason: 'stale' });
    expect(reviewField(f.deps, sun, c1, -1, 0)).toEqual({ ok: false, reason: 'stale' });
  });
});

describe('the comment reaches the helper', () => {
  it('recorded, and the helper told in a notice with the action that reopens the answer', async () => {
    f.actor('wang'); // bound: reachable
    const r = await sendReview(f.deps, f.notifier, f.actor('sun'), { cardId: c1, revision: 1, path: 'duration_min' }, '  时长与定位记录不符  ');
    if (!r.ok) throw new Error(r.reason);
    expect(lines(r.value)).toEqual(['review.sent(helper=王小明, code=H0001, head=李大山, field=入户时长（分钟）)']);
    const review = f.db.select().from(cardReviews).get()!;
    expect(review).toMatchObject({ cardId: c1, supervisorId: f.person('sun'), helperId: f.person('wang'), fieldPath: 'duration_min', comment: '时长与定位记录不符', status: 'sent' });
    expect(f.notifier.sent).toHaveLength(1);
    const { to, view } = f.notifier.sent[0];
    expect(to).toMatchObject({ personId: f.person('wang'), address: 9000 + f.person('wang') });
    expect(lines(view)).toEqual(['review.to_helper(supervisor=孙局长, code=H0001, head=李大山, date=2017-11-10, field=入户时长（分钟）, comment=时长与定位记录不符)']);
    expect(actions(view)).toEqual([`review:open:${review.id}`]);
  });

  it('a helper not bound to a chat, or a chat that refuses, is said to be unreachable; the review stays recorded', async () => {
    const sun = f.actor('sun');
    const r = await sendReview(f.deps, f.notifier, sun, { cardId: c1, revision: 1, path: 'duration_min' }, '请核实');
    expect(r.ok && lines(r.value)).toEqual(['review.helper_unreachable(code=H0001, head=李大山)']);
    expect(f.notifier.sent).toHaveLength(0);
    f.actor('wang');
    f.notifier.outcome = { status: 'refused', detail: 'Forbidden: bot was blocked by the user' };
    const blocked = await sendReview(f.deps, f.notifier, sun, { cardId: c1, revision: 1, path: 'duration_min' }, '请核实');
    expect(blocked.ok && lines(blocked.value)).toEqual(['review.helper_unreachable(code=H0001, head=李大山)']);
    expect(f.db.select().from(cardReviews).all()).toHaveLength(2);
  });

  it('refused: an empty comment, another scope, a card revised meanwhile', async () => {
    const target = { cardId: c1, revision: 1, path: 'duration_min' };
    expect(await sendReview(f.deps, f.notifier, f.actor('sun'), target, '   ')).toEqual({ ok: false, reason: 'empty' });
    const zhouOther = f.card('H0005', 'zhang', '2017-11-01');
    expect(await sendReview(f.deps, f.notifier, f.actor('sun'), { ...target, cardId: zhouOther }, '请核实')).toEqual({ ok: false, reason: 'not_yours' });
    expect(await sendReview(f.deps, f.notifier, f.actor('sun'), { ...target, revision: 2 }, '请核实')).toEqual({ ok: false, reason: 'stale' });
    expect(await sendReview(f.deps, f.notifier, f.actor('wang'), target, '请核实')).toEqual({ ok: false, reason: 'role' });
    expect(f.db.select().from(cardReviews).all()).toHaveLength(0);
    expect(f.notifier.sent).toHaveLength(0);
  });
});

describe('the helper corrects, the supervisor is told', () => {
  async function sentReview(): Promise<number> {
    f.actor('wang');
    await sendReview(f.deps, f.notifier, f.actor('sun'), { cardId: c1, revision: 1, path: 'duration_min' }, '时长与定位记录不符');
    return f.db.select().from(cardReviews).get()!.id;
  }

  it('the review opens a correction draft at the answer; pressed again it goes on with that draft', async () => {
    const id = await sentReview();
    const wang = f.actor('wang');
    const r = openReviewedField(f.deps, wang, id);
    if (!r.ok || r.value.kind !== 'opened') throw new Error('not opened');
    expect(lines(r.value.view)).toEqual(['review.reopened(field=入户时长（分钟）, comment=时长与定位记录不符)']);
    const draft = draftById(f.db, r.value.draftId)!;
    expect(draft).toMatchObject({ reviseCardId: c1, reviseReason: '时长与定位记录不符', helperId: f.person('wang') });
    expect(draft.state.cursor).toBe('duration_min');
    expect(reviewById(f.db, id)).toMatchObject({ status: 'opened', draftId: draft.id });
    expect(openReviewedField(f.deps, wang, id)).toEqual({ ok: true, value: { kind: 'resume', draftId: draft.id } });
  });

  it('another helper, a supervisor, or a forged id: not theirs', async () => {
    const id = await sentReview();
    for (const a of [f.actor('zhang'), f.actor('sun'), undefined]) expect(openReviewedField(f.deps, a, id)).toEqual({ ok: false, reason: 'not_yours' });
    expect(openReviewedField(f.deps, f.actor('wang'), 0)).toEqual({ ok: false, reason: 'not_yours' });
    expect(reviewById(f.db, id)!.status).toBe('sent');
  });

  it('the submitted correction closes the review once and tells the supervisor what the answer is now', async () => {
    const id = await sentReview();
    const wang = f.actor('wang');
    f.actor('sun'); // bound: reachable
    const opened = openReviewedField(f.deps, wang, id);
    if (!opened.ok || opened.value.kind !== 'opened') throw new Error('not opened');
    const draft = draftById(f.db, opened.value.draftId)!;
    const answers = { ...draft.state.answers, duration_min: 95 };
    const done = submitDraft(f.db, draft, { visitDate: '2017-11-10', visitMode: '入户走访', inPerson: true, answers, changes: [{ field: 'duration_min', old: 75, new: 95 }] }, [], wang.personId, f.clock.now);
    if (!done.ok) throw new Error('not submitted');
    f.notifier.sent.length = 0;
    const told = await closeReviewOnCorrection(f.deps, f.notifier, wang, { draftId: draft.id, revision: done.revision });
    expect(told?.to.personId).toBe(f.person('sun'));
    expect(told?.outcome).toEqual({ status: 'sent' });
    const { view } = f.notifier.sent[0];
    expect(lines(view)).toEqual(['review.revised_notice(helper=王小明, code=H0001, head=李大山, revision=2, field=入户时长（分钟）, value=95)']);
    expect(actions(view)).toEqual([`stats:household:${f.household('H0001')}`]);
    expect(reviewById(f.db, id)).toMatchObject({ status: 'revised', revision: 2 });
    expect(await closeReviewOnCorrection(f.deps, f.notifier, wang, { draftId: draft.id, revision: done.revision })).toBeUndefined();
    const again = openReviewedField(f.deps, wang, id);
    expect(again.ok && again.value.kind === 'done' && lines(again.value.view)).toEqual(['review.already_done(revision=2)']);
  });

  it('a supervisor no longer reachable is not told, but the review still closes', async () => {
    const id = await sentReview();
    const wang = f.actor('wang');
    const opened = openReviewedField(f.deps, wang, id);
    if (!opened.ok || opened.value.kind !== 'opened') throw new Error('not opened');
    f.db.update(people).set({ telegramId: null }).where(eq(people.id, f.person('sun'))).run();
    const draft = draftById(f.db, opened.value.draftId)!;
    submitDraft(f.db, draft, { visitDate: '2017-11-10', visitMode: '入户走访', inPerson: true, answers: draft.state.answers, changes: [] }, [], wang.personId, f.clock.now);
    expect(await closeReviewOnCorrection(f.deps, f.notifier, wang, { draftId: draft.id, revision: 2 })).toBeUndefined();
    expect(reviewById(f.db, id)!.status).toBe('revised');
  });
});

/** Answering without a bot: feedback, the next question or the score, Leitner moves, and every stale or foreign button. */
import { optionOrder } from '../../src/core/quiz/index.js';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { quizFixture, actionIds, keysOf, lineWith, type QuizFixture } from './quiz-fixture.js';
import { chooseOption, submitChoices } from '../../src/app/quiz/answer.js';
import { catalogOf } from '../../src/app/quiz/catalog.js';
import { attemptById, startAttempt } from '../../src/db/quiz-attempt-repo.js';
import { quizAnswers, quizCards } from '../../src/db/schema.js';
import { actionsOf } from '../../src/app/views.js';
import type { Question } from '../../src/core/quiz/index.js';

/** A practice attempt of the given questions for a person. */
function sitting(f: QuizFixture, name: string, questions: Question[]) {
  return startAttempt(f.db, { personId: f.actor(name).personId, kind: 'practice', questions: questions.map((q) => ({ id: q.id, v: q.version })), now: f.clock.now });
}

const wrongOption = (q: Question) => [...q.options.keys()].find((i) => !q.correct.includes(i))!;

describe('answering a question', () => {
  it('a wrong answer: verdict, feedback with the right answer, the next question; recorded with its time; the card drops to box 1', () => {
    const f = quizFixture();
    const singles = catalogOf(f.deps).questions.filter((q) => !q.multi).slice(0, 2);
    const a = sitting(f, '王小明', singles);
    f.clock.now += 4000;
    const r = chooseOption(f.deps, f.actor('王小明'), String(a.id), '0', String(wrongOption(singles[0])));
    if (!r.ok || r.value.kind !== 'answered') throw new Error('not answered');
    expect(r.value).toMatchObject({ correct: false, finished: false, verdict: { key: 'quizbot.wrong_short' } });
    expect(keysOf(r.value.feedback)).toContain('quizbot.wrong');
    // the correct option in words, under the letter it was shown with
    const order0 = optionOrder(singles[0], a.id);
    const said = JSON.stringify(lineWith(r.value.feedback, 'quizbot.wrong')?.params);
    expect(said).toContain(JSON.stringify(singles[0].options[singles[0].correct[0]].zh));
    expect(said).toContain(`${'ABCDEFGHIJ'[order0.indexOf(singles[0].correct[0])]}. `);
    expect(actionsOf(r.value.feedback)).toEqual([]);
    expect(lineWith(r.value.next, 'quizbot.header')?.params).toMatchObject({ n: 2, total: 2 });
    expect(actionIds(r.value.next)[0]).toBe(`quiz:answer:${a.id}:1:${optionOrder(singles[1], a.id)[0]}`);
    const rows = f.db.select().from(quizAnswers).all();
    expect(rows).toMatchObject([{ questionId: singles[0].id, version: singles[0].version, correct: false, ms: 4000 }]);
    expect(f.db.select().from(quizCards).where(eq(quizCards.questionId, singles[0].id)).get()).toMatchObject({ box: 1, lapses: 1 });

    const last = chooseOption(f.deps, f.actor('王小明'), a.id, 1, singles[1].correct[0]);
    if (!last.ok || last.value.kind !== 'answered') throw new Error('not answered');
    expect(last.value).toMatchObject({ correct: true, finished: true, verdict: { key: 'quizbot.right' } });
    expect(lineWith(last.value.next, 'quizbot.finished')?.params).toEqual({ correct: 1, total: 2, pct: 50 });
    expect(actionIds(last.value.next)).toEqual(['menu:quiz']);
    expect(f.db.select().from(quizCards).where(eq(quizCards.questionId, singles[1].id)).get()).toMatchObject({ box: 2, lapses: 0 });
  });

  it('stale, forged and foreign buttons change nothing', () => {
    const f = quizFixture();
    const singles = catalogOf(f.deps).questions.filter((q) => !q.multi).slice(0, 3);
    const a = sitting(f, '王小明', singles);
    const me = f.actor('王小明');
    expect(chooseOption(f.deps, me, a.id, 0, singles[0].correct[0]).ok).toBe(true);
    // pressed twice, an old position, a position ahead, an option that is not there, garbage
    expect(chooseOption(f.deps, me, a.id, 0, 0)).toEqual({ ok: false, reason: 'stale' });
    expect(chooseOption(f.deps, me, a.id, 2, 0)).toEqual({ ok: false, reason: 'stale' });
    expect(chooseOption(f.deps, me, a.id, 1, 9)).toEqual({ ok: false, reason: 'stale' });
    expect(chooseOption(f.deps, me, a.id, 'x', 0)).toEqual({ ok: false, reason: 'stale' });
    expect(chooseOption(f.deps, me, 'abc', 1, 0)).toEqual({ ok: false, reason: 'stale' });
    expect(chooseOption(f.deps, me, a.id + 100, 1, 0)).toEqual({ ok: false, reason: 'stale' });
    expect(chooseOption(f.deps, me, a.id, 1, '-1')).toEqual({ ok: false, reason: 'stale' });
    // someone else's attempt, or nobody's
    expect(chooseOption(f.deps, f.actor('李红'), a.id, 1, 0)).toEqual({ ok: false, reason: 'not_yours' });
    expect(chooseOption(f.deps, undefined, a.id, 1, 0)).toEqual({ ok: false, reason: 'not_yours' });
    expect(submitChoices(f.deps, f.actor('李红'), a.id, 1)).toEqual({ ok: false, reason: 'not_yours' });
    // submit belongs to multi-answer questions
    expect(submitChoices(f.deps, me, a.id, 1)).toEqual({ ok: false, reason: 'stale' });
    expect(f.db.select().from(quizAnswers).all()).toHaveLength(1);
    expect(attemptById(f.db, a.id)).toMatchObject({ position: 1, pending: [] });
  });

  it('a multi-answer question: options tick on and off, submit needs one, then answers once', () => {
    const f = quizFixture();
    const q = catalogOf(f.deps).questions.find((x) => x.multi && x.correct.length > 1)!;
    const a = sitting(f, '李红', [q]);
    const me = f.actor('李红');
    expect(submitChoices(f.deps, me, a.id, 0)).toEqual({ ok: false, reason: 'pick_first' });
    const [c0] = q.correct;
    const ticked = chooseOption(f.deps, me, a.id, 0, c0);
    if (!ticked.ok || ticked.value.kind !== 'toggled') throw new Error('not toggled');
    const labels = actionsOf(ticked.value.question).map((x) => x.label);
    const shown = optionOrder(q, a.id).indexOf(c0);
    expect(labels[shown]).toEqual({ raw: `☑ ${'ABCDEFGHIJ'[shown]}` });
    expect(actionIds(ticked.value.question).at(-1)).toBe(`quiz:submit:${a.id}:0`);
    // on, off, on again: the order of ticks does not matter
    chooseOption(f.deps, me, a.id, 0, wrongOption(q));
    chooseOption(f.deps, me, a.id, 0, wrongOption(q));
    for (const c of q.correct.slice(1).reverse()) chooseOption(f.deps, me, a.id, 0, c);
    expect(attemptById(f.db, a.id)?.pending).toEqual(q.correct);
    const done = submitChoices(f.deps, me, a.id, '0');
    expect(done.ok && done.value.kind === 'answered' && done.value.correct).toBe(true);
    expect(submitChoices(f.deps, me, a.id, 0)).toEqual({ ok: false, reason: 'stale' });
    expect(f.db.select().from(quizAnswers).all()).toHaveLength(1);
  });
});

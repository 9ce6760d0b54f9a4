/** /quiz without a bot: the menu, practice by topic and level, weak spots, and opening a pushed quiz. */
import { describe, expect, it } from 'vitest';
import { quizFixture, actionIds, keysOf, lineWith } from './quiz-fixture.js';
import { levelChoices, openPushedQuiz, practise, practiseWeakSpots, quizMenu, topicChoices, PRACTICE_COUNT } from '../../src/app/quiz/practice.js';
import { chooseOption } from '../../src/app/quiz/answer.js';
import { catalogOf, topicToken } from '../../src/app/quiz/catalog.js';
import { attemptById, recordAnswer } from '../../src/db/quiz-attempt-repo.js';
import { createPush } from '../../src/db/quiz-push-repo.js';
import { questionVersion } from '../../src/db/quiz-repo.js';
import { actionsOf } from '../../src/app/views.js';
import { optionOrder } from '../../src/core/quiz/index.js';

const DAY = 24 * 3600 * 1000;

describe('quiz menu and practice', () => {
  it('offers practice and weak spots to helpers and trainers; refuses anyone else', () => {
    const f = quizFixture();
    const menu = quizMenu(f.deps, f.actor('王小明'));
    if (!menu.ok) throw new Error(menu.reason);
    expect(keysOf(menu.value)).toEqual(['quizbot.menu']);
    expect(actionIds(menu.value)).toEqual(['quiz:topics', 'quiz:levels', 'quiz:weak', 'quiz:known']);
    expect(actionsOf(menu.value)[2].label).toEqual({ key: 'quizbot.weak_count', params: { count: 0 } });
    expect(quizMenu(f.deps, f.actor('赵培训')).ok).toBe(true);
    for (const r of [quizMenu(f.deps, f.actor('孙局长')), topicChoices(f.deps, f.actor('孙局长')), levelChoices(f.deps, undefined)]) {
      expect(r).toEqual({ ok: false, reason: 'role' });
    }
    expect(practise(f.deps, f.actor('孙局长'), { level: 'district' })).toEqual({ ok: false, reason: 'role' });
    expect(practiseWeakSpots(f.deps, undefined)).toEqual({ ok: false, reason: 'role' });
  });

  it('starts a practice of a topic: five questions, the first on screen with buttons naming the attempt and position', () => {
    const f = quizFixture();
    const me = f.actor('王小明');
    const topics = topicChoices(f.deps, me);
    if (!topics.ok) throw new Error(topics.reason);
    const first = actionsOf(topics.value)[0];
    expect(first.op).toBe('quiz:topic');
    const r = practise(f.deps, me, { topic: String(first.args[0]) });
    if (!r.ok || !r.value.attemptId) throw new Error('no sitting');
    const a = attemptById(f.db, r.value.attemptId)!;
    expect(a).toMatchObject({ personId: me.personId, kind: 'practice', position: 0 });
    expect(a.questions).toHaveLength(PRACTICE_COUNT);
    expect(lineWith(r.value.view, 'quizbot.header')?.params).toMatchObject({ n: 1, total: PRACTICE_COUNT });
    const q = questionVersion(f.db, a.questions[0])!;
    // buttons carry the option's index, in the order this sitting shows the options
    expect(actionIds(r.value.view).slice(0, q.options.length)).toEqual(optionOrder(q, a.id).map((i) => `quiz:answer:${a.id}:0:${i}`));
  });

  it('a level, or a topic no longer in the catalogue, or garbage: practice or stale', () => {
    const f = quizFixture();
    const me = f.actor('李红');
    const levels = levelChoices(f.deps, me);
    if (!levels.ok) throw new Error(levels.reason);
    expect(actionIds(levels.value)).toContain('quiz:level:district');
    expect(practise(f.deps, me, { level: 'district' }).ok).toBe(true);
    expect(practise(f.deps, me, { level: 'galactic' })).toEqual({ ok: false, reason: 'stale' });
    expect(practise(f.deps, me, { topic: topicToken('no such topic') })).toEqual({ ok: false, reason: 'stale' });
    const topic = catalogOf(f.deps).questions[0].topic;
    expect(practise(f.deps, me, { topic: topicToken(topic) }).ok).toBe(true);
  });

  it('weak spots: nothing due says so; a wrong answer comes back after ten minutes, first', () => {
    const f = quizFixture();
    const me = f.actor('王小明');
    const none = practiseWeakSpots(f.deps, me);
    expect(none.ok && none.value.attemptId).toBe(undefined);
    expect(none.ok && keysOf(none.value.view)).toEqual(['quizbot.no_weak']);

    const r = practise(f.deps, me, { level: 'national' });
    if (!r.ok || !r.value.attemptId) throw new Error('no sitting');
    const a = attemptById(f.db, r.value.attemptId)!;
    const q = questionVersion(f.db, a.questions[0])!;
    const wrong = [...q.options.keys()].find((i) => !q.correct.includes(i))!;
    if (q.multi) recordAnswer(f.db, { attemptId: a.id, position: 0, question: q, choices: [wrong], now: f.clock.now });
    else expect(chooseOption(f.deps, me, a.id, 0, wrong).ok).toBe(true);

    f.clock.now += 11 * 60 * 1000;
    const menu = quizMenu(f.deps, me);
    expect(menu.ok && actionsOf(menu.value).find((a) => a.op === 'quiz:weak')?.label).toEqual({ key: 'quizbot.weak_count', params: { count: 1 } });
    const weak = practiseWeakSpots(f.deps, me);
    if (!weak.ok || !weak.value.attemptId) throw new Error('no weak sitting');
    expect(attemptById(f.db, weak.value.attemptId)).toMatchObject({ kind: 'weak', questions: [{ id: q.id, v: q.version }] });
  });
});

describe('a pushed quiz', () => {
  function pushTo(f: ReturnType<typeof quizFixture>, names: string[], deadline: number) {
    const cat = catalogOf(f.deps);
    const questions = cat.questions.filter((q) => !q.multi).slice(0, 2).map((q) => ({ id: q.id, v: q.version }));
    return createPush(f.db, {
      trainerId: f.actor('赵培训').personId,
      questions,
      selection: { by: 'all' },
      audience: { kind: 'all' },
      deadline,
      personIds: names.map((n) => f.actor(n).personId),
      now: f.clock.now,
    });
  }

  it('is listed for its recipients, opened once, resumed, and refused to others', () => {
    const f = quizFixture();
    const pushId = pushTo(f, ['王小明'], f.clock.now + 7 * DAY);
    const wang = f.actor('王小明');
    const menu = quizMenu(f.deps, wang);
    expect(menu.ok && actionIds(menu.value)[0]).toBe(`quiz:push:${pushId}`);
    expect(openPushedQuiz(f.deps, f.actor('李红'), pushId)).toEqual({ ok: false, reason: 'not_yours' });
    expect(openPushedQuiz(f.deps, undefined, pushId)).toEqual({ ok: false, reason: 'not_yours' });
    expect(openPushedQuiz(f.deps, wang, 'x1')).toEqual({ ok: false, reason: 'stale' });
    expect(openPushedQuiz(f.deps, wang, pushId + 1)).toEqual({ ok: false, reason: 'stale' });

    const first = openPushedQuiz(f.deps, wang, String(pushId));
    if (!first.ok || !first.value.attemptId) throw new Error('not opened');
    const again = openPushedQuiz(f.deps, wang, pushId);
    expect(again.ok && again.value.attemptId).toBe(first.value.attemptId);
    expect(keysOf(first.value.view)[0]).toBe('quizbot.header');
  });

  it('after the deadline: closed unless finished (then its score); answers are refused', () => {
    const f = quizFixture();
    const deadline = f.clock.now + DAY;
    const pushId = pushTo(f, ['王小明', '李红'], deadline);
    const wang = f.actor('王小明');
    const li = f.actor('李红');
    const opened = openPushedQuiz(f.deps, wang, pushId);
    if (!opened.ok || !opened.value.attemptId) throw new Error('not opened');
    const attemptId = opened.value.attemptId;
    for (const position of [0, 1]) {
      const a = attemptById(f.db, attemptId)!;
      const q = questionVersion(f.db, a.questions[position])!;
      expect(chooseOption(f.deps, wang, attemptId, position, q.correct[0]).ok).toBe(true);
    }
    const liOpened = openPushedQuiz(f.deps, li, pushId);
    if (!liOpened.ok || !liOpened.value.attemptId) throw new Error('not opened');

    f.clock.now = deadline;
    const done = openPushedQuiz(f.deps, wang, pushId);
    expect(done.ok && lineWith(done.value.view, 'quizbot.finished')?.params).toMatchObject({ correct: 2, total: 2 });
    const closed = openPushedQuiz(f.deps, li, pushId);
    expect(closed.ok && keysOf(closed.value.view)).toEqual(['quizbot.closed']);
    expect(closed.ok && closed.value.attemptId).toBe(undefined);
    expect(chooseOption(f.deps, li, liOpened.value.attemptId, 0, 0)).toEqual({ ok: false, reason: 'closed' });
    expect(attemptById(f.db, liOpened.value.attemptId)?.position).toBe(0);
    const menu = quizMenu(f.deps, li);
    expect(menu.ok && actionIds(menu.value).some((a) => a.startsWith('quiz:push'))).toBe(false);
  });
});

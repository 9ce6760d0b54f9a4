/** 缺什么补什么 for a helper: what they know per level, known only after two right answers on different days, gaps first. */
import { describe, expect, it } from 'vitest';
import { quizFixture, actionIds, lineWith, type QuizFixture } from './quiz-fixture.js';
import { knowledgeView, liveRequirements, masteryFor } from '../../src/app/quiz/knowledge.js';
import { practiseGaps } from '../../src/app/quiz/practice.js';
import { chooseOption, submitChoices } from '../../src/app/quiz/answer.js';
import { catalogOf } from '../../src/app/quiz/catalog.js';
import { attemptById, answerRows, startAttempt } from '../../src/db/quiz-attempt-repo.js';
import { importQuestions, questionVersion } from '../../src/db/quiz-repo.js';
import { masteryOf } from '../../src/core/requirements/index.js';

const DAY = 24 * 3600 * 1000;

/** Answers every question of an attempt through the use cases, right or wrong as asked; returns the question ids. */
function sit(f: QuizFixture, name: string, attemptId: number | undefined, right: boolean): string[] {
  if (attemptId === undefined) throw new Error('no sitting');
  const me = f.actor(name);
  const a = attemptById(f.db, attemptId)!;
  a.questions.forEach((ref, position) => {
    const q = questionVersion(f.db, ref)!;
    const wrong = q.options.findIndex((_, i) => !q.correct.includes(i));
    const picks = right ? (q.multi ? q.correct : [q.correct[0]!]) : [wrong];
    for (const o of picks) {
      const r = chooseOption(f.deps, me, a.id, position, o);
      if (!r.ok) throw new Error(r.reason);
    }
    if (q.multi) {
      const r = submitChoices(f.deps, me, a.id, position);
      if (!r.ok) throw new Error(r.reason);
    }
  });
  return a.questions.map((r) => r.id);
}

/** A one-question sitting of exactly this question (as served now), answered right or wrong. */
function answerAgain(f: QuizFixture, name: string, questionId: string, right: boolean): void {
  const q = catalogOf(f.deps).byId.get(questionId)!;
  const a = startAttempt(f.db, { personId: f.actor(name).personId, kind: 'practice', questions: [{ id: q.id, v: q.version }], now: f.clock.now });
  sit(f, name, a.id, right);
}

describe('我的应知应会', () => {
  it('lists per level what is known out of the requirements in force here; everything starts never asked', () => {
    const f = quizFixture();
    const me = f.actor('王小明');
    const v = knowledgeView(f.deps, me);
    if (!v.ok) throw new Error(v.reason);
    const live = liveRequirements(f.deps);
    const levels = new Set(live.map((l) => l.req.level));
    expect([...levels].sort()).toEqual(['municipal', 'national', 'provincial']);
    // only this district's province and city
    expect(live.filter((l) => l.req.level === 'provincial').every((l) => l.req.region === '安徽省')).toBe(true);
    expect(live.filter((l) => l.req.level === 'municipal').every((l) => l.req.region === '亳州市')).toBe(true);
    expect(lineWith(v.value, 'know.level_line')?.params).toMatchObject({ known: 0 });
    expect(actionIds(v.value)).toEqual(['quiz:gaps']);
    expect(knowledgeView(f.deps, f.actor('孙局长'))).toEqual({ ok: false, reason: 'role' });
  });

  it('known after two right answers on different days, the latest right; practice starts with the gaps', () => {
    const f = quizFixture();
    const me = f.actor('王小明');
    const gaps = practiseGaps(f.deps, me);
    if (!gaps.ok) throw new Error(gaps.reason);
    const asked = sit(f, '王小明', gaps.value.attemptId, true);
    const live = liveRequirements(f.deps);
    const reqOf = new Map(live.flatMap((l) => l.questions.map((q) => [q.id, l.req.id] as const)));
    // every question of the gap practice tests a requirement
    expect(asked.every((id) => reqOf.has(id))).toBe(true);
    const touched = [...new Set(asked.map((id) => reqOf.get(id)!))];
    const mastery = () => masteryFor(f.deps, live, answerRows(f.db, { personId: me.personId }));
    // one day: asked, not yet known
    expect(touched.map((id) => mastery().get(id))).toEqual(touched.map(() => 'learning'));

    // the same questions again the same day: still not known (spacing)
    f.clock.now += 3600_000;
    for (const id of asked) answerAgain(f, '王小明', id, true);
    expect(touched.map((id) => mastery().get(id))).toEqual(touched.map(() => 'learning'));

    // the next day: known
    f.clock.now += DAY;
    for (const id of asked) answerAgain(f, '王小明', id, true);
    expect(touched.map((id) => mastery().get(id))).toEqual(touched.map(() => 'known'));

    // gap practice now leaves them out; level practice puts the unknown first
    const next = practiseGaps(f.deps, me);
    if (!next.ok || next.value.attemptId === undefined) throw new Error('no sitting');
    const nextIds = attemptById(f.db, next.value.attemptId)!.questions.map((r) => r.id);
    expect(nextIds.filter((id) => touched.includes(reqOf.get(id)!))).toEqual([]);

    // a wrong answer later: not known any more
    f.clock.now += DAY;
    answerAgain(f, '王小明', asked[0]!, false);
    expect(mastery().get(reqOf.get(asked[0]!)!)).toBe('learning');
  });

  it('a requirement whose question was rewritten comes back for everyone', () => {
    const f = quizFixture();
    const me = f.actor('王小明');
    const live = liveRequirements(f.deps);
    const target = live.find((l) => l.req.level === 'municipal')!;
    const q = target.questions[0]!;
    answerAgain(f, '王小明', q.id, true);
    f.clock.now += DAY;
    answerAgain(f, '王小明', q.id, true);
    const mastery = () => masteryFor(f.deps, liveRequirements(f.deps), answerRows(f.db, { personId: me.personId })).get(target.req.id);
    if (target.questions.length === 1) expect(mastery()).toBe('known');
    // a new document changes the clause: the question is published as its next version
    importQuestions(f.db, [{ ...q, text: { zh: `${q.text.zh}（新规）`, en: `${q.text.en} (new rule)` } }], f.clock.now);
    expect(catalogOf(f.deps).byId.get(q.id)?.version).toBe(q.version + 1);
    expect(mastery()).toBe('learning');
  });

  it('a replaced clause leaves; its successor is never asked yet', () => {
    const f = quizFixture();
    f.clock.now = Date.parse('2021-06-01T02:00:00Z');
    const ids = liveRequirements(f.deps).map((l) => l.req);
    expect(ids.some((r) => r.document.id === 'cn-2015-01')).toBe(false);
    expect(ids.some((r) => r.document.id === 'cn-2021-02')).toBe(true);
  });
});

describe('masteryOf', () => {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const qs = [{ id: 'A', version: 2 }];
  const at = (d: number, h = 0) => Date.UTC(2018, 0, d, h);
  it.each([
    ['never asked', [], 'never'],
    ['right once', [{ questionId: 'A', questionVersion: 2, correct: true, at: at(1) }], 'learning'],
    ['right twice the same day', [{ questionId: 'A', questionVersion: 2, correct: true, at: at(1, 1) }, { questionId: 'A', questionVersion: 2, correct: true, at: at(1, 5) }], 'learning'],
    ['right on two days', [{ questionId: 'A', questionVersion: 2, correct: true, at: at(1) }, { questionId: 'A', questionVersion: 2, correct: true, at: at(3) }], 'known'],
    ['right on two days, then wrong', [{ questionId: 'A', questionVersion: 2, correct: true, at: at(1) }, { questionId: 'A', questionVersion: 2, correct: true, at: at(3) }, { questionId: 'A', questionVersion: 2, correct: false, at: at(4) }], 'learning'],
    ['right on two days, an older version', [{ questionId: 'A', questionVersion: 1, correct: true, at: at(1) }, { questionId: 'A', questionVersion: 1, correct: true, at: at(3) }], 'learning'],
  ] as const)('%s', (_n, answers, expected) => {
    expect(masteryOf(qs, answers, day)).toBe(expected);
  });
});

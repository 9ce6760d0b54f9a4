/**
 * Questions carry the period of their rule: given only while in force (effectiveDate to retiredDate), kept for
 * history when retired. The campaign's retired questions (its poverty line, exit, identification, microcredit) are
 * not given in 2026, today's bank (transition.yaml) is not given in 2017, and a retired question a helper missed
 * does not come back as a weak spot, while the answers given to it stay readable.
 */
import { describe, expect, it } from 'vitest';
import { quizFixture } from './quiz-fixture.js';
import { practise, practiseWeakSpots } from '../../src/app/quiz/practice.js';
import { allQuestionsOf, catalogOf } from '../../src/app/quiz/catalog.js';
import { attemptById, recordAnswer, startAttempt } from '../../src/db/quiz-attempt-repo.js';
import { questionVersion } from '../../src/db/quiz-repo.js';
import { assembleQuiz, inForce } from '../../src/core/quiz/index.js';

const ids = (f: ReturnType<typeof quizFixture>) => new Set(catalogOf(f.deps).questions.map((q) => q.id));

describe('questions by period', () => {
  it('inForce: from the effective date to the retired date, both included', () => {
    const q = { effectiveDate: '2017-11-02', retiredDate: '2020-12-31' };
    expect([inForce(q, '2017-11-01'), inForce(q, '2017-11-02'), inForce(q, '2020-12-31'), inForce(q, '2021-01-01')]).toEqual([false, true, true, false]);
    expect(inForce({ effectiveDate: '2021-05-16' }, '2099-01-01')).toBe(true);
  });

  it('in 2017 the campaign\'s questions are given and today\'s are not; in 2026 the reverse for retired rules', () => {
    const f = quizFixture();
    const in2017 = ids(f);
    expect(in2017.has('N04')).toBe(true);
    expect(in2017.has('N27')).toBe(true);
    expect([...in2017].some((id) => id.startsWith('R21-'))).toBe(false);

    f.clock.now = Date.parse('2026-11-30T02:00:00Z');
    const in2026 = ids(f);
    for (const retired of ['N04', 'N07', 'N09', 'N12', 'N19', 'N27']) expect(in2026.has(retired)).toBe(false);
    // still true today: the two no-worries, the five batches, the 2021 monitoring and microcredit rules
    for (const live of ['N01', 'N15', 'R21-M01', 'R21-C01', 'R21-A05']) expect(in2026.has(live)).toBe(true);
    // transition-only rules ended with 2025
    expect(in2026.has('R21-T01')).toBe(false);
    // retired questions stay readable by id
    const all = allQuestionsOf(f.deps);
    expect(all.byId.has('N04')).toBe(true);
    expect(catalogOf(f.deps).byId.has('N04')).toBe(false);
    const quiz = assembleQuiz({ questions: [...all.byId.values()] }, { count: 200, seed: 1, onDate: '2026-11-30' });
    expect(quiz.ok && quiz.questions.every((q) => q.retiredDate === undefined || q.retiredDate >= '2026-11-30')).toBe(true);
  });

  it('a practice in 2026 gives only questions in force; a missed retired question is not a weak spot, its answer stays', () => {
    const f = quizFixture();
    const me = f.actor('王小明');
    // in 2017 the helper misses N04 (the campaign's poverty line)
    const n04 = catalogOf(f.deps).byId.get('N04')!;
    const ref = { id: 'N04', v: n04.version };
    const a = startAttempt(f.db, { personId: me.personId, kind: 'practice', questions: [ref], now: f.clock.now });
    const r0 = recordAnswer(f.db, { attemptId: a.id, position: 0, question: n04, choices: [(n04.correct[0] + 1) % 4], now: f.clock.now });
    expect(r0.ok).toBe(true);
    const weak2017 = practiseWeakSpots(f.deps, me);
    if (!weak2017.ok || !weak2017.value.attemptId) throw new Error('N04 should be a weak spot in 2017');
    expect(attemptById(f.db, weak2017.value.attemptId)!.questions.map((q) => q.id)).toContain('N04');

    f.clock.now = Date.parse('2026-11-30T02:00:00Z');
    for (let i = 0; i < 5; i++) {
      const r = practise(f.deps, me, { level: 'national' });
      if (!r.ok || !r.value.attemptId) throw new Error('no sitting');
      const qs = attemptById(f.db, r.value.attemptId)!.questions;
      for (const q of qs) expect(questionVersion(f.db, q)?.retiredDate ?? '9999', q.id).not.toBe('2020-12-31');
      f.clock.now += 60_000;
    }
    const weak = practiseWeakSpots(f.deps, me);
    if (!weak.ok) throw new Error(weak.reason);
    if (weak.value.attemptId) expect(attemptById(f.db, weak.value.attemptId)!.questions.map((q) => q.id)).not.toContain('N04');
    expect(questionVersion(f.db, ref)?.id).toBe('N04');
  });
});

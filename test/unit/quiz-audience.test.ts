import { describe, expect, it } from 'vitest';
import { aggregateResults, checkAudienceCriteria, selectAudience, type AnswerRow, type AudienceCriteria, type HelperRow } from '../../src/core/quiz/index.js';

const helpers: HelperRow[] = [
  { personId: 'h1', unitId: 'u1', townId: 't1' },
  { personId: 'h2', unitId: 'u1', townId: 't2' },
  { personId: 'h3', unitId: 'u2', townId: 't1' },
  { personId: 'h4', unitId: 'u3', townId: 't2' },
  { personId: 'h1', unitId: 'u1', townId: 't1' },
];
const scores = [
  { personId: 'h1', topic: 'exit', pct: 40 },
  { personId: 'h2', topic: 'exit', pct: 80 },
  { personId: 'h3', topic: 'exit', pct: 59.9 },
  { personId: 'h3', topic: 'card', pct: 10 },
];

describe('selectAudience', () => {
  it.each<[string, AudienceCriteria, string[]]>([
    ['by unit', { kind: 'unit', unitId: 'u1' }, ['h1', 'h2']],
    ['by town', { kind: 'town', townId: 't2' }, ['h2', 'h4']],
    ['all, without duplicates', { kind: 'all' }, ['h1', 'h2', 'h3', 'h4']],
    ['below threshold, unscored included', { kind: 'below', topic: 'exit', threshold: 60 }, ['h1', 'h3', 'h4']],
    ['below threshold, unscored excluded', { kind: 'below', topic: 'exit', threshold: 60, includeUnscored: false }, ['h1', 'h3']],
    ['below threshold is strict', { kind: 'below', topic: 'exit', threshold: 40, includeUnscored: false }, []],
    ['below, narrowed to a unit', { kind: 'below', topic: 'exit', threshold: 60, unitId: 'u2' }, ['h3']],
    ['below, narrowed to a town', { kind: 'below', topic: 'card', threshold: 50, townId: 't1' }, ['h1', 'h3']],
    ['unknown unit selects nobody', { kind: 'unit', unitId: 'nope' }, []],
    ['incomplete criteria select nobody', { kind: 'below', topic: 'exit' }, []],
  ])('%s', (_name, criteria, expected) => {
    expect(selectAudience(helpers, scores, criteria)).toEqual(expected);
  });

  it('explains incomplete criteria', () => {
    expect(checkAudienceCriteria({ kind: 'unit' })).toEqual({ key: 'quiz.err.audience_needs_unit' });
    expect(checkAudienceCriteria({ kind: 'town' })).toEqual({ key: 'quiz.err.audience_needs_town' });
    expect(checkAudienceCriteria({ kind: 'below', threshold: 50 })).toEqual({ key: 'quiz.err.audience_needs_topic_threshold' });
    expect(checkAudienceCriteria({ kind: 'all' })).toBeNull();
  });

  it('selects among 10,000 helpers (how fast: audience TARGETs of npm run bench)', () => {
    const many: HelperRow[] = Array.from({ length: 10_000 }, (_, i) => ({ personId: `p${i}`, unitId: `u${i % 50}`, townId: `t${i % 7}` }));
    const manyScores = many.map((h, i) => ({ personId: h.personId, topic: 'exit', pct: i % 100 }));
    const byUnit = selectAudience(many, manyScores, { kind: 'unit', unitId: 'u7' });
    const weak = selectAudience(many, manyScores, { kind: 'below', topic: 'exit', threshold: 30 });
    expect(byUnit).toHaveLength(200);
    expect(weak).toHaveLength(3000);
  });
});

describe('aggregateResults', () => {
  const row = (personId: string, questionId: string, correct: boolean, at: number, extra: Partial<AnswerRow> = {}): AnswerRow => ({
    personId, questionId, questionVersion: 1, choices: [0], correct, ms: 2000, quizId: 'quiz1', at, ...extra,
  });
  const assignees = [
    { personId: 'a', unitId: 'u1' },
    { personId: 'b', unitId: 'u1' },
    { personId: 'c', unitId: 'u2' },
    { personId: 'd', unitId: 'u2' },
  ];
  const answers: AnswerRow[] = [
    row('a', 'q1', true, 1), row('a', 'q2', true, 2),
    row('b', 'q1', false, 3), row('b', 'q2', true, 4), row('b', 'q1', true, 9), // retry ignored: first answer counts
    row('c', 'q1', false, 5), // incomplete
    row('d', 'q1', true, 6), row('d', 'q2', false, 7, { questionVersion: 2 }),
    row('x', 'q1', false, 8), // not an assignee
    row('a', 'q1', false, 10, { quizId: 'other' }), // other quiz
    row('a', 'q1', false, 11, { quizId: null }), // practice
  ];

  it('computes completion, mean score, per unit and most-missed by version', () => {
    const r = aggregateResults({ quizId: 'quiz1', questionIds: ['q1', 'q2'], assignees, answers });
    expect([r.assigned, r.completed, r.completionPct]).toEqual([4, 3, 75]);
    expect(r.meanScorePct).toBe(66.7); // a 100, b 50, d 50
    expect(r.perUnit).toEqual([
      { unitId: 'u1', assigned: 2, completed: 2, completionPct: 100, meanScorePct: 75 },
      { unitId: 'u2', assigned: 2, completed: 1, completionPct: 50, meanScorePct: 50 },
    ]);
    expect(r.mostMissed).toEqual([
      { questionId: 'q1', questionVersion: 1, answered: 4, wrong: 2, wrongPct: 50 },
      { questionId: 'q2', questionVersion: 2, answered: 1, wrong: 1, wrongPct: 100 },
    ]);
  });

  it('with no answers: nothing completed, mean score null', () => {
    const r = aggregateResults({ quizId: 'quiz1', questionIds: ['q1'], assignees, answers: [] });
    expect([r.completed, r.completionPct, r.meanScorePct, r.mostMissed.length]).toEqual([0, 0, null, 0]);
  });
});

describe('a gap audience', () => {
  it('takes every helper who does not know the requirement, narrowed by unit or town; needs the requirement', () => {
    const all = selectAudience(helpers, [], { kind: 'gap', requirement: 'R1' }, new Set([helpers[0]!.personId]));
    expect(all).toEqual([...new Set(helpers.map((h) => h.personId))].filter((id) => id !== helpers[0]!.personId));
    const unit = helpers[1]!.unitId;
    const inUnit = selectAudience(helpers, [], { kind: 'gap', requirement: 'R1', unitId: unit });
    expect(inUnit.every((id) => helpers.find((h) => h.personId === id)!.unitId === unit)).toBe(true);
    expect(checkAudienceCriteria({ kind: 'gap' })).toEqual({ key: 'quiz.err.audience_needs_requirement' });
    expect(selectAudience(helpers, [], { kind: 'gap' })).toEqual([]);
  });
});

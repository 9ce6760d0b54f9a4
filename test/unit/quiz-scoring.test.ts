import { describe, expect, it } from 'vitest';
import { assembleQuiz, nextQuestionVersion, questionContentChanged, scoreAnswer, scoreQuiz, sourceForHelpers, type Question } from '../../src/core/quiz/index.js';

function q(id: string, correct: number[], topic = 't1', extra: Partial<Question> = {}): Question {
  return {
    id,
    level: 'national',
    region: 'CN',
    topic,
    text: { zh: `题${id}`, en: `Q${id}` },
    options: [0, 1, 2, 3].map((i) => ({ zh: `选${i}`, en: `opt${i}` })),
    correct,
    multi: correct.length > 1,
    explanation: { zh: '解析', en: 'why' },
    source: 'test',
    effectiveDate: '2017-11-02',
    version: 1,
    ...extra,
  };
}

describe('scoreAnswer', () => {
  const single = q('s', [1]);
  const multi = q('m', [0, 2]);
  it.each([
    ['single right', single, 1, true],
    ['single right as list', single, [1], true],
    ['single wrong', single, 2, false],
    ['single with two picks', single, [1, 2], false],
    ['multi exact', multi, [0, 2], true],
    ['multi exact, other order', multi, [2, 0], true],
    ['multi duplicate picks collapse', multi, [2, 0, 2], true],
    ['multi partial', multi, [0], false],
    ['multi superset', multi, [0, 1, 2], false],
    ['multi none', multi, [], false],
  ] as const)('%s', (_name, question, choice, expected) => {
    const s = scoreAnswer(question, choice as number | number[]);
    expect(s.correct).toBe(expected);
    expect(s.questionId).toBe(question.id);
    expect(s.questionVersion).toBe(question.version);
  });

  it('keeps the version the helper saw', () => {
    expect(scoreAnswer(q('v', [0], 't1', { version: 3 }), 0).questionVersion).toBe(3);
  });
});

describe('scoreQuiz', () => {
  const questions = [q('a', [0]), q('b', [1, 3]), q('c', [2]), q('d', [3])];
  it('counts correct, wrong and unanswered, with a percentage', () => {
    const s = scoreQuiz(questions, new Map<string, number | number[]>([['a', 0], ['b', [3, 1]], ['c', 1]]));
    expect(s.items.map((i) => [i.questionId, i.answered, i.correct])).toEqual([
      ['a', true, true],
      ['b', true, true],
      ['c', true, false],
      ['d', false, false],
    ]);
    expect(s.correctCount).toBe(2);
    expect(s.answered).toBe(3);
    expect(s.total).toBe(4);
    expect(s.pct).toBe(50);
  });
  it('accepts a plain record and rounds to one decimal', () => {
    const s = scoreQuiz(questions.slice(0, 3), { a: 0, b: [1], c: 2 });
    expect(s.pct).toBe(66.7);
  });
  it('an empty quiz scores 0', () => {
    expect(scoreQuiz([], {}).pct).toBe(0);
  });
});

describe('assembleQuiz', () => {
  const bank = {
    questions: [
      ...Array.from({ length: 10 }, (_, i) => q(`a${i}`, [0], 'alpha')),
      ...Array.from({ length: 3 }, (_, i) => q(`b${i}`, [0], 'beta', { level: 'district' })),
      ...Array.from({ length: 5 }, (_, i) => q(`c${i}`, [0], 'gamma')),
    ],
  };

  it('is deterministic for a seed and differs across seeds', () => {
    const one = assembleQuiz(bank, { count: 9, seed: 'push-42' });
    const two = assembleQuiz(bank, { count: 9, seed: 'push-42' });
    const other = assembleQuiz(bank, { count: 9, seed: 'push-43' });
    expect(one.ok && two.ok && other.ok).toBe(true);
    if (!one.ok || !two.ok || !other.ok) return;
    expect(one.questions.map((x) => x.id)).toEqual(two.questions.map((x) => x.id));
    expect(one.questions.map((x) => x.id)).not.toEqual(other.questions.map((x) => x.id));
  });

  it('balances topics: with 9 of 3 topics, each gives 3', () => {
    const r = assembleQuiz(bank, { count: 9, seed: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const perTopic = new Map<string, number>();
    for (const x of r.questions) perTopic.set(x.topic, (perTopic.get(x.topic) ?? 0) + 1);
    expect([...perTopic.values()]).toEqual([3, 3, 3]);
    expect(new Set(r.questions.map((x) => x.id)).size).toBe(9);
  });

  it('fills from larger topics once a small topic is used up', () => {
    const r = assembleQuiz(bank, { count: 15, seed: 7 });
    if (!r.ok) throw new Error('expected ok');
    const count = (t: string) => r.questions.filter((x) => x.topic === t).length;
    expect(count('beta')).toBe(3);
    expect(count('gamma')).toBe(5);
    expect(count('alpha')).toBe(7);
  });

  it('filters by topic and level, caps at the pool size', () => {
    const r = assembleQuiz(bank, { count: 20, seed: 3, level: 'district' });
    if (!r.ok) throw new Error('expected ok');
    expect(r.available).toBe(3);
    expect(r.questions.every((x) => x.level === 'district')).toBe(true);
    const t = assembleQuiz(bank, { count: 2, seed: 3, topic: 'gamma' });
    if (!t.ok) throw new Error('expected ok');
    expect(t.questions.map((x) => x.topic)).toEqual(['gamma', 'gamma']);
  });

  it('uses fixed ids in the given order and rejects unknown ones', () => {
    const r = assembleQuiz(bank, { count: 1, seed: 0, fixedIds: ['c1', 'a0', 'c1'] });
    if (!r.ok) throw new Error('expected ok');
    expect(r.questions.map((x) => x.id)).toEqual(['c1', 'a0']);
    const bad = assembleQuiz(bank, { count: 1, seed: 0, fixedIds: ['a0', 'zz'] });
    expect(bad).toEqual({ ok: false, reason: { key: 'quiz.err.unknown_question_ids', params: { ids: 'zz' } } });
  });

  it('reports an empty pool and a bad count', () => {
    expect(assembleQuiz(bank, { count: 3, seed: 0, topic: 'none' })).toEqual({ ok: false, reason: { key: 'quiz.err.no_matching_questions' } });
    expect(assembleQuiz(bank, { count: 0, seed: 0 }).ok).toBe(false);
  });

  it('leaves out questions not yet in force on the given date', () => {
    const b = { questions: [q('old', [0]), q('new', [0], 't1', { effectiveDate: '2020-01-01' })] };
    const r = assembleQuiz(b, { count: 5, seed: 0, onDate: '2018-01-01' });
    if (!r.ok) throw new Error('expected ok');
    expect(r.questions.map((x) => x.id)).toEqual(['old']);
  });
});

describe('question versions', () => {
  it.each<[string, Partial<Question>, boolean, number]>([
    ['same content, same version', {}, false, 1],
    ['only the source changed', { source: 'new doc' }, false, 1],
    ['same content, higher version given', { version: 4 }, false, 4],
    ['answer changed, version not raised', { correct: [2] }, true, 2],
    ['option text changed', { options: [{ zh: 'x', en: 'x' }, { zh: 'y', en: 'y' }] }, true, 2],
    ['explanation changed, version raised by the author', { explanation: { zh: '新', en: 'new' }, version: 5 }, true, 5],
  ])('%s', (_name, patch, changed, version) => {
    const prev = q('v', [1]);
    const next = { ...prev, ...patch };
    expect(questionContentChanged(prev, next)).toBe(changed);
    expect(nextQuestionVersion(prev, next)).toBe(version);
  });
});

describe('sourceForHelpers', () => {
  it.each([
    ['建村函〔2009〕69号；domain.md §3.3 E [S22]', '建村函〔2009〕69号'],
    ['厅字〔2016〕16号；domain.md §5.3 [S3][S3p]', '厅字〔2016〕16号'],
    ['domain.md §5.1 [GK]', ''],
    ['区2017年脱贫攻坚专题会议讲话（2017-11-02）[SPEECH]', '区2017年脱贫攻坚专题会议讲话（2017-11-02）'],
    ['贫困户登记表指标说明；建档立卡数据核查规则；domain.md §4.2 B [S9][S24]', '贫困户登记表指标说明；建档立卡数据核查规则'],
  ])('%s → %s', (raw, shown) => {
    expect(sourceForHelpers(raw)).toBe(shown);
  });
});

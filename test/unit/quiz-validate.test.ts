import { describe, expect, it } from 'vitest';
import { describeBankError, parseAnswer, validateBank, type BankError } from '../../src/core/quiz/index.js';

const FILE = 'content/quizzes/test.yaml';

function goodQuestion(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    level: 'district',
    region: 'this-district',
    topic: 'visits',
    text: { zh: '至少几次？', en: 'At least how many?' },
    options: [{ zh: '2次', en: '2' }, { zh: '6次', en: '6' }, { zh: '12次', en: '12' }],
    answer: 'B',
    explanation: { zh: '至少6次。', en: 'At least 6.' },
    source: '[SPEECH]',
    effectiveDate: '2017-11-02',
    version: 1,
    ...extra,
  };
}

function bankWith(...questions: unknown[]): Record<string, unknown> {
  return { title: { zh: '测试', en: 'Test' }, topics: { visits: { zh: '入户', en: 'Visits' } }, questions };
}

function errorsOf(raw: unknown): BankError[] {
  const r = validateBank(raw, FILE);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('validateBank', () => {
  it('accepts a good bank and normalises answers and levels', () => {
    const r = validateBank(bankWith(goodQuestion('D1'), goodQuestion('D2', { answer: ['A', 'C'], level: '省级' })), FILE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.bank.id).toBe('test');
    expect(r.bank.questions.map((q) => [q.id, q.level, q.correct, q.multi])).toEqual([
      ['D1', 'district', [1], false],
      ['D2', 'provincial', [0, 2], true],
    ]);
  });

  it('applies file defaults', () => {
    const q = goodQuestion('D1');
    delete q.level; delete q.region; delete q.effectiveDate; delete q.version; delete q.source;
    const r = validateBank({ ...bankWith(q), defaults: { level: 'national', region: 'CN', effectiveDate: '2016-04-01', version: 2, source: 'doc' } }, FILE);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.bank.questions[0]).toMatchObject({ level: 'national', region: 'CN', effectiveDate: '2016-04-01', version: 2, source: 'doc' });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['too few options', { options: [{ zh: '唯一', en: 'only' }], answer: 'A' }, 'options', 'quiz.err.options_count'],
    ['too many options', { options: Array.from({ length: 11 }, (_, i) => ({ zh: `${i}`, en: `${i}` })), answer: 'A' }, 'options', 'quiz.err.options_count'],
    ['answer out of range', { answer: 'D' }, 'answer', 'quiz.err.answer_out_of_range'],
    ['answer index out of range', { answer: [5] }, 'answer', 'quiz.err.answer_out_of_range'],
    ['answer missing', { answer: undefined }, 'answer', 'quiz.err.answer_missing'],
    ['answer not a letter', { answer: '第二个' }, 'answer', 'quiz.err.answer_bad'],
    ['answer repeated', { answer: 'A,A' }, 'answer', 'quiz.err.answer_duplicate'],
    ['several answers on a single-answer question', { answer: 'A,B', multi: false }, 'answer', 'quiz.err.single_has_many'],
    ['missing zh question text', { text: { zh: '', en: 'Only English' } }, 'text.zh', 'quiz.err.missing_zh'],
    ['missing zh option text', { options: [{ zh: 'a', en: 'a' }, { en: 'b' }] }, 'options.1.zh', 'quiz.err.missing_zh'],
    ['missing explanation', { explanation: undefined }, 'explanation.zh', 'quiz.err.missing_zh'],
    ['bad level', { level: '乡级' }, 'level', 'quiz.err.bad_level'],
    ['bad date format', { effectiveDate: '2017/11/02' }, 'effectiveDate', 'quiz.err.bad_date'],
    ['impossible date', { effectiveDate: '2017-02-30' }, 'effectiveDate', 'quiz.err.bad_date'],
    ['bad version', { version: 0 }, 'version', 'quiz.err.bad_version'],
    ['unknown topic', { topic: 'nope' }, 'topic', 'quiz.err.unknown_topic'],
    ['a prototype name is not a topic', { topic: 'constructor' }, 'topic', 'quiz.err.unknown_topic'],
    ['missing source', { source: '' }, 'source', 'quiz.err.missing_field'],
    ['bad id', { id: 'has space' }, 'id', 'quiz.err.bad_id'],
  ])('%s → names file, question and field', (_name, patch, field, key) => {
    const errors = errorsOf(bankWith(goodQuestion('OK1'), goodQuestion('BAD', patch)));
    const e = errors.find((x) => x.field === field && x.message.key === key);
    expect(e, JSON.stringify(errors)).toBeDefined();
    expect(e!.file).toBe(FILE);
    expect(e!.questionId).toBe(patch.id ?? 'BAD');
    expect(e!.index).toBe(1);
    expect(errors.every((x) => x.questionId !== 'OK1')).toBe(true);
  });

  it('reports duplicate ids with the first position', () => {
    const errors = errorsOf(bankWith(goodQuestion('X'), goodQuestion('Y'), goodQuestion('X')));
    expect(errors).toEqual([
      { file: FILE, questionId: 'X', index: 2, field: 'id', message: { key: 'quiz.err.duplicate_id', params: { id: 'X', first: 1 } } },
    ]);
  });

  it('names a question without id by its position', () => {
    const q = goodQuestion('');
    const errors = errorsOf(bankWith(q));
    expect(errors[0]).toMatchObject({ questionId: '#1', field: 'id', message: { key: 'quiz.err.missing_field' } });
  });

  it('reports every problem, not just the first', () => {
    const errors = errorsOf(bankWith(goodQuestion('Z', { level: 'x', effectiveDate: 'soon', answer: 'Q' })));
    expect(errors.map((e) => e.field).sort()).toEqual(['answer', 'effectiveDate', 'level']);
  });

  it('rejects a file without questions and a non-object', () => {
    expect(errorsOf({ questions: [] })[0]).toMatchObject({ file: FILE, field: 'questions', message: { key: 'quiz.err.no_questions' } });
    expect(errorsOf('just text')[0].message.key).toBe('quiz.err.not_object');
  });

  it('describes an error in one line', () => {
    const [e] = errorsOf(bankWith(goodQuestion('Q9', { effectiveDate: 'x' })));
    expect(describeBankError(e)).toBe(`${FILE} Q9 effectiveDate: quiz.err.bad_date {"value":"x"}`);
  });
});

describe('parseAnswer', () => {
  it.each<[unknown, number[]]>([
    ['B', [1]], ['b', [1]], ['A,C', [0, 2]], ['C，A', [0, 2]], ['A、C', [0, 2]], ['AC', [0, 2]], [['D', 'A'], [0, 3]], [2, [2]], [[0, 1], [0, 1]],
  ])('%j → %j', (raw, expected) => {
    expect(parseAnswer(raw, 4)).toEqual({ ok: true, indexes: expected });
  });
});

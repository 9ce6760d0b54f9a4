import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadQuizBanks, loadQuizBanksOrThrow } from '../../src/content/quiz-loader.js';
import { assembleQuiz, scoreQuiz } from '../../src/core/quiz/index.js';

describe('content/quizzes (the shipped banks)', () => {
  const content = loadQuizBanksOrThrow('content/quizzes');

  it('has at least 60 valid questions with unique ids, split in several files', () => {
    expect(content.questions.length).toBeGreaterThanOrEqual(60);
    expect(new Set(content.questions.map((q) => q.id)).size).toBe(content.questions.length);
    expect(content.banks.length).toBeGreaterThanOrEqual(3);
  });

  it('every text is in both Chinese and English', () => {
    const missing: string[] = [];
    for (const q of content.questions) {
      const texts = { text: q.text, explanation: q.explanation, ...Object.fromEntries(q.options.map((o, i) => [`options.${i}`, o])) };
      for (const [field, t] of Object.entries(texts)) {
        if (!t.zh.trim() || !t.en.trim()) missing.push(`${q.id} ${field}`);
      }
    }
    for (const bank of content.banks) {
      if (!bank.title.en) missing.push(`${bank.id} title`);
      for (const [code, t] of Object.entries(bank.topics)) if (!t.zh || !t.en) missing.push(`${bank.id} topic ${code}`);
    }
    expect(missing).toEqual([]);
  });

  it('every question names its source, and national and district levels are both covered', () => {
    expect(content.questions.filter((q) => q.source.length < 3).map((q) => q.id)).toEqual([]);
    const levels = new Set(content.questions.map((q) => q.level));
    expect(levels.has('national') && levels.has('district')).toBe(true);
    expect(content.questions.filter((q) => q.source.includes('SPEECH')).length).toBeGreaterThanOrEqual(15);
  });

  it('has multi-answer questions and card questions', () => {
    expect(content.questions.filter((q) => q.multi).length).toBeGreaterThanOrEqual(3);
    expect(content.questions.filter((q) => q.topic === 'card' || q.topic === 'cross_checks').length).toBeGreaterThanOrEqual(10);
  });

  it('answers are spread over option positions (no "always A")', () => {
    const firstCorrect = new Map<number, number>();
    for (const q of content.questions) firstCorrect.set(q.correct[0], (firstCorrect.get(q.correct[0]) ?? 0) + 1);
    for (const pos of [0, 1, 2, 3]) expect(firstCorrect.get(pos) ?? 0).toBeGreaterThanOrEqual(8);
  });

  it('a 20-question quiz can be assembled from the real bank and scored', () => {
    const r = assembleQuiz(content, { count: 20, seed: 'real' });
    if (!r.ok) throw new Error('expected ok');
    expect(r.questions).toHaveLength(20);
    const perfect = new Map(r.questions.map((q) => [q.id, q.correct]));
    expect(scoreQuiz(r.questions, perfect).pct).toBe(100);
  });
});

describe('loadQuizBanks errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quiz-banks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const q = (id: string, extra = '') => `
  - id: ${id}
    topic: t
    text: { zh: 问题, en: Q }
    options: [{ zh: 甲, en: a }, { zh: 乙, en: b }]
    answer: A
    explanation: { zh: 解析, en: why }${extra}`;
  const head = 'defaults: { level: national, region: CN, effectiveDate: "2017-11-02", version: 1, source: doc }\ntopics: { t: { zh: 题, en: T } }\nquestions:';

  it('names the file for YAML syntax errors, bad questions and ids duplicated across files', () => {
    writeFileSync(join(dir, 'a.yaml'), `${head}${q('X1')}${q('X2')}\n`);
    writeFileSync(join(dir, 'b.yaml'), `${head}${q('X1')}\n`);
    writeFileSync(join(dir, 'c.yaml'), `${head}${q('X3', '\n    level: 乡级')}\n`);
    writeFileSync(join(dir, 'd.yaml'), 'questions: [ {id: : }\n');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const r = loadQuizBanks(dir);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.file, e.questionId, e.field, e.message.key])).toEqual([
      [join(dir, 'c.yaml'), 'X3', 'level', 'quiz.err.bad_level'],
      [join(dir, 'd.yaml'), undefined, '(yaml)', 'quiz.err.yaml'],
      [join(dir, 'b.yaml'), 'X1', 'id', 'quiz.err.duplicate_across_files'],
    ]);
    expect(() => loadQuizBanksOrThrow(dir)).toThrow(/c\.yaml X3 level: quiz\.err\.bad_level/);
  });
});

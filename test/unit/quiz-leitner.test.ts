import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  DEFAULT_SCHEDULE,
  dueQuestions,
  leitnerMove,
  newCard,
  topicScores,
  weakSpots,
  type AnswerRow,
  type LeitnerCard,
} from '../../src/core/quiz/index.js';

const NOW = Date.UTC(2017, 10, 2, 8, 0, 0);
const card = (box: number, extra: Partial<LeitnerCard> = {}): LeitnerCard => ({
  personId: 'p1', questionId: 'Q1', box, due: NOW, lastReviewAt: null, lapses: 0, ...extra,
});

describe('leitnerMove', () => {
  const retry = DEFAULT_SCHEDULE.retryDelayMs;
  it.each([
    // box, correct → new box, due offset
    [1, true, 2, 1 * DAY_MS],
    [2, true, 3, 3 * DAY_MS],
    [3, true, 4, 7 * DAY_MS],
    [4, true, 5, 21 * DAY_MS],
    [5, true, 5, 21 * DAY_MS],
    [1, false, 1, retry],
    [3, false, 1, retry],
    [5, false, 1, retry],
  ])('box %i, correct=%s → box %i, due +%i ms', (box, correct, newBox, offset) => {
    const moved = leitnerMove(card(box, { lapses: 2 }), correct, NOW);
    expect(moved.box).toBe(newBox);
    expect(moved.due).toBe(NOW + offset);
    expect(moved.lastReviewAt).toBe(NOW);
    expect(moved.lapses).toBe(correct ? 2 : 3);
  });

  it('does not mutate the card and keeps who/what', () => {
    const c = card(2);
    const moved = leitnerMove(c, true, NOW);
    expect(c.box).toBe(2);
    expect([moved.personId, moved.questionId]).toEqual(['p1', 'Q1']);
  });

  it('a wrong answer is due again soon, well before a right one', () => {
    const wrong = leitnerMove(card(4), false, NOW);
    expect(wrong.due - NOW).toBeLessThan(DAY_MS);
    expect(dueQuestions([wrong], NOW)).toHaveLength(0);
    expect(dueQuestions([wrong], NOW + DEFAULT_SCHEDULE.retryDelayMs)).toHaveLength(1);
  });

  it('accepts a custom schedule', () => {
    const moved = leitnerMove(card(1), true, NOW, { intervalsDays: [0, 2, 4], retryDelayMs: 0 });
    expect(moved.due).toBe(NOW + 2 * DAY_MS);
    expect(leitnerMove(card(3), true, NOW, { intervalsDays: [0, 2, 4], retryDelayMs: 0 }).box).toBe(3);
  });

  it('a new card is in box 1 and due now', () => {
    expect(newCard('p', 'q', NOW)).toEqual({ personId: 'p', questionId: 'q', box: 1, due: NOW, lastReviewAt: null, lapses: 0 });
  });
});

describe('dueQuestions', () => {
  it('returns due cards, most overdue first, then the lower box', () => {
    const cards = [
      card(3, { questionId: 'later', due: NOW + 1 }),
      card(2, { questionId: 'b2', due: NOW - 1000 }),
      card(1, { questionId: 'b1', due: NOW - 1000 }),
      card(4, { questionId: 'oldest', due: NOW - 5 * DAY_MS }),
    ];
    expect(dueQuestions(cards, NOW).map((c) => c.questionId)).toEqual(['oldest', 'b1', 'b2']);
  });
});

const ans = (questionId: string, correct: boolean, at: number, personId = 'p1'): AnswerRow => ({
  personId, questionId, questionVersion: 1, choices: [0], correct, ms: 1000, quizId: null, at,
});

describe('weakSpots', () => {
  it('serves due cards first, then the most-missed questions, skipping mastered ones', () => {
    const cards = [
      card(1, { questionId: 'due1', due: NOW - 10 }),
      card(2, { questionId: 'notdue', due: NOW + DAY_MS }),
      card(5, { questionId: 'mastered', due: NOW + 20 * DAY_MS }),
    ];
    const answers = [
      ans('due1', false, NOW - 100),
      ans('notdue', false, NOW - 50), ans('notdue', true, NOW - 40),
      ans('always', false, NOW - 30), ans('always', false, NOW - 20),
      ans('mastered', false, NOW - 10),
      ans('fine', true, NOW - 5),
    ];
    expect(weakSpots({ cards, answers }, NOW, 10)).toEqual(['due1', 'always', 'notdue']);
    expect(weakSpots({ cards, answers }, NOW, 2)).toEqual(['due1', 'always']);
    expect(weakSpots({ cards }, NOW, 10)).toEqual(['due1']);
  });
});

describe('topicScores', () => {
  it('uses the latest answer per question and groups by person and topic', () => {
    const topicOf = new Map([['q1', 'exit'], ['q2', 'exit'], ['q3', 'card']]);
    const rows = [
      ans('q1', false, 1), ans('q1', true, 2), ans('q2', false, 3), ans('q3', true, 4),
      ans('q1', false, 5, 'p2'), ans('unknown', true, 6),
    ];
    const scores = topicScores(rows, topicOf).sort((a, b) => (a.personId + a.topic).localeCompare(b.personId + b.topic));
    expect(scores).toEqual([
      { personId: 'p1', topic: 'card', pct: 100, answered: 1 },
      { personId: 'p1', topic: 'exit', pct: 50, answered: 2 },
      { personId: 'p2', topic: 'exit', pct: 0, answered: 1 },
    ]);
  });
});

import { percent } from './scoring.js';
import { dueQuestions } from './leitner.js';
import type { AnswerRow, LeitnerCard } from './types.js';

/**
 * Picks up to `count` question ids for "my weak spots" for one helper:
 * 1. cards due now (most overdue, lowest box first);
 * 2. then questions answered wrong at least once, by share of wrong answers (highest first), then most recent
 *    wrong answer first, skipping those already chosen and those in the top box (already mastered).
 */
export function weakSpots(
  input: { cards: readonly LeitnerCard[]; answers?: readonly AnswerRow[] },
  now: number,
  count: number,
): string[] {
  const chosen: string[] = [];
  const taken = new Set<string>();
  for (const c of dueQuestions(input.cards, now)) {
    if (chosen.length >= count) return chosen;
    if (!taken.has(c.questionId)) {
      taken.add(c.questionId);
      chosen.push(c.questionId);
    }
  }
  if (!input.answers || chosen.length >= count) return chosen;

  const mastered = new Set(input.cards.filter((c) => c.box >= 5).map((c) => c.questionId));
  const stats = new Map<string, { wrong: number; total: number; lastWrong: number }>();
  for (const a of input.answers) {
    const s = stats.get(a.questionId) ?? { wrong: 0, total: 0, lastWrong: 0 };
    s.total++;
    if (!a.correct) {
      s.wrong++;
      s.lastWrong = Math.max(s.lastWrong, a.at);
    }
    stats.set(a.questionId, s);
  }
  const ranked = [...stats.entries()]
    .filter(([id, s]) => s.wrong > 0 && !taken.has(id) && !mastered.has(id))
    .sort(([, a], [, b]) => b.wrong / b.total - a.wrong / a.total || b.lastWrong - a.lastWrong);
  for (const [id] of ranked) {
    if (chosen.length >= count) break;
    chosen.push(id);
  }
  return chosen;
}

/** A helper's score on one topic. */
export interface TopicScore {
  personId: string;
  topic: string;
  /** Percentage of correct answers, one decimal. */
  pct: number;
  answered: number;
}

/**
 * Per-helper, per-topic scores from answer rows; only each helper's latest answer to each question counts,
 * so practising a wrong answer until it is right raises the score. Answers to unknown questions are skipped.
 */
export function topicScores(answers: readonly AnswerRow[], topicOf: ReadonlyMap<string, string>): TopicScore[] {
  const latest = new Map<string, AnswerRow>();
  for (const a of answers) {
    const key = `${a.personId}\u0000${a.questionId}`;
    const prev = latest.get(key);
    if (!prev || a.at >= prev.at) latest.set(key, a);
  }
  const acc = new Map<string, TopicScore & { right: number }>();
  for (const a of latest.values()) {
    const topic = topicOf.get(a.questionId);
    if (topic === undefined) continue;
    const key = `${a.personId}\u0000${topic}`;
    const s = acc.get(key) ?? { personId: a.personId, topic, pct: 0, answered: 0, right: 0 };
    s.answered++;
    if (a.correct) s.right++;
    acc.set(key, s);
  }
  return [...acc.values()].map(({ right, ...s }) => ({ ...s, pct: percent(right, s.answered) }));
}

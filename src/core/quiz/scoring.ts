import type { Question } from './types.js';

/** Outcome of one answer. */
export interface AnswerScore {
  questionId: string;
  questionVersion: number;
  /** Normalised choices: sorted, distinct. */
  choices: number[];
  correct: boolean;
}

/** Outcome of a quiz: one entry per question, in quiz order. */
export interface QuizScore {
  items: Array<AnswerScore & { answered: boolean }>;
  answered: number;
  correctCount: number;
  total: number;
  /** Correct answers as a percentage of all questions (unanswered count as wrong), 0 when the quiz is empty. */
  pct: number;
}

function normalise(choice: number | readonly number[]): number[] {
  const list = typeof choice === 'number' ? [choice] : [...choice];
  return [...new Set(list)].sort((a, b) => a - b);
}

/**
 * Scores one answer. Single-answer questions are right when the one choice is the correct option;
 * multi-answer questions only on an exact match of the set of correct options (no partial credit).
 */
export function scoreAnswer(question: Pick<Question, 'id' | 'version' | 'correct'>, choice: number | readonly number[]): AnswerScore {
  const choices = normalise(choice);
  const correct =
    choices.length === question.correct.length && choices.every((c, i) => c === question.correct[i]);
  return { questionId: question.id, questionVersion: question.version, choices, correct };
}

/**
 * Scores a whole quiz. `answers` maps question id → the choice(s) given; missing entries are unanswered
 * and count as incorrect. The percentage is rounded to one decimal.
 */
export function scoreQuiz(
  questions: ReadonlyArray<Pick<Question, 'id' | 'version' | 'correct'>>,
  answers: ReadonlyMap<string, number | readonly number[]> | Readonly<Record<string, number | readonly number[]>>,
): QuizScore {
  const get = (id: string): number | readonly number[] | undefined =>
    answers instanceof Map ? answers.get(id) : (answers as Record<string, number | readonly number[]>)[id];
  let correctCount = 0;
  let answered = 0;
  const items = questions.map((q) => {
    const given = get(q.id);
    if (given === undefined) {
      return { questionId: q.id, questionVersion: q.version, choices: [], correct: false, answered: false };
    }
    answered++;
    const s = scoreAnswer(q, given);
    if (s.correct) correctCount++;
    return { ...s, answered: true };
  });
  const total = questions.length;
  return { items, answered, correctCount, total, pct: percent(correctCount, total) };
}

/** `part / whole` as a percentage rounded to one decimal; 0 when `whole` is 0. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

/**
 * A question's source as a helper should see it: the documents it names, without the editors' source ids (such as
 * [S22], [GK1] or [SPEECH], defined in docs/content-sources.md) and without parts that only point to the editors'
 * own notes, as older imported banks may carry. Empty when only ids or notes were given.
 */
export function sourceForHelpers(source: string): string {
  return source
    .split(/[；;]/)
    .map((part) => part.replace(/\[[A-Z]{1,6}\d*p?\]/g, '').trim())
    .filter((part) => part && !/domain\.md/i.test(part))
    .join('；');
}

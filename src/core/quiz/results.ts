import { percent } from './scoring.js';
import type { AnswerRow } from './types.js';

/** Someone a quiz was pushed to. */
export interface Assignee {
  personId: string;
  unitId: string;
}

/** Completion and score figures for a group of assignees. */
export interface GroupResult {
  assigned: number;
  completed: number;
  /** completed / assigned, percent with one decimal. */
  completionPct: number;
  /** Mean score (percent, one decimal) of those who completed; null when nobody did. */
  meanScorePct: number | null;
}

/** A question helpers got wrong, per version they saw. */
export interface MissedQuestion {
  questionId: string;
  questionVersion: number;
  answered: number;
  wrong: number;
  wrongPct: number;
}

/** What a trainer sees for a pushed quiz. */
export interface QuizResults extends GroupResult {
  perUnit: Array<GroupResult & { unitId: string }>;
  mostMissed: MissedQuestion[];
}

/**
 * Aggregates a pushed quiz from answer rows. Only rows of `quizId` from assignees count, and only the first
 * answer of each person to each question of the quiz. A person completed the quiz when they answered every
 * question; their score is correct / number of questions. Most-missed questions are grouped by question and
 * version (an edited question is reported separately), most wrong first, at most `topMissed` of them.
 */
export function aggregateResults(input: {
  quizId: string;
  questionIds: readonly string[];
  assignees: readonly Assignee[];
  answers: readonly AnswerRow[];
  topMissed?: number;
}): QuizResults {
  const inQuiz = new Set(input.questionIds);
  const unitOf = new Map(input.assignees.map((a) => [a.personId, a.unitId]));
  const firstAnswer = new Map<string, AnswerRow>();
  for (const a of input.answers) {
    if (a.quizId !== input.quizId || !inQuiz.has(a.questionId) || !unitOf.has(a.personId)) continue;
    const key = `${a.personId}\u0000${a.questionId}`;
    const prev = firstAnswer.get(key);
    if (!prev || a.at < prev.at) firstAnswer.set(key, a);
  }

  const perPerson = new Map<string, { answered: number; right: number }>();
  const missed = new Map<string, MissedQuestion>();
  for (const a of firstAnswer.values()) {
    const p = perPerson.get(a.personId) ?? { answered: 0, right: 0 };
    p.answered++;
    if (a.correct) p.right++;
    perPerson.set(a.personId, p);
    const mk = `${a.questionId}\u0000${a.questionVersion}`;
    const m = missed.get(mk) ?? { questionId: a.questionId, questionVersion: a.questionVersion, answered: 0, wrong: 0, wrongPct: 0 };
    m.answered++;
    if (!a.correct) m.wrong++;
    missed.set(mk, m);
  }

  const total = inQuiz.size;
  const overall = newAcc();
  const units = new Map<string, ReturnType<typeof newAcc>>();
  for (const a of uniqueAssignees(input.assignees)) {
    const u = units.get(a.unitId) ?? newAcc();
    units.set(a.unitId, u);
    const p = perPerson.get(a.personId);
    const done = total > 0 && p !== undefined && p.answered >= total;
    for (const acc of [overall, u]) {
      acc.assigned++;
      if (done) {
        acc.completed++;
        acc.scoreSum += (p!.right / total) * 100;
      }
    }
  }

  const mostMissed = [...missed.values()]
    .filter((m) => m.wrong > 0)
    .map((m) => ({ ...m, wrongPct: percent(m.wrong, m.answered) }))
    .sort((a, b) => b.wrong - a.wrong || b.wrongPct - a.wrongPct || a.questionId.localeCompare(b.questionId))
    .slice(0, input.topMissed ?? 5);
  const perUnit = [...units.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([unitId, acc]) => ({ unitId, ...finish(acc) }));
  return { ...finish(overall), perUnit, mostMissed };
}

function newAcc(): { assigned: number; completed: number; scoreSum: number } {
  return { assigned: 0, completed: 0, scoreSum: 0 };
}

function finish(acc: { assigned: number; completed: number; scoreSum: number }): GroupResult {
  return {
    assigned: acc.assigned,
    completed: acc.completed,
    completionPct: percent(acc.completed, acc.assigned),
    meanScorePct: acc.completed === 0 ? null : Math.round((acc.scoreSum / acc.completed) * 10) / 10,
  };
}

function uniqueAssignees(list: readonly Assignee[]): Assignee[] {
  const seen = new Set<string>();
  return list.filter((a) => (seen.has(a.personId) ? false : (seen.add(a.personId), true)));
}

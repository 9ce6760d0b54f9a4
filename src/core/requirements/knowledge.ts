/**
 * When a helper has shown they know a requirement: answered right twice, on two different days (a right answer the
 * same day as another proves recall once, not twice), with the latest answer right. Only answers to the versions of
 * its questions now in force count: a requirement whose question was rewritten (its document changed) comes back.
 */

/** known = shown twice, spaced; learning = asked, not yet shown; never = never asked. */
export type Mastery = 'known' | 'learning' | 'never';

/** Right answers needed, each on a different local day. */
export const RIGHT_ANSWERS_TO_KNOW = 2;

export interface MasteryAnswer {
  questionId: string;
  questionVersion: number;
  correct: boolean;
  at: number;
}

/**
 * The mastery of one requirement from one person's answers. `questions` are the requirement's questions in force,
 * with the version now served; `dayOf` gives the local day of an instant (YYYY-MM-DD).
 */
export function masteryOf(questions: readonly { id: string; version: number }[], answers: readonly MasteryAnswer[], dayOf: (ms: number) => string): Mastery {
  const current = new Map(questions.map((q) => [q.id, q.version]));
  const asked = answers.filter((a) => current.has(a.questionId));
  if (asked.length === 0) return 'never';
  const live = asked.filter((a) => current.get(a.questionId) === a.questionVersion).sort((a, b) => a.at - b.at);
  const last = live[live.length - 1];
  if (!last || !last.correct) return 'learning';
  const days = new Set(live.filter((a) => a.correct).map((a) => dayOf(a.at)));
  return days.size >= RIGHT_ANSWERS_TO_KNOW ? 'known' : 'learning';
}

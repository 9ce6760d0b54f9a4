/** Where an attempt stands, as a view: its current question, or the score once every question is answered. */
import { optionOrder, type Question } from '../../core/quiz/index.js';
import { questionVersion } from '../../db/quiz-repo.js';
import type { Attempt } from '../../db/quiz-attempt-repo.js';
import type { AppDeps } from '../deps.js';
import { msg, ViewBuilder, type ChatView } from '../views.js';
import { allQuestionsOf } from './catalog.js';
import { questionView, scoreView } from './views.js';

export function sittingView(deps: AppDeps, a: Attempt): ChatView {
  if (a.finishedAt !== null) return scoreView(a.correctCount, a.questions.length);
  const q = questionVersion(deps.db, a.questions[a.position]);
  // every version a sitting holds is kept; a missing one means a damaged database, not a user's doing
  if (!q) return new ViewBuilder().line(msg('quizbot.none_matching')).build();
  const topic = allQuestionsOf(deps).topicLabel(q.topic);
  return questionView(q, { attemptId: a.id, position: a.position, total: a.questions.length, pending: a.pending, order: orderIn(a, q) }, topic);
}

/** The option order of a question in a sitting: seeded by the attempt, so it comes back reshuffled in the next one. */
export function orderIn(a: Pick<Attempt, 'id'>, q: Question): number[] {
  return optionOrder(q, a.id);
}

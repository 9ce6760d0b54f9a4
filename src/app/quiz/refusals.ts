/** Why a training use case said no, and how that is said (every channel shows the same words). */
import { MAX_DEADLINE_DAYS } from '../../core/quiz/index.js';
import { msg, type Piece } from '../views.js';

export type QuizRefusal =
  /** not a helper or trainer (quizzes), not a trainer (pushes and imports) */
  | 'role'
  /** an old, forged or twice-pressed button: the attempt, step or push has moved on */
  | 'stale'
  /** someone else's attempt or push */
  | 'not_yours'
  /** the pushed quiz's deadline has passed */
  | 'closed'
  /** "submit" on a multi-answer question with nothing ticked */
  | 'pick_first'
  /** a typed answer naming letters the question does not show (or several for a single-answer question) */
  | 'bad_letter'
  /** a typed deadline that is not a date or a number of days */
  | 'bad_deadline'
  /** a typed deadline in the past or too far ahead */
  | 'deadline_range';

const WORDS: Record<QuizRefusal, Piece> = {
  role: msg('refuse.role'),
  stale: msg('refuse.stale'),
  not_yours: msg('refuse.not_yours'),
  closed: msg('quizbot.closed_now'),
  pick_first: msg('quizbot.pick_first'),
  bad_letter: msg('quizbot.bad_letter'),
  bad_deadline: msg('push.bad_deadline'),
  deadline_range: msg('push.deadline_range', { days: MAX_DEADLINE_DAYS }),
};

export function refusalPiece(reason: QuizRefusal): Piece {
  return WORDS[reason];
}

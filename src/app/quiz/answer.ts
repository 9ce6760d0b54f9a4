/**
 * Answering the question on screen: a single-answer question is answered by its option; a multi-answer question
 * ticks options on and off, then is submitted. Each button names the attempt and the position, re-checked here
 * against the person and the attempt's current position (a double tap or an old button finds it moved on). The answer,
 * the Leitner card's move (a wrong answer comes back under "my weak spots" until it is right) and the attempt's
 * advance are one transaction. A pushed quiz takes no answers after its deadline.
 */
import type { Actor } from '../../core/people/roles.js';
import { typedChoice, type Question } from '../../core/quiz/index.js';
import { attemptById, latestOpenAttempt, recordAnswer, setPending, type Attempt } from '../../db/quiz-attempt-repo.js';
import { pushById } from '../../db/quiz-push-repo.js';
import { questionVersion } from '../../db/quiz-repo.js';
import { ok, refuse, type AppDeps, type Result } from '../deps.js';
import { msg, type ChatView, type Piece } from '../views.js';
import { allQuestionsOf, idArg, indexArg } from './catalog.js';
import type { QuizRefusal } from './refusals.js';
import { orderIn, sittingView } from './sitting.js';
import { feedbackView, questionView } from './views.js';

export type AnswerOutcome =
  /** an option of a multi-answer question ticked or unticked: the same question, its buttons redrawn */
  | { kind: 'toggled'; question: ChatView }
  /** answered: a short verdict, the question as answered (replaces it), then the next question or the score */
  | { kind: 'answered'; correct: boolean; verdict: Piece; feedback: ChatView; next: ChatView; finished: boolean };

type Current = { attempt: Attempt; question: Question };

/** The attempt and question a button points at, if it is the actor's and still the one on screen. */
function current(deps: AppDeps, actor: Actor | undefined, attemptArg: string | number, positionArg: string | number): Result<Current, QuizRefusal> {
  const id = idArg(attemptArg);
  const position = indexArg(positionArg);
  const attempt = id ? attemptById(deps.db, id) : undefined;
  if (!attempt || position === undefined) return refuse('stale');
  if (attempt.personId !== actor?.personId) return refuse('not_yours');
  if (attempt.finishedAt !== null || attempt.position !== position) return refuse('stale');
  if (attempt.pushId !== null) {
    const push = pushById(deps.db, attempt.pushId);
    if (!push || deps.now() >= push.deadline) return refuse('closed');
  }
  const question = questionVersion(deps.db, attempt.questions[position]);
  return question ? ok({ attempt, question }) : refuse('stale');
}

/** An option pressed: the answer of a single-answer question, a tick of a multi-answer one. */
export function chooseOption(
  deps: AppDeps,
  actor: Actor | undefined,
  attemptArg: string | number,
  positionArg: string | number,
  optionArg: string | number,
): Result<AnswerOutcome, QuizRefusal> {
  const c = current(deps, actor, attemptArg, positionArg);
  if (!c.ok) return c;
  const { attempt: a, question: q } = c.value;
  const option = indexArg(optionArg);
  if (option === undefined || option >= q.options.length) return refuse('stale');
  if (!q.multi) return answer(deps, a, q, [option]);
  const pending = a.pending.includes(option) ? a.pending.filter((x) => x !== option) : [...a.pending, option].sort((x, y) => x - y);
  if (!setPending(deps.db, a.id, a.position, pending)) return refuse('stale');
  const topic = allQuestionsOf(deps).topicLabel(q.topic);
  return ok({ kind: 'toggled', question: questionView(q, { attemptId: a.id, position: a.position, total: a.questions.length, pending, order: orderIn(a, q) }, topic) });
}

/** A typed answer counts only for a question shown within this long. */
export const TYPED_ANSWER_WINDOW_MS = 24 * 3600 * 1000;

/**
 * A letter typed instead of pressed ("b", "Ｂ"; "A,C" for a multi-answer question), read against the options as the
 * helper's latest open question shows them. Undefined when the text is not an answer to anything on screen (another
 * feature may read it); a refusal when it names letters the question does not show.
 */
export function answerTyped(deps: AppDeps, actor: Actor | undefined, text: string): Result<AnswerOutcome, QuizRefusal> | undefined {
  if (!actor || !/^[\sA-Ja-jＡ-Ｊａ-ｊ,，、;；]{1,30}$/.test(text)) return undefined;
  const a = latestOpenAttempt(deps.db, actor.personId, deps.now() - TYPED_ANSWER_WINDOW_MS);
  if (!a) return undefined;
  const c = current(deps, actor, a.id, a.position);
  if (!c.ok) return c;
  const { question: q } = c.value;
  const choices = typedChoice(text, orderIn(a, q));
  if (!choices || (!q.multi && choices.length !== 1)) return refuse('bad_letter');
  return answer(deps, a, q, choices);
}

/** "Submit" on a multi-answer question: the options ticked so far are the answer. */
export function submitChoices(deps: AppDeps, actor: Actor | undefined, attemptArg: string | number, positionArg: string | number): Result<AnswerOutcome, QuizRefusal> {
  const c = current(deps, actor, attemptArg, positionArg);
  if (!c.ok) return c;
  const { attempt: a, question: q } = c.value;
  if (!q.multi) return refuse('stale');
  if (a.pending.length === 0) return refuse('pick_first');
  return answer(deps, a, q, a.pending);
}

function answer(deps: AppDeps, a: Attempt, q: Question, choices: number[]): Result<AnswerOutcome, QuizRefusal> {
  const out = recordAnswer(deps.db, { attemptId: a.id, position: a.position, question: q, choices, now: deps.now() });
  if (!out.ok) return refuse('stale');
  return ok({
    kind: 'answered',
    correct: out.correct,
    verdict: msg(out.correct ? 'quizbot.right' : 'quizbot.wrong_short'),
    feedback: feedbackView(q, out.choices, out.correct, orderIn(a, q)),
    next: sittingView(deps, out.attempt),
    finished: out.attempt.finishedAt !== null,
  });
}

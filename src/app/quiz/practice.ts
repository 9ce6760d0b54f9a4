/**
 * `/quiz`: the menu (pushed quizzes still open, practice by topic or level, "my weak spots"), and starting a sitting:
 * a practice of a topic or level, the weak spots (Leitner cards due, then the most missed), or a pushed quiz, which is
 * started once per person and resumed where it stopped, and after its deadline only shows a finished score.
 */
import { assembleQuiz, LEVEL_LABELS, LEVELS, weakSpots, type Level, type Question } from '../../core/quiz/index.js';
import type { Actor } from '../../core/people/roles.js';
import { localDateTime } from '../../core/time.js';
import { answerRows, attemptForPush, cardsOf, markShown, startAttempt, type AttemptKind } from '../../db/quiz-attempt-repo.js';
import { isRecipient, openPushesFor, pushById } from '../../db/quiz-push-repo.js';
import type { Catalog, QuestionRef } from '../../db/quiz-repo.js';
import { ok, refuse, type AppDeps, type Result } from '../deps.js';
import { content, msg, ViewBuilder, type ChatView } from '../views.js';
import { catalogOf, idArg, levelsOf, mayQuiz, refOf, topicByToken, topicsOf, topicToken } from './catalog.js';
import { gapQuestions } from './knowledge.js';
import type { QuizRefusal } from './refusals.js';
import { sittingView } from './sitting.js';

/** Questions in a practice or weak-spot sitting. */
export const PRACTICE_COUNT = 5;

/** A sitting begun (or nothing to sit): what to show, and the attempt when there is one. */
export interface Sitting {
  attemptId?: number;
  view: ChatView;
}

const say = (key: 'quizbot.none_matching' | 'quizbot.no_weak'): Sitting => ({ view: new ViewBuilder().line(msg(key)).build() });

export function quizMenu(deps: AppDeps, actor: Actor | undefined): Result<ChatView, QuizRefusal> {
  if (!mayQuiz(actor)) return refuse('role');
  const { db, now, config } = deps;
  const v = new ViewBuilder().line(msg('quizbot.menu'));
  for (const p of openPushesFor(db, actor.personId, now())) {
    v.action(msg('quizbot.push_item', { id: p.id, count: p.questions.length, deadline: localDateTime(p.deadline, config.timezone) }), 'quiz:push', p.id).row();
  }
  // what "my wrong answers" would actually bring, not the raw count of cards (some may no longer be in force)
  const due = waitingWrong(deps, actor.personId, catalogOf(deps)).length;
  v.action(msg('quizbot.by_topic'), 'quiz:topics').action(msg('quizbot.by_level'), 'quiz:levels').row();
  v.action(msg('quizbot.weak_count', { count: due }), 'quiz:weak').row();
  v.action(msg('quizbot.known'), 'quiz:known');
  return ok(v.build());
}

export function topicChoices(deps: AppDeps, actor: Actor | undefined): Result<ChatView, QuizRefusal> {
  if (!mayQuiz(actor)) return refuse('role');
  const cat = catalogOf(deps);
  const v = new ViewBuilder().line(msg('quizbot.pick_topic'));
  for (const topic of topicsOf(cat)) v.action(content(cat.topicLabel(topic)), 'quiz:topic', topicToken(topic)).row();
  return ok(v.build());
}

export function levelChoices(deps: AppDeps, actor: Actor | undefined): Result<ChatView, QuizRefusal> {
  if (!mayQuiz(actor)) return refuse('role');
  const v = new ViewBuilder().line(msg('quizbot.pick_level'));
  for (const l of levelsOf(catalogOf(deps))) v.action(content(LEVEL_LABELS[l]), 'quiz:level', l);
  return ok(v.build());
}

/** Practice of the topic an action's token names, or of a level. */
export function practise(deps: AppDeps, actor: Actor | undefined, by: { topic: string } | { level: string }): Result<Sitting, QuizRefusal> {
  if (!mayQuiz(actor)) return refuse('role');
  const cat = catalogOf(deps);
  let filter: { topic?: string; level?: Level };
  if ('topic' in by) {
    const topic = topicByToken(cat, by.topic);
    if (topic === undefined) return refuse('stale');
    filter = { topic };
  } else {
    if (!(LEVELS as readonly string[]).includes(by.level)) return refuse('stale');
    filter = { level: by.level as Level };
  }
  const questions = gapsFirst(deps, actor, cat, (q) => (filter.topic === undefined || q.topic === filter.topic) && (filter.level === undefined || q.level === filter.level));
  if (questions.length === 0) return ok(say('quizbot.none_matching'));
  return ok(begin(deps, actor, 'practice', questions.map(refOf)));
}

/**
 * Practice starts with the gaps: questions of requirements never asked, then of those not yet known, then the rest
 * of the pool (each group in a seeded, topic-balanced order).
 */
function gapsFirst(deps: AppDeps, actor: Actor, cat: Catalog, wanted: (q: Question) => boolean, onlyGaps = false): Question[] {
  const gaps = gapQuestions(deps, actor.personId, cat);
  const pool = cat.questions.filter(wanted);
  const groups = [pool.filter((q) => gaps.never.has(q.id)), pool.filter((q) => gaps.learning.has(q.id))];
  if (!onlyGaps) groups.push(pool.filter((q) => !gaps.never.has(q.id) && !gaps.learning.has(q.id)));
  const out: Question[] = [];
  for (const questions of groups) {
    if (out.length >= PRACTICE_COUNT || questions.length === 0) continue;
    const picked = assembleQuiz({ questions }, { count: PRACTICE_COUNT - out.length, seed: `${actor.personId}:${deps.now()}` });
    if (picked.ok) out.push(...picked.questions);
  }
  return out;
}

/** "先练没掌握的": a sitting of the requirements this helper does not know yet. */
export function practiseGaps(deps: AppDeps, actor: Actor | undefined): Result<Sitting, QuizRefusal> {
  if (!mayQuiz(actor)) return refuse('role');
  const questions = gapsFirst(deps, actor, catalogOf(deps), () => true, true);
  if (questions.length === 0) return ok({ view: new ViewBuilder().line(msg('know.no_gaps')).build() });
  return ok(begin(deps, actor, 'practice', questions.map(refOf)));
}

/** "My weak spots": Leitner cards due, then the most-missed questions still in the catalogue. */
export function practiseWeakSpots(deps: AppDeps, actor: Actor | undefined): Result<Sitting, QuizRefusal> {
  if (!mayQuiz(actor)) return refuse('role');
  const cat = catalogOf(deps);
  const ids = waitingWrong(deps, actor.personId, cat).slice(0, PRACTICE_COUNT);
  if (ids.length === 0) return ok(say('quizbot.no_weak'));
  return ok(begin(deps, actor, 'weak', ids.map((id) => refOf(cat.byId.get(id)!))));
}

/** The questions "my wrong answers" offers, in order: Leitner cards due, then the most missed, all still in force. */
export function waitingWrong(deps: AppDeps, personId: number, cat: Catalog): string[] {
  const { db, now } = deps;
  return weakSpots({ cards: cardsOf(db, personId), answers: answerRows(db, { personId }) }, now(), Number.MAX_SAFE_INTEGER).filter((id) => cat.byId.has(id));
}

function begin(deps: AppDeps, actor: Actor, kind: AttemptKind, questions: QuestionRef[]): Sitting {
  const attempt = startAttempt(deps.db, { personId: actor.personId, kind, questions, now: deps.now() });
  return { attemptId: attempt.id, view: sittingView(deps, attempt) };
}

/**
 * A pushed quiz from its button: started (once per person) or resumed before the deadline; after it, a finished
 * attempt still shows its score and anything else says the quiz closed. Only its recipients may open it.
 */
export function openPushedQuiz(deps: AppDeps, actor: Actor | undefined, pushArg: string | number): Result<Sitting, QuizRefusal> {
  const { db, now, config } = deps;
  const id = idArg(pushArg);
  const push = id ? pushById(db, id) : undefined;
  if (!push) return refuse('stale');
  if (!actor || !isRecipient(db, push.id, actor.personId)) return refuse('not_yours');
  if (now() >= push.deadline) {
    const done = attemptForPush(db, actor.personId, push.id);
    if (done && done.finishedAt !== null) return ok({ attemptId: done.id, view: sittingView(deps, done) });
    return ok({ view: new ViewBuilder().line(msg('quizbot.closed', { deadline: localDateTime(push.deadline, config.timezone) })).build() });
  }
  const attempt = startAttempt(db, { personId: actor.personId, pushId: push.id, kind: 'push', questions: push.questions, now: now() });
  // time taken is measured from when the question is shown again
  if (attempt.finishedAt === null) markShown(db, attempt.id, now());
  return ok({ attemptId: attempt.id, view: sittingView(deps, attempt) });
}

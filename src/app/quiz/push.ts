/**
 * A trainer's push: which questions (a topic, a level, a bank or all, and how many), who receives them (a unit, a
 * town, everyone, or those scoring low on a topic), the deadline (a button or a typed date), then a confirmation
 * that queues one delivery per recipient. The draft travels with the dialog that holds it; every step re-checks the
 * role, and a button counts only for the run and the step it was drawn for, so an old or forged one changes nothing.
 */
import { aggregateResults, assembleQuiz, DAY_MS, parseDeadline, type Level } from '../../core/quiz/index.js';
import { hasRole, type Actor } from '../../core/people/roles.js';
import { localDateTime } from '../../core/time.js';
import { answerRows } from '../../db/quiz-attempt-repo.js';
import { assigneesOf, createPush, deliveryCounts, notDoneOf, pushById, pushesOfTrainer, unitsAndTowns } from '../../db/quiz-push-repo.js';
import { ok, refuse, type AppDeps, type Result } from '../deps.js';
import { msg, ViewBuilder, type ChatView } from '../views.js';
import { allQuestionsOf, catalogOf, idArg, levelsOf, indexArg, refOf, topicByToken } from './catalog.js';
import { liveRequirements } from './knowledge.js';
import { audienceOf, pushStepView, PUSH_COUNTS, PUSH_DAYS, PUSH_THRESHOLDS, type PushDraft, type PushStep } from './push-draft.js';
import { pushResultsView } from './push-results.js';
import type { QuizRefusal } from './refusals.js';

/** The step each choice belongs to ('no', cancel, is offered at every step). */
const STEP_OF: Record<string, PushStep> = {
  by: 'src', tp: 'topic', lv: 'level', bk: 'bank', rq: 'req', ct: 'count', au: 'aud', un: 'unit', tw: 'town', bt: 'btopic', th: 'thr', dl: 'deadline', ok: 'confirm',
};

const isTrainer = (actor: Actor | undefined): actor is Actor => hasRole(actor, 'trainer');

/** The /push menu: a new push, or the results of the trainer's recent ones. */
export function pushMenu(deps: AppDeps, actor: Actor | undefined): Result<ChatView, QuizRefusal> {
  if (!isTrainer(actor)) return refuse('role');
  const v = new ViewBuilder().line(msg('push.menu')).action(msg('push.new'), 'push:new').row().action(msg('push.coverage'), 'stats:know').row().action(msg('push.load_rules'), 'rules:new').row();
  for (const p of pushesOfTrainer(deps.db, actor.personId)) {
    v.action(msg('push.results_item', { id: p.id, count: p.questions.length, deadline: localDateTime(p.deadline, deps.config.timezone) }), 'push:results', p.id).row();
  }
  return ok(v.build());
}

export function startPush(deps: AppDeps, actor: Actor | undefined, run: string): Result<{ draft: PushDraft; view: ChatView }, QuizRefusal> {
  if (!isTrainer(actor)) return refuse('role');
  const draft: PushDraft = { run, step: 'src', sel: { by: 'all' } };
  return ok({ draft, view: pushStepView(deps, draft) });
}

/** A button of the wizard (its run, the choice and its value), or typed text. */
export type PushInput = { run: string; what: string; value: string } | { text: string };

export type PushOutcome =
  | { kind: 'step'; draft: PushDraft; view: ChatView }
  | { kind: 'cancelled'; view: ChatView }
  | { kind: 'queued'; pushId: number; recipients: number; view: ChatView };

/** One step of the wizard: the next step, the end (cancelled, or queued on confirmation), or why not. */
export function advancePush(deps: AppDeps, actor: Actor | undefined, draft: PushDraft, input: PushInput): Result<PushOutcome, QuizRefusal> {
  if (!isTrainer(actor)) return refuse('role');
  if ('text' in input) {
    if (draft.step !== 'deadline') return refuse('stale');
    const d = parseDeadline(input.text, deps.now(), deps.config.timezone);
    if (!d.ok) return refuse(d.reason === 'unreadable' ? 'bad_deadline' : 'deadline_range');
    return step(deps, { ...draft, deadline: d.at, step: 'confirm' });
  }
  if (input.run !== draft.run) return refuse('stale');
  if (input.what === 'no') return ok({ kind: 'cancelled', view: new ViewBuilder().line(msg('push.cancelled')).build() });
  if (STEP_OF[input.what] !== draft.step) return refuse('stale');
  if (input.what === 'ok') return confirm(deps, actor, draft);
  const next = choose(deps, actor, draft, input.what, input.value);
  return next ? step(deps, next) : refuse('stale');
}

const step = (deps: AppDeps, draft: PushDraft): Result<PushOutcome, QuizRefusal> => ok({ kind: 'step', draft, view: pushStepView(deps, draft) });

const pick = (list: number[], value: string): number | undefined => {
  const n = idArg(value);
  return n !== undefined && list.includes(n) ? n : undefined;
};

/** The draft after a choice, or undefined for a value that is not on offer. */
function choose(deps: AppDeps, actor: Actor, w: PushDraft, what: string, value: string): PushDraft | undefined {
  const cat = catalogOf(deps);
  switch (what) {
    case 'by':
      if (value === 'all') return { ...w, sel: { by: 'all' }, step: 'count' };
      if (value === 'topic' || value === 'level' || value === 'bank' || value === 'req') return { ...w, sel: { by: value }, step: value };
      return undefined;
    case 'tp': {
      const topic = topicByToken(cat, value);
      return topic === undefined ? undefined : { ...w, sel: { by: 'topic', value: topic }, step: 'count' };
    }
    case 'lv':
      return (levelsOf(cat) as string[]).includes(value) ? { ...w, sel: { by: 'level', value }, step: 'count' } : undefined;
    case 'bk': {
      const i = indexArg(value);
      const bank = i === undefined ? undefined : cat.banks[i];
      return bank ? { ...w, sel: { by: 'bank', value: bank.id }, step: 'count' } : undefined;
    }
    case 'rq': {
      // every question of the requirement in force here (at most the largest count)
      const live = liveRequirements(deps, cat).find((l) => l.req.id === value);
      if (!live) return undefined;
      const questions = live.questions.slice(0, Math.max(...PUSH_COUNTS)).map(refOf);
      return { ...w, sel: { by: 'req', value }, count: questions.length, questions, step: 'aud' };
    }
    case 'ct': {
      const count = pick(PUSH_COUNTS, value);
      if (count === undefined) return undefined;
      const pool = w.sel.by === 'bank' ? { questions: cat.questions.filter((q) => cat.bankOf.get(q.id) === w.sel.value) } : cat;
      const picked = assembleQuiz(pool, {
        count,
        topic: w.sel.by === 'topic' ? w.sel.value : undefined,
        level: w.sel.by === 'level' ? (w.sel.value as Level) : undefined,
        seed: `${actor.personId}:${deps.now()}`,
      });
      return picked.ok ? { ...w, count, questions: picked.questions.map(refOf), step: 'aud' } : undefined;
    }
    case 'au':
      if (value === 'all') return { ...w, aud: { kind: 'all' }, step: 'deadline' };
      if (value === 'unit' || value === 'town') return { ...w, step: value };
      if (value === 'below') return { ...w, step: 'btopic' };
      if (value === 'gap' && w.sel.by === 'req' && w.sel.value) return { ...w, aud: { kind: 'gap', requirement: w.sel.value }, step: 'deadline' };
      return undefined;
    case 'un':
    case 'tw': {
      const places = unitsAndTowns(deps.db)[what === 'un' ? 'units' : 'towns'];
      const id = idArg(value);
      if (!places.some((p) => p.id === id)) return undefined;
      return { ...w, aud: what === 'un' ? { kind: 'unit', unitId: String(id) } : { kind: 'town', townId: String(id) }, step: 'deadline' };
    }
    case 'bt': {
      const topic = topicByToken(cat, value);
      return topic === undefined ? undefined : { ...w, aud: { kind: 'below', topic, threshold: 0 }, step: 'thr' };
    }
    case 'th': {
      const threshold = pick(PUSH_THRESHOLDS, value);
      return threshold === undefined || !w.aud ? undefined : { ...w, aud: { ...w.aud, threshold }, step: 'deadline' };
    }
    case 'dl': {
      const days = pick(PUSH_DAYS, value);
      return days === undefined ? undefined : { ...w, deadline: deps.now() + days * DAY_MS, step: 'confirm' };
    }
  }
  return undefined;
}

/** The push and its deliveries, in one transaction; the audience is resolved now, as the summary showed it. */
function confirm(deps: AppDeps, actor: Actor, w: PushDraft): Result<PushOutcome, QuizRefusal> {
  if (!w.aud || !w.questions || w.deadline === undefined) return refuse('stale');
  if (w.deadline <= deps.now()) return refuse('deadline_range');
  const recipients = audienceOf(deps, w.aud);
  if (recipients.length === 0) return refuse('stale');
  const pushId = createPush(deps.db, {
    trainerId: actor.personId,
    questions: w.questions,
    selection: { ...w.sel, count: w.count },
    audience: w.aud,
    deadline: w.deadline,
    personIds: recipients,
    now: deps.now(),
  });
  deps.log.info({ pushId, recipients: recipients.length }, 'quiz pushed');
  const view = new ViewBuilder()
    .line(msg('push.queued', { id: pushId, recipients: recipients.length }))
    .action(msg('push.see_results'), 'push:results', pushId)
    .build();
  return ok({ kind: 'queued', pushId, recipients: recipients.length, view });
}

/** The results of one of the trainer's pushes (an admin may read any): completion, mean score, most missed, per unit. */
export function pushResults(deps: AppDeps, actor: Actor | undefined, pushArg: string | number): Result<ChatView, QuizRefusal> {
  const { db } = deps;
  const id = idArg(pushArg);
  const push = id ? pushById(db, id) : undefined;
  if (!push) return refuse('stale');
  if (push.trainerId !== actor?.personId && !hasRole(actor, 'admin')) return refuse('not_yours');
  const results = aggregateResults({
    quizId: String(push.id),
    questionIds: push.questions.map((q) => q.id),
    assignees: assigneesOf(db, push.id),
    answers: answerRows(db, { pushId: push.id }),
  });
  const { units } = unitsAndTowns(db);
  return ok(
    pushResultsView({
      push,
      results,
      deliveries: deliveryCounts(db, push.id),
      unitNames: new Map(units.map((u) => [String(u.id), u.name])),
      notDone: notDoneOf(db, push.id),
      catalog: allQuestionsOf(deps),
      timezone: deps.config.timezone,
    }),
  );
}

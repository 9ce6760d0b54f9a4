/**
 * A trainer's push: which questions (a topic, a level, a bank or all, and how many), who receives them (a unit, a
 * town, everyone, or those scoring low on a topic), the deadline (a button or a typed date), then a confirmation
 * that queues one delivery per recipient. The draft travels with the dialog that holds it; every step re-checks the
 * role, and a button counts only for the run and the step it was drawn for, so an old or forged one changes nothing.
 */
import {
  aggregateResults,
  assembleQuiz,
  LEVEL_LABELS,
  LEVELS,
  MAX_DEADLINE_DAYS,
  parseDeadline,
  selectAudience,
  topicScores,
  type AudienceCriteria,
  type Level,
} from '../../core/quiz/index.js';
import { DAY_MS } from '../../core/quiz/leitner.js';
import { hasRole, type Actor } from '../../core/people/roles.js';
import { localDateTime } from '../../core/time.js';
import { allAnswerRows, answerRows } from '../../db/quiz-attempt-repo.js';
import { assigneesOf, createPush, deliveryCounts, helperRows, pushById, pushesOfTrainer, unitsAndTowns } from '../../db/quiz-push-repo.js';
import type { Catalog, QuestionRef } from '../../db/quiz-repo.js';
import { ok, refuse, type AppDeps, type Result } from '../deps.js';
import { content, msg, raw, ViewBuilder, type ChatView, type Piece } from '../views.js';
import { catalogOf, idArg, indexArg, refOf, topicByToken, topicsOf, topicToken } from './catalog.js';
import { pushResultsView } from './push-results.js';
import type { QuizRefusal } from './refusals.js';

export type PushStep = 'src' | 'topic' | 'level' | 'bank' | 'count' | 'aud' | 'unit' | 'town' | 'btopic' | 'thr' | 'deadline' | 'confirm';

/** A push being put together (plain JSON: a dialog keeps it across restarts). */
export interface PushDraft {
  /** names this run of the wizard in its buttons: a button of an earlier run is stale */
  run: string;
  step: PushStep;
  sel: { by: 'topic' | 'level' | 'bank' | 'all'; value?: string };
  count?: number;
  aud?: AudienceCriteria;
  questions?: QuestionRef[];
  deadline?: number;
}

const PUSH_COUNTS = [5, 10, 20];
const PUSH_DAYS = [3, 7, 14];
const PUSH_THRESHOLDS = [60, 80];

/** The step each choice belongs to ('no', cancel, is offered at every step). */
const STEP_OF: Record<string, PushStep> = {
  by: 'src', tp: 'topic', lv: 'level', bk: 'bank', ct: 'count', au: 'aud', un: 'unit', tw: 'town', bt: 'btopic', th: 'thr', dl: 'deadline', ok: 'confirm',
};

const isTrainer = (actor: Actor | undefined): actor is Actor => hasRole(actor, 'trainer');

/** The /push menu: a new push, or the results of the trainer's recent ones. */
export function pushMenu(deps: AppDeps, actor: Actor | undefined): Result<ChatView, QuizRefusal> {
  if (!isTrainer(actor)) return refuse('role');
  const v = new ViewBuilder().line(msg('push.menu')).action(msg('push.new'), 'push:new').row();
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
      if (value === 'topic' || value === 'level' || value === 'bank') return { ...w, sel: { by: value }, step: value };
      return undefined;
    case 'tp': {
      const topic = topicByToken(cat, value);
      return topic === undefined ? undefined : { ...w, sel: { by: 'topic', value: topic }, step: 'count' };
    }
    case 'lv':
      return (LEVELS as readonly string[]).includes(value) ? { ...w, sel: { by: 'level', value }, step: 'count' } : undefined;
    case 'bk': {
      const i = indexArg(value);
      const bank = i === undefined ? undefined : cat.banks[i];
      return bank ? { ...w, sel: { by: 'bank', value: bank.id }, step: 'count' } : undefined;
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

/** Person ids the criteria select now. */
function audienceOf(deps: AppDeps, aud: AudienceCriteria, cat: Catalog = catalogOf(deps)): number[] {
  const scores = aud.kind === 'below' ? topicScores(allAnswerRows(deps.db), new Map(cat.questions.map((q) => [q.id, q.topic]))) : [];
  return selectAudience(helperRows(deps.db), scores, aud).map(Number);
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

/** The question and the choices of the draft's step; cancel is offered at every step. */
export function pushStepView(deps: AppDeps, w: PushDraft): ChatView {
  const v = new ViewBuilder();
  const b = (label: Piece, what: string, value: string | number) => v.action(label, 'push:wizard', w.run, what, value);
  const cat = catalogOf(deps);
  switch (w.step) {
    case 'src':
      v.line(msg('push.ask_source'));
      b(msg('push.by_topic'), 'by', 'topic');
      b(msg('push.by_level'), 'by', 'level').row();
      b(msg('push.by_bank'), 'by', 'bank');
      b(msg('push.by_all'), 'by', 'all').row();
      break;
    case 'topic':
    case 'btopic':
      v.line(msg(w.step === 'topic' ? 'push.ask_topic' : 'push.ask_weak_topic'));
      for (const t of topicsOf(cat)) b(content(cat.topicLabel(t)), w.step === 'topic' ? 'tp' : 'bt', topicToken(t)).row();
      break;
    case 'level':
      v.line(msg('push.ask_level'));
      for (const l of LEVELS) b(content(LEVEL_LABELS[l]), 'lv', l);
      v.row();
      break;
    case 'bank':
      v.line(msg('push.ask_bank'));
      cat.banks.forEach((bank, i) => b(content(bank.title), 'bk', i).row());
      break;
    case 'count':
      v.line(msg('push.ask_count'));
      for (const c of PUSH_COUNTS) b(raw(String(c)), 'ct', c);
      v.row();
      break;
    case 'aud':
      v.line(msg('push.ask_audience'));
      b(msg('push.aud_unit'), 'au', 'unit');
      b(msg('push.aud_town'), 'au', 'town').row();
      b(msg('push.aud_all'), 'au', 'all');
      b(msg('push.aud_below'), 'au', 'below').row();
      break;
    case 'unit':
    case 'town': {
      v.line(msg(w.step === 'unit' ? 'push.ask_unit' : 'push.ask_town'));
      const places = unitsAndTowns(deps.db)[w.step === 'unit' ? 'units' : 'towns'];
      for (const p of places) b(raw(p.name), w.step === 'unit' ? 'un' : 'tw', p.id).row();
      break;
    }
    case 'thr':
      v.line(msg('push.ask_threshold'));
      for (const th of PUSH_THRESHOLDS) b(raw(`< ${th}%`), 'th', th);
      v.row();
      break;
    case 'deadline':
      v.line(msg('push.ask_deadline')).line(msg('push.deadline_typed', { days: MAX_DEADLINE_DAYS }));
      for (const d of PUSH_DAYS) b(msg('push.days', { count: d }), 'dl', d);
      v.row();
      break;
    case 'confirm': {
      const recipients = w.aud ? audienceOf(deps, w.aud, cat).length : 0;
      v.line(msg('push.summary', { count: w.questions?.length ?? 0, recipients, deadline: localDateTime(w.deadline ?? 0, deps.config.timezone) }));
      if (recipients > 0) b(msg('push.confirm'), 'ok', 0);
      else v.line(msg('push.nobody'));
      break;
    }
  }
  b(msg('push.cancel'), 'no', 0);
  return v.build();
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
      catalog: catalogOf(deps),
      timezone: deps.config.timezone,
    }),
  );
}

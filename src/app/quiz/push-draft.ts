/**
 * The push wizard's draft and what each of its steps shows: the question, and the choices as actions that name the
 * wizard's run, the choice and its value (see push.ts for how a choice moves the draft on).
 */
import { LEVEL_LABELS, MAX_DEADLINE_DAYS, selectAudience, topicScores, type AudienceCriteria } from '../../core/quiz/index.js';
import { localDate, localDateTime } from '../../core/time.js';
import { allAnswerRows } from '../../db/quiz-attempt-repo.js';
import { helperRows, unitsAndTowns } from '../../db/quiz-push-repo.js';
import type { Catalog, QuestionRef } from '../../db/quiz-repo.js';
import type { AppDeps } from '../deps.js';
import { content, msg, raw, ViewBuilder, type ChatView, type Piece } from '../views.js';
import { catalogOf, levelsOf, topicsOf, topicToken } from './catalog.js';
import { knowledgeMatrix } from './coverage.js';
import { liveRequirements, type LiveRequirement } from './knowledge.js';

export type PushStep = 'src' | 'topic' | 'level' | 'bank' | 'req' | 'count' | 'aud' | 'unit' | 'town' | 'btopic' | 'thr' | 'deadline' | 'confirm';

/** A push being put together (plain JSON: a dialog keeps it across restarts). */
export interface PushDraft {
  /** names this run of the wizard in its buttons: a button of an earlier run is stale */
  run: string;
  step: PushStep;
  sel: { by: 'topic' | 'level' | 'bank' | 'req' | 'all'; value?: string };
  count?: number;
  aud?: AudienceCriteria;
  questions?: QuestionRef[];
  deadline?: number;
}

export const PUSH_COUNTS = [5, 10, 20];
export const PUSH_DAYS = [3, 7, 14];
export const PUSH_THRESHOLDS = [60, 80];

/** Person ids the criteria select now. */
export function audienceOf(deps: AppDeps, aud: AudienceCriteria, cat: Catalog = catalogOf(deps)): number[] {
  const scores = aud.kind === 'below' ? topicScores(allAnswerRows(deps.db), new Map(cat.questions.map((q) => [q.id, q.topic]))) : [];
  return selectAudience(helperRows(deps.db), scores, aud, aud.kind === 'gap' ? knowersOf(deps, aud.requirement ?? '', cat) : undefined).map(Number);
}

/** Helpers (ids as strings) who know a requirement now; an unknown or lapsed requirement is known by nobody. */
function knowersOf(deps: AppDeps, requirement: string, cat: Catalog): Set<string> {
  const live = liveRequirements(deps, cat).filter((l) => l.req.id === requirement);
  const m = knowledgeMatrix(deps, { kind: 'district' }, live);
  return new Set(m.rows.filter((r) => r.cells[0] === 'known').map((r) => String(r.personId)));
}

/** Most requirements listed as buttons when pushing by requirement (least known first). */
export const MAX_REQUIREMENT_BUTTONS = 20;
const SHORT = 18;
const short = (s: string): string => (Array.from(s).length > SHORT ? `${Array.from(s).slice(0, SHORT).join('')}…` : s);

/** The live requirements a trainer may push by, least known in the district first, then the newest. */
export function pushableRequirements(deps: AppDeps, cat: Catalog): LiveRequirement[] {
  const live = liveRequirements(deps, cat);
  const m = knowledgeMatrix(deps, { kind: 'district' }, live);
  const known = live.map((_, i) => m.rows.filter((r) => r.cells[i] === 'known').length);
  // least known first; among equals the newest, which nobody can know yet
  return live
    .map((l, i) => ({ l, k: known[i]! }))
    .sort((a, b) => a.k - b.k || b.l.req.inForceFrom.localeCompare(a.l.req.inForceFrom))
    .slice(0, MAX_REQUIREMENT_BUTTONS)
    .map((x) => x.l);
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
      if (liveRequirements(deps, cat).length > 0) b(msg('push.by_requirement'), 'by', 'req').row();
      break;
    case 'topic':
    case 'btopic':
      v.line(msg(w.step === 'topic' ? 'push.ask_topic' : 'push.ask_weak_topic'));
      for (const t of topicsOf(cat)) b(content(cat.topicLabel(t)), w.step === 'topic' ? 'tp' : 'bt', topicToken(t)).row();
      break;
    case 'level':
      v.line(msg('push.ask_level'));
      // only levels with questions in force here: a level without any could only end in "this button expired"
      for (const l of levelsOf(cat)) b(content(LEVEL_LABELS[l]), 'lv', l);
      v.row();
      break;
    case 'bank':
      v.line(msg('push.ask_bank'));
      cat.banks.forEach((bank, i) => b(content(bank.title), 'bk', i).row());
      break;
    case 'req':
      v.line(msg('push.ask_requirement'));
      for (const { req } of pushableRequirements(deps, cat)) b(content({ zh: `${req.id} ${short(req.text.zh)}`, en: `${req.id} ${short(req.text.en)}` }), 'rq', req.id).row();
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
      if (w.sel.by === 'req') b(msg('push.aud_gap'), 'au', 'gap').row();
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
    case 'deadline': {
      // the typed example is a real deadline: ten days from today
      const [, m, d] = localDate(deps.now() + 10 * 86_400_000, deps.config.timezone).split('-');
      const example = localDate(deps.now() + 10 * 86_400_000, deps.config.timezone);
      v.line(msg('push.ask_deadline')).line(msg('push.deadline_typed', { days: MAX_DEADLINE_DAYS, date: example, month: Number(m), day: Number(d) }));
      for (const n of PUSH_DAYS) b(msg('push.days', { count: n }), 'dl', n);
      v.row();
      break;
    }
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

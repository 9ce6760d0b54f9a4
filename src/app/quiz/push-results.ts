/** A pushed quiz's results as the trainer reads them: completion, mean score, most-missed questions, per unit. */
import type { QuizResults } from '../../core/quiz/index.js';
import { localDateTime } from '../../core/time.js';
import type { NotDone, PushRow } from '../../db/quiz-push-repo.js';
import type { Catalog } from '../../db/quiz-repo.js';
import { msg, raw, ViewBuilder, type ChatView, type Piece } from '../views.js';

/** Characters of a question's text shown beside a most-missed line (per language). */
const SHORT = 30;
const short = (s: string): string => (s.length > SHORT ? `${s.slice(0, SHORT)}…` : s);

export interface PushResultsInput {
  push: PushRow;
  results: QuizResults;
  deliveries: Record<string, number>;
  unitNames: Map<string, string>;
  /** recipients who have not finished, with why */
  notDone: NotDone[];
  catalog: Catalog;
  timezone: string;
}

export function pushResultsView(input: PushResultsInput): ChatView {
  const { push, results: r, deliveries: d } = input;
  const mean = (m: number | null): Piece => (m === null ? msg('push.no_score') : raw(`${m}%`));
  const v = new ViewBuilder()
    .line(msg('push.results_title', { id: push.id, count: push.questions.length, deadline: localDateTime(push.deadline, input.timezone) }))
    .line(msg('push.results_overall', { completed: r.completed, assigned: r.assigned, pct: r.completionPct, mean: mean(r.meanScorePct) }))
    .line(
      msg('push.results_delivery', {
        sent: d.sent ?? 0,
        pending: (d.pending ?? 0) + (d.sending ?? 0),
        failed: (d.failed ?? 0) + (d.unknown ?? 0),
      }),
    );
  if (r.mostMissed.length) {
    v.block().line(msg('push.results_missed'));
    for (const m of r.mostMissed) {
      const q = input.catalog.byId.get(m.questionId);
      const text: Piece = q ? { text: { zh: short(q.text.zh), en: short(q.text.en) } } : raw('');
      v.line(msg('push.results_missed_line', { id: m.questionId, version: m.questionVersion, wrong: m.wrong, answered: m.answered, pct: m.wrongPct, text }));
    }
  }
  v.block().line(msg('push.results_units'));
  for (const u of r.perUnit) {
    const unit = input.unitNames.get(u.unitId);
    v.line(msg('push.results_unit_line', { unit: unit ? raw(unit) : msg('push.no_unit'), completed: u.completed, assigned: u.assigned, pct: u.completionPct, mean: mean(u.meanScorePct) }));
  }
  if (input.notDone.length) {
    v.block().line(msg('push.results_not_done', { count: input.notDone.length }));
    for (const n of input.notDone.slice(0, MAX_NOT_DONE)) {
      v.line(msg('push.results_not_done_line', { name: n.name, unit: n.unit ? raw(n.unit) : msg('push.no_unit'), reason: reasonOf(n, push.questions.length) }));
    }
    if (input.notDone.length > MAX_NOT_DONE) v.line(msg('push.results_not_done_more', { count: input.notDone.length - MAX_NOT_DONE }));
  }
  return v.action(msg('push.refresh'), 'push:results', push.id).build();
}

/** Most recipients named as not done (the rest are counted). */
const MAX_NOT_DONE = 20;

const REASONS = {
  not_signed_in: 'push.why.not_signed_in',
  not_sent: 'push.why.not_sent',
  queued: 'push.why.queued',
  not_opened: 'push.why.not_opened',
} as const;

function reasonOf(n: NotDone, total: number): Piece {
  return n.reason === 'started' ? msg('push.why.started', { answered: n.answered, total }) : msg(REASONS[n.reason]);
}

/** The totals of a stats report as lines (the /stats message and the weekly digest share them). */
import type { StatsReport } from '../../core/stats/index.js';
import { GUARANTEE_ITEMS } from '../../core/visits/guarantees.js';
import { join, msg, raw, type Piece } from '../views.js';

/** Idle helpers named in the totals (the rest are counted). */
export const IDLE_NAMED = 8;

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x)}%`);

/**
 * The totals block. `helperNames` names idle helpers: the report's own labels are those of its groups (town, unit…),
 * whose ids may coincide with helper ids.
 */
export function totalsLines(r: StatsReport, helperNames: ReadonlyMap<number | string, string>): Piece[] {
  const s = r.totals;
  const lines: Piece[] = [
    msg('supervise.households_line', { households: s.households, visits: s.inPersonVisits, target: r.target }),
    msg('supervise.pace_line', { on_pace: s.pace.on_pace, behind: s.pace.behind, overdue: s.pace.overdue }),
    msg('supervise.target_met_line', { target: r.target, count: s.targetMet }),
    msg('supervise.cards_line', { complete: s.cards.complete, total: s.cards.total, households: s.cards.householdsWithComplete }),
    msg('supervise.flags_line', { total: s.openFlags.total, households: s.openFlags.households }),
  ];
  const items = GUARANTEE_ITEMS.flatMap((item) => (s.guarantee.byItem[item] ? [[item, s.guarantee.byItem[item]] as const] : []))
    .sort((a, b) => b[1] - a[1])
    .map(([item, n]) => join([msg(`stats.guarantee.${item}`), raw(` ${n}`)]));
  lines.push(
    s.guarantee.failedItems
      ? msg('supervise.guarantee_line', { items: s.guarantee.failedItems, households: s.guarantee.households, list: join(items, '、') })
      : msg('supervise.guarantee_none'),
  );
  const idle = r.idleHelpers.slice(0, IDLE_NAMED).map((h) => {
    const name = helperNames.get(h.id) ?? String(h.id);
    return h.daysSince === null ? msg('supervise.idle_never', { name }) : msg('supervise.idle_days', { name, days: h.daysSince });
  });
  const idleLine = msg('supervise.idle_line', { days: r.idleDays, idle: s.helpers.idle, total: s.helpers.total });
  lines.push(idle.length ? join([idleLine, raw('：'), join(idle, '、'), raw(r.idleHelpers.length > IDLE_NAMED ? '…' : '')]) : idleLine);
  lines.push(
    s.quiz.assigned
      ? msg('supervise.quiz_line', { completion: pct(s.quiz.completionPct), done: s.quiz.done, assigned: s.quiz.assigned, score: pct(s.quiz.meanScorePct) })
      : msg('supervise.quiz_none'),
  );
  return lines;
}

/**
 * A helper's households with this year's in-person visits against the target, pace and open flags: `/households`,
 * and the morning nudge of households behind or overdue (src/jobs/reminders.ts) judge them the same way.
 */
import { hasRole, type Actor } from '../core/people/roles.js';
import { localDate, localYear } from '../core/time.js';
import { latestDate, paceOfVisits, zonedYearPeriod, type Pacing } from '../core/visits/pacing.js';
import { householdsOfHelper, type HouseholdSummary } from '../db/household-repo.js';
import { inPersonVisitDates, openFlagCounts } from '../db/visits-repo.js';
import { ok, refuse, type AppDeps, type Result } from './deps.js';
import { rulesLine } from './rules-line.js';
import { join, msg, raw, ViewBuilder, type ChatView, type Piece } from './views.js';

export interface HouseholdPace {
  household: HouseholdSummary;
  pacing: Pacing;
  openFlags: number;
}

/** The helper's current households, each with its pace this year. */
export function householdsWithPace(deps: AppDeps, helperId: number): { year: number; target: number; households: HouseholdPace[] } {
  const { db, config, content } = deps;
  const now = deps.now();
  const year = localYear(now, config.timezone);
  const target = content.settings.visits.target;
  const list = householdsOfHelper(db, helperId);
  const ids = list.map((h) => h.id);
  const visits = inPersonVisitDates(db, ids, `${year}-01-01`, `${year + 1}-01-01`);
  const flags = openFlagCounts(db, ids);
  const period = zonedYearPeriod(year, config.timezone);
  const households = list.map((household) => {
    const dates = visits.get(household.id) ?? [];
    const pacing = paceOfVisits({ count: dates.length, lastDate: latestDate(dates) }, period, now, target, config.timezone);
    return { household, pacing, openFlags: flags.get(household.id) ?? 0 };
  });
  return { year, target, households };
}

/** `/households`: the helper's list; refused to anyone who is not a helper. */
export function myHouseholds(deps: AppDeps, actor: Actor | undefined): Result<{ households: HouseholdPace[]; view: ChatView }, 'role'> {
  if (!actor || !hasRole(actor, 'helper')) return refuse('role');
  const { year, target, households } = householdsWithPace(deps, actor.personId);
  if (!households.length) return ok({ households, view: new ViewBuilder().line(msg('households.empty')).build() });
  const v = new ViewBuilder().line(msg('households.title', { year, target }));
  // which period's rules, what households are called, the figure of this year their income is compared with
  const rules = rulesLine(deps, localDate(deps.now(), deps.config.timezone));
  if (rules) v.line(rules);
  for (const h of households) v.block().line(msg('households.line', { code: h.household.code, head: h.household.headName, village: h.household.villageName })).line(paceLine(h, deps.config.timezone));
  return ok({ households, view: v.build() });
}

/** Visits X of target · last visit · next due · pace · flags, on one line that reads well on a phone. */
function paceLine({ pacing: p, openFlags }: HouseholdPace, timeZone: string): Piece {
  const bits: Piece[] = [
    msg('households.visits', { count: p.count, target: p.target }),
    p.lastVisitAt ? msg('households.last', { date: localDate(p.lastVisitAt, timeZone) }) : msg('households.never'),
  ];
  if (p.nextDueAt !== null) bits.push(msg('households.next', { date: localDate(p.nextDueAt, timeZone) }));
  bits.push(msg(`households.pace_${p.pace}`));
  if (openFlags > 0) bits.push(msg('households.flags', { count: openFlags }));
  return join([raw('   '), join(bits, ' · ')]);
}

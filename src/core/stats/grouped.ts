/**
 * The same report as `computeStats`, assembled from figures already summed per group (by SQL over tallies kept as
 * cards are written) instead of one row per household: the household rules of `computeStats` restated as date
 * cut-offs that a query can compare 'YYYY-MM-DD' strings with, and the helpers' and quiz rules applied to the few
 * rows per helper that remain. `computeStats` over the raw rows stays the definition (the tests compare the two).
 */
import { DAY_MS, DEFAULT_VISIT_TARGET, type Period } from '../visits/pacing.js';
import { GUARANTEE_ITEMS, type GuaranteeItem } from '../visits/guarantees.js';
import { DEFAULT_IDLE_DAYS, sortGroups } from './aggregate.js';
import { helperInScope } from './scope.js';
import type { GroupStats, Id, IdleHelper, QuizResultRow, StatsOptions, StatsReport } from './types.js';

/** 'YYYY-MM-DD' plus `n` days (calendar arithmetic, no zone involved). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/**
 * The first date from about `guess` on at which `past` turns false (it must be true for earlier dates and false for
 * later ones: every predicate here compares a date's local midnight with an instant).
 */
function firstDateNot(guess: string, epochOf: (d: string) => number, past: (at: number) => boolean): string {
  let d = addDays(guess, -1);
  while (!past(epochOf(d)) && d > '0000') d = addDays(d, -1);
  while (past(epochOf(d))) d = addDays(d, 1);
  return d;
}

/**
 * A household's pace as `computeStats` judges it (a visit row at its latest in-person date's local midnight, counted
 * when inside the period and not after `now`), restated on dates:
 * - its visits count when `lo <= last < hiEx`, else the household counts as 0 visits and no last visit;
 * - target met when visits >= target; otherwise overdue when `overdueAll`, or without a last visit when
 *   `overdueFromStart`, or when `last < overdueBefore`; otherwise behind when visits are 0 or below `behindBelow`.
 * - a helper is idle with no in-person visit, or their latest before `idleBefore`.
 */
export interface Cutoffs {
  lo: string;
  hiEx: string;
  target: number;
  overdueAll: boolean;
  overdueFromStart: boolean;
  overdueBefore: string;
  behindBelow: number;
  idleBefore: string;
}

export function cutoffs(period: Period, now: number, target: number, idleDays: number, dateOf: (at: number) => string, epochOf: (d: string) => number): Cutoffs {
  const length = period.endAt - period.startAt;
  if (!(length > 0)) throw new RangeError('pacing period must have endAt > startAt');
  if (!(target > 0)) throw new RangeError('visit target must be positive');
  const idealGap = length / target;
  const elapsed = Math.min(1, Math.max(0, (now - period.startAt) / length));
  const idleMs = idleDays * DAY_MS;
  return {
    lo: firstDateNot(dateOf(period.startAt), epochOf, (at) => at < period.startAt),
    hiEx: firstDateNot(dateOf(Math.min(period.endAt - 1, now)), epochOf, (at) => at < period.endAt && at <= now),
    target,
    overdueAll: now >= period.endAt,
    overdueFromStart: now - period.startAt > idealGap,
    overdueBefore: firstDateNot(dateOf(now - idealGap), epochOf, (at) => now - at > idealGap),
    behindBelow: Math.floor(target * elapsed),
    idleBefore: firstDateNot(dateOf(now - idleMs), epochOf, (at) => now - at > idleMs),
  };
}

/** Household figures of one group (or of the whole scope), summed by the query. */
export interface HouseholdSums {
  households: number;
  visits: number;
  /** households by min(visits, target) */
  distribution: number[];
  overdue: number;
  behind: number;
  met: number;
  /** cards of the period (tallied ones and open drafts started in it), complete ones, households with a complete one */
  cards: number;
  complete: number;
  withComplete: number;
  flags: number;
  flagHouseholds: number;
  flagsByKind: Record<string, number>;
  /** failed items by item, households with any */
  failed: Partial<Record<GuaranteeItem, number>>;
  failedHouseholds: number;
}

export function emptySums(target: number): HouseholdSums {
  return {
    households: 0, visits: 0, distribution: new Array<number>(target + 1).fill(0), overdue: 0, behind: 0, met: 0, cards: 0, complete: 0,
    withComplete: 0, flags: 0, flagHouseholds: 0, flagsByKind: {}, failed: {}, failedHouseholds: 0,
  };
}

/** Bit `i` of a failure mask is GUARANTEE_ITEMS[i]. */
export function addMask(s: HouseholdSums, mask: number): void {
  if (!mask) return;
  s.failedHouseholds++;
  GUARANTEE_ITEMS.forEach((item, i) => {
    if (mask & (1 << i)) s.failed[item] = (s.failed[item] ?? 0) + 1;
  });
}

/** A helper of the supervisor's scope with what the report needs of them. */
export interface ScopedHelper {
  id: number;
  unitId: number;
  townId: number;
  /** latest in-person visit, any period ('YYYY-MM-DD'), or null */
  last: string | null;
  /** villages of the report's households they help (in the order met) */
  villages: number[];
}

export interface GroupedInput {
  totals: HouseholdSums;
  groups: Map<Id, HouseholdSums>;
  /** helpers of the supervisor's scope, in id order */
  helpers: ScopedHelper[];
  /** quiz results already limited to the supervisor's scope, in person order */
  quizResults: QuizResultRow[];
}

/** The report from group sums; equal to `computeStats` over the rows the sums were made from. */
export function statsFromGroups(input: GroupedInput, options: StatsOptions & { idleBefore: string; epochOf: (d: string) => number }): StatsReport {
  const { scope, groupBy, period, now } = options;
  const target = options.target ?? DEFAULT_VISIT_TARGET;
  const idleDays = options.idleDays ?? DEFAULT_IDLE_DAYS;
  const labels = options.labels;
  const label = (key: Id) => labels?.get(key) ?? String(key);
  const acc = new Map<Id, Acc>();
  const groupFor = (key: Id): Acc => {
    let g = acc.get(key);
    if (!g) acc.set(key, (g = newAcc(key, label(key), target)));
    return g;
  };
  const totals = accOf(null, labels?.get('') ?? '', input.totals);
  // (made from the sums directly, their arrays and maps taken over: a city by helper has 30,000 groups)
  for (const [key, s] of input.groups) acc.set(key, accOf(key, label(key), s));

  const helpers = input.helpers;
  // each helper's groups by position (undefined: outside the report's scope)
  const groupsOf: (Acc | Acc[] | undefined)[] = new Array(helpers.length);
  const idleHelpers: IdleHelper[] = [];
  const countHelper = (g: Acc, idle: boolean) => {
    g.stats.helpers.total++;
    if (idle) g.stats.helpers.idle++;
  };
  // (no array, spread or map entry per helper or per quiz row: a city has 30,000 of each)
  helpers.forEach((h, j) => {
    if (!helperInScope(h, scope, h.villages.length > 0)) return;
    const gs = groupBy === 'village' ? h.villages.map(groupFor) : groupFor(groupBy === 'unit' ? h.unitId : groupBy === 'town' ? h.townId : h.id);
    groupsOf[j] = gs;
    const idle = h.last === null || h.last < options.idleBefore;
    if (idle) {
      const last = h.last === null ? null : options.epochOf(h.last);
      idleHelpers.push({ id: h.id, label: label(h.id), unitId: h.unitId, lastVisitAt: last, daysSince: last === null ? null : Math.floor((now - last) / DAY_MS) });
    }
    countHelper(totals, idle);
    if (Array.isArray(gs)) for (const g of gs) countHelper(g, idle);
    else countHelper(gs, idle);
  });

  // quiz results: the rule of computeStats, summed in the same order (the mean score is a float sum). Results and
  // helpers are both in id order, so each result's helper is found by walking the two lists together.
  let j = 0;
  for (const r of input.quizResults) {
    while (j < helpers.length && (helpers[j].id as number) < (r.personId as number)) j++;
    const known = j < helpers.length && helpers[j].id === r.personId;
    let gs = known ? groupsOf[j] : undefined;
    if (!gs) {
      if (known) continue;
      if (scope.kind === 'district') gs = groupBy === 'unit' ? groupFor(r.unitId) : [];
      else if (scope.kind === 'unit' && r.unitId === scope.id) gs = groupBy === 'unit' ? groupFor(r.unitId) : [];
      else continue;
    }
    const n = r.count ?? 1;
    addQuizRow(totals, r, n);
    if (Array.isArray(gs)) for (const g of gs) addQuizRow(g, r, n);
    else addQuizRow(gs, r, n);
  }

  const sorted = sortGroups([...acc.values()].map(finish));
  idleHelpers.sort((a, b) => (a.lastVisitAt ?? -Infinity) - (b.lastVisitAt ?? -Infinity));
  return { scope, groupBy, period, now, target, idleDays, totals: finish(totals), groups: sorted, idleHelpers };
}

function addQuizRow(g: Acc, r: QuizResultRow, n: number): void {
  g.stats.quiz.assigned += n;
  if (!r.done) return;
  g.stats.quiz.done += n;
  if (r.scorePct !== null && Number.isFinite(r.scorePct)) {
    g.scoreSum += r.scorePct * n;
    g.scored += n;
  }
}

interface Acc {
  stats: GroupStats;
  scoreSum: number;
  scored: number;
}

function newAcc(key: Id | null, label: string, target: number): Acc {
  return {
    scoreSum: 0,
    scored: 0,
    stats: {
      key, label, households: 0, inPersonVisits: 0, visitDistribution: new Array<number>(target + 1).fill(0),
      pace: { on_pace: 0, behind: 0, overdue: 0 }, targetMet: 0, cards: { total: 0, complete: 0, householdsWithComplete: 0 },
      openFlags: { total: 0, households: 0, byKind: {} }, guarantee: { failedItems: 0, households: 0, byItem: {} },
      helpers: { total: 0, idle: 0 }, quiz: { assigned: 0, done: 0, completionPct: null, meanScorePct: null },
    },
  };
}

/** A group's accumulator from its household sums (which it takes over: they are not used again). */
function accOf(key: Id | null, label: string, x: HouseholdSums): Acc {
  let failedItems = 0;
  for (const item in x.failed) failedItems += x.failed[item as GuaranteeItem] ?? 0;
  return {
    scoreSum: 0,
    scored: 0,
    stats: {
      key, label, households: x.households, inPersonVisits: x.visits, visitDistribution: x.distribution,
      pace: { on_pace: x.households - x.overdue - x.behind, behind: x.behind, overdue: x.overdue }, targetMet: x.met,
      cards: { total: x.cards, complete: x.complete, householdsWithComplete: x.withComplete },
      openFlags: { total: x.flags, households: x.flagHouseholds, byKind: x.flagsByKind },
      guarantee: { failedItems, households: x.failedHouseholds, byItem: x.failed },
      helpers: { total: 0, idle: 0 }, quiz: { assigned: 0, done: 0, completionPct: null, meanScorePct: null },
    },
  };
}

function finish(g: Acc): GroupStats {
  const q = g.stats.quiz;
  q.completionPct = q.assigned ? (q.done * 100) / q.assigned : null;
  q.meanScorePct = g.scored ? g.scoreSum / g.scored : null;
  return g.stats;
}

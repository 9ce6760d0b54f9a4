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

/**
 * The few figures of a group that most groups lack: open flags and failed items (kept per group only when present,
 * a map beside the groups' rows of numbers).
 */
export interface SparseSums {
  flags: number;
  flagHouseholds: number;
  flagsByKind: Record<string, number>;
  /** failed items by item, households with any */
  failed: Partial<Record<GuaranteeItem, number>>;
  failedHouseholds: number;
}

export function emptySparse(): SparseSums {
  return { flags: 0, flagHouseholds: 0, flagsByKind: {}, failed: {}, failedHouseholds: 0 };
}

/** Bit `i` of a failure mask is GUARANTEE_ITEMS[i]. */
export function addMask(s: SparseSums, mask: number): void {
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

/** The household figures of a group's row in {@link SlotInput.acc}, in this order, then the distribution. */
export const ROW = { households: 0, visits: 1, overdue: 2, behind: 3, met: 4, cards: 5, complete: 6, withComplete: 7, distribution: 8 } as const;

/** Numbers per group row for a visit target: the fields of {@link ROW}, the distribution's `target + 1` last. */
export const rowWidth = (target: number): number => 9 + target;

/**
 * The household figures summed per group slot, as rows of numbers: a group is a slot, its key `ids[slot]`; the totals
 * are the row after the last slot (`ids.length`). Numbers, not a record per group: a city by helper has 30,000 groups.
 */
export interface SlotInput {
  /** `rowWidth(target)` numbers per slot and one row more for the totals, laid out as {@link ROW} */
  acc: Int32Array;
  ids: ArrayLike<number>;
  /** the slot of a group key (a helper's unit, town, village or own id; a quiz result's unit); -1 for none */
  slotOf: (key: number) => number;
  /** open flags and failed items of the slots that have any */
  sparse: ReadonlyMap<number, SparseSums>;
  /** helpers of the supervisor's scope, in id order */
  helpers: ScopedHelper[];
  /** quiz results already limited to the supervisor's scope, in person order */
  quizResults: QuizResultRow[];
}

// shared by the groups that have none (most of them; nothing reads a report to change it)
const NO_FLAGS: GroupStats['openFlags'] = Object.freeze({ total: 0, households: 0, byKind: Object.freeze({}) as Record<string, number> });
const NO_FAILURES: GroupStats['guarantee'] = Object.freeze({ failedItems: 0, households: 0, byItem: Object.freeze({}) });
// a helper's own group, and most groups by helper, count one helper
const ONE_ACTIVE: GroupStats['helpers'] = Object.freeze({ total: 1, idle: 0 });
const ONE_IDLE: GroupStats['helpers'] = Object.freeze({ total: 1, idle: 1 });

/**
 * The report from group rows; equal to `computeStats` over the rows the sums were made from. Helpers and quiz results
 * are summed into numbers per slot too, and each group's record made once, whole, at the end (a by-helper report of a
 * city built 30,000 accumulators, then 30,000 records from them).
 */
export function statsFromSlots(input: SlotInput, options: StatsOptions & { idleBefore: string; epochOf: (d: string) => number }): StatsReport {
  const { scope, groupBy, period, now } = options;
  const target = options.target ?? DEFAULT_VISIT_TARGET;
  const idleDays = options.idleDays ?? DEFAULT_IDLE_DAYS;
  const labels = options.labels;
  const label = (key: Id) => labels?.get(key) ?? String(key);
  const { acc, ids, slotOf } = input;
  const TOTALS = ids.length;
  // per slot (the totals' last): helpers and idle ones, quiz assignments, done ones, scored ones and their score sum,
  // and whether a helper or a quiz result made it a group (a group may have no household)
  const n = TOTALS + 1;
  const helperTotal = new Int32Array(n);
  const helperIdle = new Int32Array(n);
  // (counts as Int32Array: read back as small integers, not as boxed doubles in 30,000 records)
  const assigned = new Int32Array(n);
  const done = new Int32Array(n);
  const scored = new Int32Array(n);
  const scoreSum = new Float64Array(n);
  const touched = new Uint8Array(n);

  const helpers = input.helpers;
  // each helper's group slot by position (-1: outside the report's scope; -2: the villages' slots in villageSlots)
  const slotOfHelper = new Int32Array(helpers.length);
  const villageSlots: number[][] = [];
  const idleHelpers: IdleHelper[] = [];
  const countHelper = (slot: number, idle: boolean) => {
    helperTotal[slot]++;
    if (idle) helperIdle[slot]++;
    touched[slot] = 1;
  };
  for (let j = 0; j < helpers.length; j++) {
    const h = helpers[j];
    if (!helperInScope(h, scope, h.villages.length > 0)) {
      slotOfHelper[j] = -1;
      continue;
    }
    const idle = h.last === null || h.last < options.idleBefore;
    if (idle) {
      const last = h.last === null ? null : options.epochOf(h.last);
      idleHelpers.push({ id: h.id, label: label(h.id), unitId: h.unitId, lastVisitAt: last, daysSince: last === null ? null : Math.floor((now - last) / DAY_MS) });
    }
    countHelper(TOTALS, idle);
    if (groupBy === 'village') {
      const slots = h.villages.map(slotOf);
      slotOfHelper[j] = -2;
      villageSlots[j] = slots;
      for (const slot of slots) countHelper(slot, idle);
    } else {
      const slot = slotOf(groupBy === 'unit' ? h.unitId : groupBy === 'town' ? h.townId : h.id);
      slotOfHelper[j] = slot;
      countHelper(slot, idle);
    }
  }

  // quiz results: the rule of computeStats, summed in the same order (the mean score is a float sum). Results and
  // helpers are both in id order, so each result's helper is found by walking the two lists together.
  const addQuiz = (slot: number, r: QuizResultRow, count: number) => {
    touched[slot] = 1;
    assigned[slot] += count;
    if (!r.done) return;
    done[slot] += count;
    if (r.scorePct !== null && Number.isFinite(r.scorePct)) {
      scoreSum[slot] += r.scorePct * count;
      scored[slot] += count;
    }
  };
  let j = 0;
  for (const r of input.quizResults) {
    while (j < helpers.length && (helpers[j].id as number) < (r.personId as number)) j++;
    const known = j < helpers.length && helpers[j].id === r.personId;
    // the result's group slot (-1: none, only the totals; -2: the helper's villages)
    let slot: number;
    if (known) {
      slot = slotOfHelper[j];
      if (slot === -1) continue;
    } else if (scope.kind === 'district' || (scope.kind === 'unit' && r.unitId === scope.id)) {
      slot = groupBy === 'unit' ? slotOf(r.unitId as number) : -1;
    } else continue;
    const count = r.count ?? 1;
    addQuiz(TOTALS, r, count);
    if (slot === -2) for (const v of villageSlots[j]) addQuiz(v, r, count);
    else if (slot >= 0) addQuiz(slot, r, count);
  }

  const F = rowWidth(target);
  const groupOf = (slot: number, key: Id | null, groupLabel: string): GroupStats => {
    const b = slot * F;
    const households = acc[b];
    const distribution = new Array<number>(target + 1);
    for (let k = 0; k <= target; k++) distribution[k] = acc[b + ROW.distribution + k];
    const x = input.sparse.get(slot);
    let failedItems = 0;
    if (x) for (const item in x.failed) failedItems += x.failed[item as GuaranteeItem] ?? 0;
    return {
      key, label: groupLabel, households, inPersonVisits: acc[b + ROW.visits], visitDistribution: distribution,
      pace: { on_pace: households - acc[b + ROW.overdue] - acc[b + ROW.behind], behind: acc[b + ROW.behind], overdue: acc[b + ROW.overdue] },
      targetMet: acc[b + ROW.met],
      cards: { total: acc[b + ROW.cards], complete: acc[b + ROW.complete], householdsWithComplete: acc[b + ROW.withComplete] },
      openFlags: x && x.flags ? { total: x.flags, households: x.flagHouseholds, byKind: x.flagsByKind } : NO_FLAGS,
      guarantee: x && x.failedHouseholds ? { failedItems, households: x.failedHouseholds, byItem: x.failed } : NO_FAILURES,
      helpers: helperTotal[slot] === 1 ? (helperIdle[slot] ? ONE_IDLE : ONE_ACTIVE) : { total: helperTotal[slot], idle: helperIdle[slot] },
      quiz: {
        assigned: assigned[slot], done: done[slot],
        completionPct: assigned[slot] ? (done[slot] * 100) / assigned[slot] : null, meanScorePct: scored[slot] ? scoreSum[slot] / scored[slot] : null,
      },
    };
  };
  const present = (slot: number) => acc[slot * F] > 0 || touched[slot] === 1;
  let groups: GroupStats[] = [];
  const order = slotOrder(ids, labels, label, present);
  if (order) {
    for (let k = 0; k < order.length; k++) if (present(order[k])) groups.push(groupOf(order[k], ids[order[k]], label(ids[order[k]])));
  } else {
    for (let slot = 0; slot < TOTALS; slot++) if (present(slot)) groups.push(groupOf(slot, ids[slot], label(ids[slot])));
    groups = sortGroups(groups);
  }
  idleHelpers.sort((a, b) => (a.lastVisitAt ?? -Infinity) - (b.lastVisitAt ?? -Infinity));
  return { scope, groupBy, period, now, target, idleDays, totals: groupOf(TOTALS, null, labels?.get('') ?? ''), groups, idleHelpers };
}

/** The order of all slots of some group keys under some labels, kept while both are the same objects. */
const orders = new WeakMap<ArrayLike<number>, { labels: ReadonlyMap<Id, string> | undefined; size: number; order: Int32Array }>();

/**
 * Every slot in the groups' order (label collation, then key), or undefined when the report's few groups are better
 * sorted alone. A city by helper has 30,000 groups, the same keys and labels report after report: their order is
 * sorted once and kept for the key list and label map (the snapshot keeps both until the people change; a label map
 * changed in place without changing its size would not be seen).
 */
function slotOrder(ids: ArrayLike<number>, labels: ReadonlyMap<Id, string> | undefined, label: (key: Id) => string, present: (slot: number) => boolean): Int32Array | undefined {
  const kept = orders.get(ids);
  if (kept && kept.labels === labels && kept.size === (labels?.size ?? 0)) return kept.order;
  // sorting every slot is worth it when most are groups (once for all later reports)
  let groups = 0;
  for (let slot = 0; slot < ids.length; slot++) if (present(slot)) groups++;
  if (groups * 2 < ids.length) return undefined;
  const sorted = sortGroups(Array.from({ length: ids.length }, (_, slot) => ({ key: ids[slot], label: label(ids[slot]), slot })));
  const order = Int32Array.from(sorted, (g) => g.slot);
  orders.set(ids, { labels, size: labels?.size ?? 0, order });
  return order;
}

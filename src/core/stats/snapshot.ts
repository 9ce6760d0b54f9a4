/**
 * `/stats` from the snapshot of the district kept in memory (snapshot-data.ts). The db layer loads it once and then
 * refreshes only the households, helpers and pushes that changed (db/stats-snapshot-repo.ts), so a report reads no
 * row: it is one pass over the report's households. The rules are those of `computeStats` restated on dates (see
 * Cutoffs); the tests hold the two equal for every scope, grouping and period.
 */
import type { Scope, SupervisorScope } from '../people/scope.js';
import type { Period } from '../visits/pacing.js';
import { addMask, cutoffs, emptySparse, rowWidth, statsFromSlots, type ScopedHelper, type SparseSums } from './grouped.js';
import { quizResults } from './quiz-results.js';
import { dayNumber, type StatsSnapshot } from './snapshot-data.js';
import type { GroupBy, QuizResultRow, StatsOptions, StatsReport } from './types.js';

export * from './snapshot-data.js';

/** computeStats' options for a supervisor's scope and a part of it, target and idle days given. */
export type SnapshotRequest = Omit<StatsOptions, 'scope' | 'target' | 'idleDays'> & { supervisor: SupervisorScope; scope: Scope; target: number; idleDays: number };

export interface DateFunctions {
  /** local date of an instant */
  dateOf: (at: number) => string;
  /** local midnight of a date */
  epochOf: (date: string) => number;
}

/** The report of one `/stats` page from the snapshot. */
export function snapshotReport(s: StatsSnapshot, req: SnapshotRequest, dates: DateFunctions): StatsReport {
  const { supervisor: sup, scope, groupBy, period, now, target } = req;
  const cut = cutoffs(period, now, target, req.idleDays, dates.dateOf, dates.epochOf);
  const from = dayNumber(dates.dateOf(period.startAt));
  const to = dayNumber(dates.dateOf(period.endAt));
  const lo = dayNumber(cut.lo);
  const hiEx = dayNumber(cut.hiEx);
  const overdueBefore = dayNumber(cut.overdueBefore);
  const { hPairStart, hPairPerson, pUnit, pHelper, pRevoked, pId } = s;
  const n = s.hId.length;

  // people as the report pairs them: a helper not revoked, of the supervisor's unit for a unit supervisor
  const supUnit = sup.kind === 'unit' ? sup.id : -2;
  const paired = new Uint8Array(pId.length);
  for (let p = 0; p < pId.length; p++) paired[p] = pHelper[p] && !pRevoked[p] && (supUnit === -2 || pUnit[p] === supUnit) ? 1 : 0;
  const unitOf = (p: number) => (pUnit[p] < 0 ? 0 : pUnit[p]);

  // the helpers of the supervisor's scope (the scope's helper rule), in id order
  const scoped = new Uint8Array(pId.length);
  const scopedList: number[] = [];
  for (let p = 0; p < pId.length; p++) {
    if (!pHelper[p] || pRevoked[p] || !helperInSupervisorScope(s, sup, p)) continue;
    scoped[p] = 1;
    scopedList.push(p);
  }

  // the report's households: the supervisor's, narrowed to the request's scope
  const mark = ++s.reports;
  const report = new Int32Array(n);
  let reportCount = 0;
  const scopeId = scope.kind === 'district' ? 0 : scope.id;
  const scopePerson = scope.kind === 'helper' ? (s.pIndex.get(scope.id) ?? -1) : -1;
  for (let i = 0; i < n; i++) {
    if (!inSupervisor(s, sup, i)) continue;
    let inside = true;
    if (scope.kind === 'town') inside = s.hTown[i] === scopeId;
    else if (scope.kind === 'village') inside = s.hVillage[i] === scopeId;
    else if (scope.kind === 'unit' || scope.kind === 'helper') {
      inside = false;
      for (let k = hPairStart[i]; k < hPairStart[i + 1] && !inside; k++) {
        const p = hPairPerson[k];
        inside = scope.kind === 'unit' ? paired[p] === 1 && scoped[p] === 1 && unitOf(p) === scopeId : p === scopePerson && paired[p] === 1;
      }
    }
    if (!inside) continue;
    s.mark[i] = mark;
    report[reportCount++] = i;
  }

  const helpers = scopedHelpers(s, sup, scope, groupBy, scopedList, mark);

  // Each household's figures are added to the totals and to each of its groups, held as slots: towns and villages by
  // their slot, units by a slot of this report, helpers by their person index. The sums of a slot are a row of `acc`
  // (Int32Array: no object per group is touched per household); flags and failed items, which few households have,
  // go to SparseSums of their own.
  const unitIds: number[] = [];
  const unitSlot = new Map<number, number>();
  const slotOfUnit = (u: number) => {
    let k = unitSlot.get(u);
    if (k === undefined) unitSlot.set(u, (k = unitIds.push(u) - 1));
    return k;
  };
  // by town, the towns of the households and those of the helpers (a helper's unit may be in a town without them)
  let townIds = s.townIds;
  let townSlot: Map<number, number> | undefined;
  if (groupBy === 'town') {
    townSlot = new Map(s.townIds.map((id, k) => [id, k]));
    for (const h of helpers) {
      if (townSlot.has(h.townId)) continue;
      if (townIds === s.townIds) townIds = [...s.townIds];
      townSlot.set(h.townId, townIds.push(h.townId) - 1);
    }
  }
  let slotCount = 0;
  if (groupBy === 'town') slotCount = townIds.length;
  else if (groupBy === 'village') slotCount = s.villageIds.length;
  else if (groupBy === 'helper') slotCount = pId.length;
  else {
    if (scope.kind === 'unit') slotOfUnit(scope.id);
    for (let p = 0; p < pId.length; p++) slotOfUnit(unitOf(p));
    slotCount = unitIds.length;
  }
  const TOTALS = slotCount;
  // households, visits, overdue, behind, met, cards, complete, with a complete card, distribution (grouped.ts' ROW)
  const F = rowWidth(target);
  const acc = new Int32Array((slotCount + 1) * F);
  const sparse = new Map<number, SparseSums>();
  // the slots of one household: the totals' and its groups' (`slots.length = 0` dropped the array's storage, so every
  // household allocated it again: 15 MB per city report)
  let maxPairs = 0;
  for (let i = 0; i < n; i++) maxPairs = Math.max(maxPairs, hPairStart[i + 1] - hPairStart[i]);
  const slots = new Int32Array(maxPairs + 2);
  let slotCountOf = 0;
  const slotsOf = (i: number): void => {
    slotCountOf = 0;
    slots[slotCountOf++] = TOTALS;
    if (groupBy === 'town') slots[slotCountOf++] = s.hTownSlot[i];
    else if (groupBy === 'village') slots[slotCountOf++] = s.hVillageSlot[i];
    else if (groupBy === 'unit') {
      if (scope.kind === 'unit') slots[slotCountOf++] = slotOfUnit(scope.id);
      else if (scope.kind === 'helper') {
        if (scopePerson >= 0 && scoped[scopePerson]) slots[slotCountOf++] = slotOfUnit(unitOf(scopePerson));
      } else {
        for (let k = hPairStart[i]; k < hPairStart[i + 1]; k++) {
          const p = hPairPerson[k];
          if (!paired[p] || !scoped[p]) continue;
          const u = slotOfUnit(unitOf(p));
          let seen = false;
          for (let k2 = 1; k2 < slotCountOf && !seen; k2++) seen = slots[k2] === u;
          if (!seen) slots[slotCountOf++] = u;
        }
      }
    }
    // by helper, the helpers' rows are added afterwards from each helper's pairings (below)
  };
  // whether a person's pairings give helper groups: every open pairing, kept when among the scope's helpers
  const helperGroup = (p: number) =>
    scope.kind === 'helper' ? p === scopePerson && paired[p] === 1 : scope.kind === 'unit' ? paired[p] === 1 && scoped[p] === 1 && unitOf(p) === scope.id : scoped[p] === 1;

  // (the per-household work in small functions: called 10,000 times in the first report, they are optimised at once,
  // where one long loop in a function called once per report waited for on-stack replacement, and again after each
  // change of path, such as the first household whose tallies changed)
  const t = { cards: 0, visits: 0, last: 0 };
  // each report household's figures, kept by index for the helpers' pass
  const f = scratchOf(s);
  const tallies: Tallies = {
    dStart: s.dStart, dDay: s.dDay, dSums: s.dSums, dLastIn: s.dLastIn, dLatest: s.dLatest, dYearFrom: s.dYearFrom, dYearCards: s.dYearCards, dYearIn: s.dYearIn,
    dIsChanged: s.dIsChanged, dChanged: s.dChanged, dRecentSlot: s.dRecentSlot, dRecentStart: s.dRecentStart, dRecent32: s.dRecent32, dRecent16: s.dRecent16,
  };
  const { hasExtras, extras } = s;
  for (let r = 0; r < reportCount; r++) {
    const i = report[r];
    slotsOf(i);
    // the period's cards and in-person visits, from the day tallies
    tallyOf(tallies, i, from, to, t);
    let { visits, last } = t;
    const cards = t.cards;
    if (!(visits > 0 && last >= lo && last < hiEx)) {
      visits = 0;
      last = 0;
    }
    const x = hasExtras[i] ? extras.get(i)! : undefined;
    let returned = 0;
    let drafts = 0;
    if (x) {
      for (const day of x.returned) if (day >= from && day < to) returned++;
      for (const at of x.drafts) if (at >= period.startAt && at < period.endAt) drafts++;
    }
    const complete = cards - Math.min(returned, cards);
    const bucket = Math.min(visits, target);
    const overdue = cut.overdueAll || (last === 0 ? cut.overdueFromStart : last < overdueBefore);
    const pace = visits >= target ? 0 : overdue ? 2 : visits === 0 || visits < cut.behindBelow ? 1 : 0;
    const fb = SCRATCH * i;
    f[fb] = visits;
    f[fb + 1] = cards + drafts;
    f[fb + 2] = complete;
    f[fb + 3] = pace | (bucket << 2);
    f[fb + 4] = mark | 0;
    f[fb + 5] = x && (x.flags.length || x.mask) ? 1 : 0;
    for (let k = 0; k < slotCountOf; k++) {
      addToSlot(acc, slots[k] * F, visits, pace, bucket === target, cards + drafts, complete, bucket);
      if (!x || (!x.flags.length && !x.mask)) continue;
      let g = sparse.get(slots[k]);
      if (!g) sparse.set(slots[k], (g = emptySparse()));
      if (x.flags.length) {
        g.flags += x.flags.length;
        for (const code of x.flags) g.flagsByKind[code] = (g.flagsByKind[code] ?? 0) + 1;
        // a household counts once per group even when paired twice with its helper
        if (slots.indexOf(slots[k]) === k) g.flagHouseholds++;
      }
      addMask(g, x.mask);
    }
  }

  if (groupBy === 'helper') {
    // each helper's pairings in household order: the helper's row written in one place, the households' figures read
    // from small arrays (a city's 130,000 pairings added household-side scattered writes over 30,000 rows)
    // (each pairing reads one household's record of the scratch, its report mark included: the mark and extras
    // columns beside it were two more cache misses per pairing)
    const { pPairStart, pPairHousehold } = s;
    const current = mark | 0;
    for (let p = 0; p < pId.length; p++) {
      if (!helperGroup(p)) continue;
      const b = p * F;
      for (let k = pPairStart[p]; k < pPairStart[p + 1]; k++) {
        const i = pPairHousehold[k];
        const fb = SCRATCH * i;
        if (f[fb + 4] !== current) continue;
        const code = f[fb + 3];
        addToSlot(acc, b, f[fb], code & 3, code >> 2 === target, f[fb + 1], f[fb + 2], code >> 2);
        if (!f[fb + 5]) continue;
        const x = s.extras.get(i)!;
        let g = sparse.get(p);
        if (!g) sparse.set(p, (g = emptySparse()));
        if (x.flags.length) {
          g.flags += x.flags.length;
          for (const code of x.flags) g.flagsByKind[code] = (g.flagsByKind[code] ?? 0) + 1;
          // a household counts once per group even when paired twice with its helper (the pairs are adjacent)
          if (k === s.pPairStart[p] || s.pPairHousehold[k - 1] !== i) g.flagHouseholds++;
        }
        addMask(g, x.mask);
      }
    }
  }

  const ids = groupBy === 'town' ? townIds : groupBy === 'village' ? s.villageIds : groupBy === 'unit' ? unitIds : pId;
  // a key's slot: every key the helpers and quiz results can name has one (see above)
  let villageSlot: Map<number, number> | undefined;
  const slotOf = (key: number): number => {
    if (groupBy === 'town') return townSlot!.get(key) ?? -1;
    if (groupBy === 'unit') return unitSlot.get(key) ?? -1;
    if (groupBy === 'helper') return s.pIndex.get(key) ?? -1;
    villageSlot ??= new Map(s.villageIds.map((id, k) => [id, k]));
    return villageSlot.get(key) ?? -1;
  };
  // (a district's supervisor sees every result: no set of 30,000 helper ids to look each one up in)
  let quiz = quizOfPeriod(s, period);
  if (sup.kind !== 'district') {
    const helperIds = new Set(helpers.map((h) => h.id));
    quiz = quiz.filter((q) => helperIds.has(q.personId as number));
  }
  return statsFromSlots(
    { acc, ids, slotOf, sparse, helpers, quizResults: quiz },
    { scope, groupBy, period, now, target, idleDays: req.idleDays, labels: req.labels, idleBefore: cut.idleBefore, epochOf: dates.epochOf },
  );
}

/** Names of the helpers of a supervisor's scope (the labels of the by-helper grouping). */
export function scopedHelperNames(s: StatsSnapshot, sup: SupervisorScope): Map<number, string> {
  const key = JSON.stringify(sup);
  let names = s.helperNames.get(key);
  if (!names) {
    names = new Map();
    for (let p = 0; p < s.pId.length; p++) if (s.pHelper[p] && !s.pRevoked[p] && helperInSupervisorScope(s, sup, p)) names.set(s.pId[p], s.pName[p]);
    if (s.helperNames.size >= 64) s.helperNames.clear();
    s.helperNames.set(key, names);
  }
  return names;
}

/**
 * Numbers per household in the scratch: visits, cards, complete cards, pace | bucket << 2, the report's mark (as
 * Int32) and whether it has flags or failed items; two spare, so that a record is 32 bytes and never straddles two
 * cache lines.
 */
const SCRATCH = 8;

function scratchOf(s: StatsSnapshot): Int32Array {
  // (one array, a household's figures side by side: the helpers' pass reads them in pairing order, scattered)
  if (!s.scratch || s.scratch.length !== SCRATCH * s.hId.length) s.scratch = new Int32Array(SCRATCH * s.hId.length);
  return s.scratch;
}

/** The tallies' arrays, read into an object of one shape per report. */
export type Tallies = Pick<
  StatsSnapshot,
  'dStart' | 'dDay' | 'dSums' | 'dLastIn' | 'dLatest' | 'dYearFrom' | 'dYearCards' | 'dYearIn' | 'dIsChanged' | 'dChanged' | 'dRecentSlot' | 'dRecentStart' | 'dRecent32' | 'dRecent16'
>;

/** A household's cards, in-person cards and latest in-person day in [from, to), from its day tallies. */
export function tallyOf(t: Tallies, i: number, from: number, to: number, out: { cards: number; visits: number; last: number }): void {
  let cards = 0;
  let visits = 0;
  let last = 0;
  if (t.dIsChanged[i]) {
    const d = t.dChanged.get(i)!;
    for (let k = 0; k < d.length; k += 3) {
      if (d[k] < from || d[k] >= to) continue;
      cards += d[k + 1];
      if (d[k + 2] > 0) {
        visits += d[k + 2];
        last = d[k];
      }
    }
  } else {
    if (from === t.dYearFrom && t.dLatest[i] < to) {
      // the latest year, to a day after the household's last tally (the year page): its sums are kept by household,
      // and this page reads only columns by household, in order (the latest day was read at the end of the
      // household's history, further apart with more of it)
      cards = t.dYearCards[i];
      visits = t.dYearIn[i];
      const li = t.dLastIn[i];
      out.cards = cards;
      out.visits = visits;
      out.last = li >= from ? li : 0;
      return;
    }
    const base = 2 * t.dRecentStart[i];
    if (from > t.dRecent32[base]) {
      // every tally on or after `from` is in the slot (the last 30 or 90 days): read from it alone
      recentTallyOf(t, base, 2 * t.dRecentStart[i + 1], from, to, out);
      return;
    }
    // the days in [from, to) are [a, b): their sums are differences of the running sums
    const { dStart, dDay, dSums } = t;
    const start = dStart[i];
    const end = dStart[i + 1];
    // sought from the end (reports ask for recent days; with years of history a binary search over the whole list
    // touched memory far from them, and a report with ten times the cards took half as long again)
    const b = firstFromEnd(dDay, start, end, to);
    const a = firstFromEnd(dDay, start, b, from);
    if (b > a) {
      // sums towards the end: the tallies [a, b) are those from a less those from b (none when b is the end)
      cards = dSums[4 * a] - (b < end ? dSums[4 * b] : 0);
      visits = dSums[4 * a + 1] - (b < end ? dSums[4 * b + 1] : 0);
      // the latest in-person day up to b - 1 is inside the period when on or after its first day (the days on or
      // after `from` are exactly the tallies from a on)
      const li = b === end ? t.dLastIn[i] : dSums[4 * (b - 1) + 2];
      last = li >= from ? li : 0;
    }
  }
  out.cards = cards;
  out.visits = visits;
  out.last = last;
}

/**
 * tallyOf for a period whose first day lies after the household's latest tally outside its recent slot: the slot's
 * tallies, latest first, are walked (at most a slot's length: a record of 8 bytes each) down to the period's end, then
 * down to its first day, and the sums from the latest tally back are subtracted.
 */
function recentTallyOf(t: Tallies, base: number, stop: number, from: number, to: number, out: { cards: number; visits: number; last: number }): void {
  const r32 = t.dRecent32;
  const r16 = t.dRecent16;
  // records [base + 2, b) are on or after `to`, [b, a) the period's (the slot ends at `stop`)
  let b = base + 2;
  while (b < stop && r32[b] >= to) b += 2;
  let a = b;
  while (a < stop && r32[a] >= from) a += 2;
  if (a === b) {
    out.cards = 0;
    out.visits = 0;
    out.last = 0;
    return;
  }
  const inA = r16[2 * a - 1];
  const inB = b > base + 2 ? r16[2 * b - 1] : 0;
  out.cards = r16[2 * a - 2] - (b > base + 2 ? r16[2 * b - 2] : 0);
  out.visits = inA - inB;
  if (b === base + 2) {
    // nothing after the period: the household's latest in-person day, when it lies inside
    const li = r32[base + 1];
    out.last = li >= from ? li : 0;
    return;
  }
  // the latest record of the period whose in-person sum grew over the one after it
  let last = 0;
  for (let r = b, after = inB; r < a && !last; r += 2) {
    const sum = r16[2 * r + 3];
    if (sum > after) last = r32[r];
    after = sum;
  }
  out.last = last;
}

/** Adds one household's figures to a slot's row of sums (see the fields of F in snapshotReport). */
function addToSlot(acc: Int32Array, b: number, visits: number, pace: number, met: boolean, cards: number, complete: number, bucket: number): void {
  acc[b]++;
  acc[b + 1] += visits;
  if (pace === 2) acc[b + 2]++;
  else if (pace === 1) acc[b + 3]++;
  if (met) acc[b + 4]++;
  acc[b + 5] += cards;
  acc[b + 6] += complete;
  if (complete > 0) acc[b + 7]++;
  acc[b + 8 + bucket]++;
}

/** The period's quiz results, computed once per period until the pushes change. */
function quizOfPeriod(s: StatsSnapshot, period: Period): QuizResultRow[] {
  const key = `${period.startAt}:${period.endAt}`;
  let rows = s.quizByPeriod.get(key);
  if (!rows) {
    if (s.quizByPeriod.size >= 32) s.quizByPeriod.clear();
    rows = quizResults(s.pushes.values(), period, (pid) => {
      const p = s.pIndex.get(pid);
      return p === undefined ? undefined : s.pUnit[p] < 0 ? 0 : s.pUnit[p];
    });
    s.quizByPeriod.set(key, rows);
  }
  return rows;
}

/**
 * `firstDayAtOrAfter` searched from the end: steps back 1, 2, 4, … from `hi` while the days are still on or after
 * `day`, then a binary search in the last step.
 */
function firstFromEnd(days: Int32Array, lo: number, hi: number, day: number): number {
  let r = hi;
  let step = 1;
  while (r > lo) {
    const probe = Math.max(lo, r - step);
    if (days[probe] < day) return firstDayAtOrAfter(days, probe + 1, r, day);
    r = probe;
    step *= 2;
  }
  return lo;
}

/** Index of the first tally on or after `day` among indexes [lo, hi) of the ascending days. */
function firstDayAtOrAfter(days: Int32Array, lo: number, hi: number, day: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid] < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether household `i` is in the supervisor's scope (the scope's household rule). */
function inSupervisor(s: StatsSnapshot, sup: SupervisorScope, i: number): boolean {
  if (sup.kind === 'district') return true;
  if (sup.kind === 'town') return s.hTown[i] === sup.id;
  // a unit's: paired with one of its people (helper or not)
  for (let k = s.hPairStart[i]; k < s.hPairStart[i + 1]; k++) if (s.pUnit[s.hPairPerson[k]] === sup.id) return true;
  return false;
}

/** A helper (not revoked) of the supervisor's scope: a town's belong to a unit of the town or help a household in it. */
function helperInSupervisorScope(s: StatsSnapshot, sup: SupervisorScope, p: number): boolean {
  if (sup.kind === 'district') return true;
  if (sup.kind === 'unit') return s.pUnit[p] === sup.id;
  if (s.pUnit[p] >= 0 && s.unitTown.get(s.pUnit[p]) === sup.id) return true;
  for (let k = s.pPairStart[p]; k < s.pPairStart[p + 1]; k++) if (s.hTown[s.pPairHousehold[k]] === sup.id) return true;
  return false;
}

const NO_VILLAGES: number[] = Object.freeze([]) as unknown as number[];

/**
 * The helpers of the supervisor's scope with their unit, town (the town of the supervisor's scope for a town
 * supervisor's paired helpers, else the unit's town, else the town of their first paired household in the scope),
 * latest in-person visit and the villages of the report's households they help.
 */
function scopedHelpers(s: StatsSnapshot, sup: SupervisorScope, scope: Scope, groupBy: GroupBy, scoped: number[], mark: number): ScopedHelper[] {
  const needTown = groupBy === 'town' || scope.kind === 'town';
  const needVillages = groupBy === 'village' || scope.kind === 'village';
  // without villages (which depend on the report's households) the list depends only on the supervisor: kept
  const key = needVillages ? '' : `${JSON.stringify(sup)}:${needTown}`;
  const kept = key ? s.scopedHelpers.get(key) : undefined;
  if (kept) return kept;
  const list = scoped.map((p): ScopedHelper => {
    const unit = s.pUnit[p];
    let townId = 0;
    if (needTown) {
      let home = -1;
      for (let k = s.pPairStart[p]; k < s.pPairStart[p + 1] && home < 0; k++) if (inSupervisor(s, sup, s.pPairHousehold[k])) home = s.pPairHousehold[k];
      const unitTown = unit < 0 ? null : (s.unitTown.get(unit) ?? null);
      townId = sup.kind === 'town' && home >= 0 ? sup.id : (unitTown ?? (home >= 0 ? s.hTown[home] : 0));
    }
    // (one shared empty list when villages are not asked for: 30,000 helpers in a city)
    const villages: number[] = needVillages ? [] : NO_VILLAGES;
    if (needVillages) {
      for (let k = s.pPairStart[p]; k < s.pPairStart[p + 1]; k++) {
        const i = s.pPairHousehold[k];
        if (s.mark[i] === mark && !villages.includes(s.hVillage[i])) villages.push(s.hVillage[i]);
      }
    }
    const id = s.pId[p];
    return { id, unitId: unit < 0 ? 0 : unit, townId, last: s.helperLast.get(id) ?? null, villages };
  });
  if (key) {
    if (s.scopedHelpers.size >= 64) s.scopedHelpers.clear();
    s.scopedHelpers.set(key, list);
  }
  return list;
}

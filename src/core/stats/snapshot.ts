/**
 * `/stats` from a snapshot of the district kept in memory: each household's place and helpers, its tallies per day,
 * open reviews, drafts, flags and failed items, each helper's latest visit and each quiz push's results. The db layer
 * loads it once and then refreshes only the households, helpers and pushes that changed (db/stats-snapshot-repo.ts),
 * so a report reads no row: it is one pass over the report's households in JavaScript. The rules are those of
 * `computeStats` restated on dates (see Cutoffs); the tests hold the two equal for every scope, grouping and period.
 */
import type { Scope, SupervisorScope } from '../people/scope.js';
import type { Period } from '../visits/pacing.js';
import { addMask, cutoffs, emptySums, statsFromGroups, type HouseholdSums, type ScopedHelper } from './grouped.js';
import { quizResults, type QuizPush } from './quiz-results.js';
import type { GroupBy, Id, QuizResultRow, StatsReport } from './types.js';

/** A date as a number that sorts like it: '2017-03-05' → 20170305. */
export function dayNumber(date: string): number {
  return Number(date.slice(0, 4)) * 10000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
}

export interface SnapshotHousehold {
  id: number;
  village: number;
  town: number;
  /** helpers of its open pairings (anyone paired, helper or not), as the pairings table lists them */
  pairs: number[];
  /** marks the households of the report being computed (a report number) */
  mark: number;
}

export interface SnapshotPerson {
  unit: number | null;
  revoked: boolean;
  helper: boolean;
}

/** What changes with cards, reviews, drafts and flags: refreshed per household. */
export interface HouseholdFigures {
  /** its tallies by day, ascending: day number, cards, in-person cards, … */
  days: number[];
  /** the visit day of each of its cards with a review still open */
  returned: number[];
  /** start instants of its open drafts that are not corrections */
  drafts: number[];
  /** codes of its open flags */
  flags: string[];
  /** failed guarantee items on its latest card (household_failures) */
  mask: number;
}

export const NO_FIGURES: HouseholdFigures = Object.freeze({ days: [], returned: [], drafts: [], flags: [], mask: 0 }) as HouseholdFigures;

export interface StatsSnapshot {
  /** in id order */
  households: Map<number, SnapshotHousehold>;
  people: Map<number, SnapshotPerson>;
  /** people with the helper role, in id order */
  helperIds: number[];
  /** unit → its town (null when it has none) */
  unitTown: Map<number, number | null>;
  /** person → households of their open pairings, in household order */
  pairedWith: Map<number, number[]>;
  figures: Map<number, HouseholdFigures>;
  /** helper → latest in-person visit date ('YYYY-MM-DD'), any period */
  helperLast: Map<number, string>;
  /** quiz pushes by id */
  pushes: Map<number, QuizPush>;
  /** quiz results by period ('startAt:endAt'), until a push or a person changes (the refresh clears it) */
  quizByPeriod: Map<string, QuizResultRow[]>;
  /** reports computed so far (for household marks) */
  reports: number;
}

export function emptySnapshot(): StatsSnapshot {
  return { households: new Map(), people: new Map(), helperIds: [], unitTown: new Map(), pairedWith: new Map(), figures: new Map(), helperLast: new Map(), pushes: new Map(), quizByPeriod: new Map(), reports: 0 };
}

export interface SnapshotRequest {
  /** whose data is read: the supervisor's own scope */
  supervisor: SupervisorScope;
  /** the part of it the report shows */
  scope: Scope;
  groupBy: GroupBy;
  period: Period;
  now: number;
  target: number;
  idleDays: number;
  labels?: ReadonlyMap<Id, string>;
}

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
  const { households, people } = s;

  // helpers as the report pairs them: a helper not revoked, of the supervisor's unit for a unit supervisor
  const isHelper = (pid: number) => {
    const p = people.get(pid);
    return p !== undefined && p.helper && !p.revoked && (sup.kind !== 'unit' || p.unit === sup.id);
  };
  const unitOf = (pid: number) => people.get(pid)?.unit ?? 0;
  const inSupervisor = supervisorHouseholds(s, sup);

  // the helpers of the supervisor's scope (the scope's helper rule), in id order
  const scoped: number[] = [];
  for (const pid of s.helperIds) {
    const p = people.get(pid)!;
    if (p.revoked || !helperInSupervisorScope(s, sup, pid, p)) continue;
    scoped.push(pid);
  }
  const scopedSet = new Set(scoped);

  // the report's households: the supervisor's, narrowed to the request's scope
  const mark = ++s.reports;
  const report: SnapshotHousehold[] = [];
  for (const h of households.values()) {
    if (!inSupervisor(h) || !inRequest(h)) continue;
    h.mark = mark;
    report.push(h);
  }
  function inRequest(h: SnapshotHousehold): boolean {
    switch (scope.kind) {
      case 'district':
        return true;
      case 'town':
        return h.town === scope.id;
      case 'village':
        return h.village === scope.id;
      case 'unit':
        return h.pairs.some((pid) => isHelper(pid) && scopedSet.has(pid) && unitOf(pid) === scope.id);
      case 'helper':
        return h.pairs.some((pid) => pid === scope.id && isHelper(pid));
    }
  }

  const helpers = scopedHelpers(s, sup, scope, groupBy, scoped, inSupervisor, mark);
  const helperIds = new Set(helpers.map((h) => h.id));
  const looseKeys = groupBy === 'helper' && scope.kind !== 'helper' && scope.kind !== 'unit';
  const keysOf = (h: SnapshotHousehold, out: number[]): void => {
    out.length = 0;
    if (groupBy === 'town') out.push(h.town);
    else if (groupBy === 'village') out.push(h.village);
    else if (groupBy === 'unit') {
      if (scope.kind === 'unit') out.push(scope.id);
      else if (scope.kind === 'helper') {
        if (scopedSet.has(scope.id)) out.push(unitOf(scope.id));
      } else for (const pid of h.pairs) if (isHelper(pid) && scopedSet.has(pid) && !out.includes(unitOf(pid))) out.push(unitOf(pid));
    } else if (scope.kind === 'helper') {
      for (const pid of h.pairs) if (pid === scope.id && isHelper(pid)) out.push(pid);
    } else if (scope.kind === 'unit') {
      for (const pid of h.pairs) if (isHelper(pid) && scopedSet.has(pid) && unitOf(pid) === scope.id) out.push(pid);
    } else for (const pid of h.pairs) out.push(pid); // every open pairing: kept when among the scope's helpers (below)
  };

  const groups = new Map<Id, HouseholdSums>();
  const discarded = emptySums(target);
  const sumsOf = (key: number): HouseholdSums => {
    if (looseKeys && !helperIds.has(key)) return discarded;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = emptySums(target)));
    return g;
  };
  const totals = emptySums(target);
  const keys: number[] = [];
  const targets: HouseholdSums[] = [];
  for (const h of report) {
    keysOf(h, keys);
    targets.length = 0;
    targets.push(totals);
    for (const k of keys) targets.push(sumsOf(k));
    const f = s.figures.get(h.id) ?? NO_FIGURES;
    // the period's cards and in-person visits, from the day tallies
    let cards = 0;
    let n = 0;
    let last = 0;
    const d = f.days;
    for (let i = firstDayAtOrAfter(d, from); i < d.length && d[i] < to; i += 3) {
      cards += d[i + 1];
      if (d[i + 2] > 0) {
        n += d[i + 2];
        last = d[i];
      }
    }
    const counted = n > 0 && last >= lo && last < hiEx;
    if (!counted) {
      n = 0;
      last = 0;
    }
    let returned = 0;
    for (const day of f.returned) if (day >= from && day < to) returned++;
    const complete = cards - Math.min(returned, cards);
    let drafts = 0;
    for (const at of f.drafts) if (at >= period.startAt && at < period.endAt) drafts++;
    const bucket = Math.min(n, target);
    const overdue = cut.overdueAll || (last === 0 ? cut.overdueFromStart : last < overdueBefore);
    const pace = n >= target ? null : overdue ? 'overdue' : n === 0 || n < cut.behindBelow ? 'behind' : null;
    for (let t = 0; t < targets.length; t++) {
      const x = targets[t];
      x.households++;
      x.visits += n;
      x.distribution[bucket]++;
      if (pace) x[pace]++;
      if (bucket === target) x.met++;
      x.cards += cards + drafts;
      x.complete += complete;
      if (complete > 0) x.withComplete++;
      if (f.flags.length) {
        x.flags += f.flags.length;
        for (const code of f.flags) x.flagsByKind[code] = (x.flagsByKind[code] ?? 0) + 1;
        // a household counts once per group even when paired twice with its helper
        if (t === 0 || !targets.slice(1, t).includes(x)) x.flagHouseholds++;
      }
      addMask(x, f.mask);
    }
  }

  const quiz = quizOfPeriod(s, period).filter(
    (q) => helperIds.has(q.personId as number) || sup.kind === 'district',
  );
  return statsFromGroups(
    { totals, groups, helpers, quizResults: quiz },
    { scope, groupBy, period, now, target, idleDays: req.idleDays, labels: req.labels, idleBefore: cut.idleBefore, epochOf: dates.epochOf },
  );
}

/** The period's quiz results, computed once per period until the pushes change. */
function quizOfPeriod(s: StatsSnapshot, period: Period): QuizResultRow[] {
  const key = `${period.startAt}:${period.endAt}`;
  let rows = s.quizByPeriod.get(key);
  if (!rows) {
    if (s.quizByPeriod.size >= 32) s.quizByPeriod.clear();
    rows = quizResults(s.pushes.values(), period, (pid) => (s.people.has(pid) ? (s.people.get(pid)!.unit ?? 0) : undefined));
    s.quizByPeriod.set(key, rows);
  }
  return rows;
}

/** Index of the first tally (a triple) on or after `day` in a household's ascending tallies. */
function firstDayAtOrAfter(d: number[], day: number): number {
  let lo = 0;
  let hi = d.length / 3;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (d[mid * 3] < day) lo = mid + 1;
    else hi = mid;
  }
  return lo * 3;
}

/** The households of a supervisor's scope (the scope's household rule). */
function supervisorHouseholds(s: StatsSnapshot, sup: SupervisorScope): (h: SnapshotHousehold) => boolean {
  switch (sup.kind) {
    case 'district':
      return () => true;
    case 'town':
      return (h) => h.town === sup.id;
    case 'unit':
      return (h) => h.pairs.some((pid) => s.people.get(pid)?.unit === sup.id);
  }
}

/** A helper (not revoked) of the supervisor's scope: a town's belong to a unit of the town or help a household in it. */
function helperInSupervisorScope(s: StatsSnapshot, sup: SupervisorScope, pid: number, p: SnapshotPerson): boolean {
  const helps = (test: (h: SnapshotHousehold) => boolean) => (s.pairedWith.get(pid) ?? []).some((hid) => {
    const h = s.households.get(hid);
    return h !== undefined && test(h);
  });
  switch (sup.kind) {
    case 'district':
      return true;
    case 'town':
      return (p.unit !== null && s.unitTown.get(p.unit) === sup.id) || helps((h) => h.town === sup.id);
    case 'unit':
      return p.unit === sup.id;
  }
}

/**
 * The helpers of the supervisor's scope with their unit, town (the town of the supervisor's scope for a town
 * supervisor's paired helpers, else the unit's town, else the town of their first paired household in the scope),
 * latest in-person visit and the villages of the report's households they help.
 */
function scopedHelpers(
  s: StatsSnapshot, sup: SupervisorScope, scope: Scope, groupBy: GroupBy, scoped: number[], inSupervisor: (h: SnapshotHousehold) => boolean, mark: number,
): ScopedHelper[] {
  const needTown = groupBy === 'town' || scope.kind === 'town';
  const needVillages = groupBy === 'village' || scope.kind === 'village';
  return scoped.map((pid): ScopedHelper => {
    const p = s.people.get(pid)!;
    const paired: SnapshotHousehold[] = [];
    if (needTown || needVillages) {
      for (const hid of s.pairedWith.get(pid) ?? []) {
        const h = s.households.get(hid);
        if (h) paired.push(h);
      }
    }
    let townId = 0;
    if (needTown) {
      const home = paired.find(inSupervisor);
      const unitTown = p.unit === null ? null : (s.unitTown.get(p.unit) ?? null);
      townId = sup.kind === 'town' && home ? sup.id : (unitTown ?? home?.town ?? 0);
    }
    const villages: number[] = [];
    if (needVillages) for (const h of paired) if (h.mark === mark && !villages.includes(h.village)) villages.push(h.village);
    return { id: pid, unitId: p.unit ?? 0, townId, last: s.helperLast.get(pid) ?? null, villages };
  });
}

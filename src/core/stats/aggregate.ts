/**
 * Supervision figures for a scope, grouped by unit, town, village or helper: one pass over each input list,
 * Maps only, so a district of 10,000 households and 60,000 visits takes a few milliseconds.
 */
import { DAY_MS, DEFAULT_VISIT_TARGET, IN_PERSON_MODES, countsTowardTarget, paceFromSummary } from '../visits/pacing.js';
import { helperGroupKeys, helperInScope, householdGroupKeys, householdInScope, householdUnits } from './scope.js';
import type { GroupStats, GuaranteeItem, HelperRow, Id, IdleHelper, StatsInput, StatsOptions, StatsReport } from './types.js';

/** Group labels sort as Chinese readers expect; made once (building a collator costs more than sorting 3,000 labels). */
const collator = new Intl.Collator('zh-CN', { numeric: true });

/** Default for {@link StatsOptions.idleDays}. */
export const DEFAULT_IDLE_DAYS = 30;

interface HouseholdAcc {
  groups: GroupAcc[];
  villageId: Id;
  count: number;
  last: number | null;
  hasCompleteCard: boolean;
  hasOpenFlag: boolean;
  hasFailedItem: boolean;
}

interface GroupAcc {
  stats: GroupStats;
  scoreSum: number;
  scored: number;
}

/**
 * Computes the report. Rules:
 * - households: those in the scope (see `scope.ts`); visits count as in `countsTowardTarget` (in person, inside the
 *   period, not after `now`), pace as in `paceFromSummary`.
 * - cards: a card is complete when `status === 'submitted'`; cards with `at` outside the period are ignored.
 * - flags: open ones only. Guarantee failures: every row is one failed item.
 * - helpers: in the scope; idle when their latest in-person visit (the later of `lastVisitAt` and the visits given)
 *   is more than `idleDays` days before `now`, or never happened.
 * - quiz: results of in-scope helpers (for a person who is not a known helper: in the district scope, or in the unit
 *   scope when `unitId` matches); completion = done / assigned; mean score over done results with a score.
 */
export function computeStats(input: StatsInput, options: StatsOptions): StatsReport {
  const { scope, groupBy, period, now } = options;
  const target = options.target ?? DEFAULT_VISIT_TARGET;
  const idleDays = options.idleDays ?? DEFAULT_IDLE_DAYS;
  const labels = options.labels;
  const label = (key: Id) => labels?.get(key) ?? String(key);

  const totals: GroupAcc = newGroup(null, labels?.get('') ?? '', target);
  const groups = new Map<Id, GroupAcc>();
  const groupFor = (key: Id): GroupAcc => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = newGroup(key, label(key), target)));
    return g;
  };

  const helpers = new Map<Id, HelperRow>();
  for (const h of input.helpers) helpers.set(h.id, h);

  // Households in scope, their group accumulators, and the villages each helper works in.
  const households = new Map<Id, HouseholdAcc>();
  const helperVillages = new Map<Id, Id[]>();
  for (const h of input.households) {
    const units = householdUnits(h, helpers);
    if (!householdInScope(h, units, scope)) continue;
    const keys = householdGroupKeys(h, units, groupBy, scope, helpers);
    households.set(h.id, {
      groups: keys.map(groupFor),
      villageId: h.villageId,
      count: 0,
      last: null,
      hasCompleteCard: false,
      hasOpenFlag: false,
      hasFailedItem: false,
    });
    for (const hid of h.helperIds) {
      const vs = helperVillages.get(hid);
      if (!vs) helperVillages.set(hid, [h.villageId]);
      else if (!vs.includes(h.villageId)) vs.push(h.villageId);
    }
  }

  // Visits: per-household count and last visit; per-helper latest in-person visit (any period, not after now).
  const helperLast = new Map<Id, number>();
  for (const v of input.visits) {
    if (!IN_PERSON_MODES.has(v.mode) || v.at > now) continue;
    const prev = helperLast.get(v.helperId);
    if (prev === undefined || v.at > prev) helperLast.set(v.helperId, v.at);
    const acc = households.get(v.householdId);
    if (!acc || !countsTowardTarget(v, period, now)) continue;
    acc.count += v.count ?? 1;
    if (acc.last === null || v.at > acc.last) acc.last = v.at;
  }

  for (const acc of households.values()) {
    const p = paceFromSummary({ count: acc.count, lastVisitAt: acc.last }, period, now, target);
    const bucket = Math.min(acc.count, target);
    addHousehold(totals.stats, acc.count, bucket, p.pace, p.targetMet);
    for (const g of acc.groups) addHousehold(g.stats, acc.count, bucket, p.pace, p.targetMet);
  }

  for (const c of input.cards ?? []) {
    const acc = households.get(c.householdId);
    if (!acc || (c.at !== undefined && (c.at < period.startAt || c.at >= period.endAt))) continue;
    const n = c.count ?? 1;
    if (n <= 0) continue;
    const complete = c.status === 'submitted';
    const firstComplete = complete && !acc.hasCompleteCard;
    if (complete) acc.hasCompleteCard = true;
    addCard(totals.stats, complete, firstComplete, n);
    for (const g of acc.groups) addCard(g.stats, complete, firstComplete, n);
  }

  for (const f of input.flags ?? []) {
    const acc = f.open ? households.get(f.householdId) : undefined;
    if (!acc) continue;
    const first = !acc.hasOpenFlag;
    acc.hasOpenFlag = true;
    addFlag(totals.stats, f.kind, first);
    for (const g of acc.groups) addFlag(g.stats, f.kind, first);
  }

  for (const f of input.guaranteeFailures ?? []) {
    const acc = households.get(f.householdId);
    if (!acc) continue;
    const first = !acc.hasFailedItem;
    acc.hasFailedItem = true;
    addFailure(totals.stats, f.item, first);
    for (const g of acc.groups) addFailure(g.stats, f.item, first);
  }

  // Helpers: count, idle ones; and which group accumulators each in-scope helper feeds (reused for quiz results).
  const idleHelpers: IdleHelper[] = [];
  const helperGroups = new Map<Id, GroupAcc[]>();
  const idleMs = idleDays * DAY_MS;
  for (const helper of helpers.values()) {
    const villages = helperVillages.get(helper.id);
    if (!helperInScope(helper, scope, villages !== undefined)) continue;
    const gs = helperGroupKeys(helper, groupBy, villages).map(groupFor);
    helperGroups.set(helper.id, gs);
    const last = latest(helper.lastVisitAt, helperLast.get(helper.id));
    const idle = last === null || now - last > idleMs;
    if (idle) {
      const daysSince = last === null ? null : Math.floor((now - last) / DAY_MS);
      idleHelpers.push({ id: helper.id, label: label(helper.id), unitId: helper.unitId, lastVisitAt: last, daysSince });
    }
    totals.stats.helpers.total++;
    if (idle) totals.stats.helpers.idle++;
    for (const g of gs) {
      g.stats.helpers.total++;
      if (idle) g.stats.helpers.idle++;
    }
  }

  for (const r of input.quizResults ?? []) {
    let gs = helperGroups.get(r.personId);
    if (!gs) {
      if (helpers.has(r.personId)) continue; // a known helper outside the scope
      if (scope.kind === 'district') gs = groupBy === 'unit' ? [groupFor(r.unitId)] : [];
      else if (scope.kind === 'unit' && r.unitId === scope.id) gs = groupBy === 'unit' ? [groupFor(r.unitId)] : [];
      else continue;
    }
    const n = r.count ?? 1;
    addQuiz(totals, r.done, r.scorePct, n);
    for (const g of gs) addQuiz(g, r.done, r.scorePct, n);
  }

  const sorted = sortGroups([...groups.values()].map(finish));
  idleHelpers.sort((a, b) => (a.lastVisitAt ?? -Infinity) - (b.lastVisitAt ?? -Infinity));
  return { scope, groupBy, period, now, target, idleDays, totals: finish(totals), groups: sorted, idleHelpers };
}

/** Groups by label as Chinese readers expect; equal labels by key, so the order never depends on the input's. */
export function compareGroups(a: GroupStats, b: GroupStats): number {
  return compareWith(collator.compare(a.label, b.label), a, b);
}

function compareWith(byLabel: number, a: Pick<GroupStats, 'key'>, b: Pick<GroupStats, 'key'>): number {
  if (byLabel || a.key === b.key) return byLabel;
  if (typeof a.key === 'number' && typeof b.key === 'number') return a.key - b.key;
  return String(a.key) < String(b.key) ? -1 : 1;
}

/**
 * The labels met so far in collation order, with their ranks (labels the collator finds equal share one): sorting
 * 3,000 helper names with the collator took longer than the rest of a report, so each label is placed once and the
 * groups sort by number. New labels are sorted among themselves and merged in.
 */
let ordered: string[] = [];
let ranks = new Map<string, number>();

function rankAll(labels: readonly string[]): void {
  let fresh = labels.filter((l) => !ranks.has(l));
  if (!fresh.length) return;
  // bounded (a process meets far fewer names): past it, only this report's labels are kept
  if (ordered.length + fresh.length > 500_000) {
    ordered = [];
    fresh = [...labels];
  }
  fresh = [...new Set(fresh)].sort(collator.compare);
  const merged: string[] = [];
  let i = 0;
  let j = 0;
  while (i < ordered.length || j < fresh.length) {
    if (j >= fresh.length || (i < ordered.length && collator.compare(ordered[i], fresh[j]) <= 0)) merged.push(ordered[i++]);
    else merged.push(fresh[j++]);
  }
  ordered = merged;
  ranks = new Map();
  let rank = 0;
  merged.forEach((l, k) => {
    if (k > 0 && collator.compare(merged[k - 1], l) !== 0) rank++;
    ranks.set(l, rank);
  });
}

/** Sorts groups (or anything with a group's key and label) as {@link compareGroups} does, by the labels' ranks. */
export function sortGroups<T extends Pick<GroupStats, 'key' | 'label'>>(groups: T[]): T[] {
  // rank and position packed in one number and sorted as numbers (a by-helper report of a city has 30,000 groups);
  // groups of equal rank then ordered by key
  const packed = new Float64Array(groups.length);
  const pack = () => groups.every((g, i) => {
    const r = ranks.get(g.label);
    if (r === undefined) return false;
    packed[i] = r * 2 ** 21 + i;
    return true;
  });
  // labels not met before are placed first (then every label has its rank)
  if (!pack()) {
    rankAll(groups.map((g) => g.label));
    pack();
  }
  packed.sort();
  const out = Array.from(packed, (x) => groups[x % 2 ** 21]);
  for (let a = 0; a < out.length; ) {
    let b = a + 1;
    while (b < out.length && Math.floor(packed[b] / 2 ** 21) === Math.floor(packed[a] / 2 ** 21)) b++;
    if (b - a > 1) out.splice(a, b - a, ...out.slice(a, b).sort((x, y) => compareWith(0, x, y)));
    a = b;
  }
  return out;
}

function newGroup(key: Id | null, label: string, target: number): GroupAcc {
  return {
    scoreSum: 0,
    scored: 0,
    stats: {
      key,
      label,
      households: 0,
      inPersonVisits: 0,
      visitDistribution: new Array<number>(target + 1).fill(0),
      pace: { on_pace: 0, behind: 0, overdue: 0 },
      targetMet: 0,
      cards: { total: 0, complete: 0, householdsWithComplete: 0 },
      openFlags: { total: 0, households: 0, byKind: {} },
      guarantee: { failedItems: 0, households: 0, byItem: {} },
      helpers: { total: 0, idle: 0 },
      quiz: { assigned: 0, done: 0, completionPct: null, meanScorePct: null },
    },
  };
}

function addHousehold(s: GroupStats, count: number, bucket: number, pace: keyof GroupStats['pace'], met: boolean): void {
  s.households++;
  s.inPersonVisits += count;
  s.visitDistribution[bucket]++;
  s.pace[pace]++;
  if (met) s.targetMet++;
}

function addQuiz(g: GroupAcc, done: boolean, scorePct: number | null, n: number): void {
  g.stats.quiz.assigned += n;
  if (!done) return;
  g.stats.quiz.done += n;
  if (scorePct !== null && Number.isFinite(scorePct)) {
    g.scoreSum += scorePct * n;
    g.scored += n;
  }
}

function addCard(s: GroupStats, complete: boolean, firstComplete: boolean, n: number): void {
  s.cards.total += n;
  if (complete) s.cards.complete += n;
  if (firstComplete) s.cards.householdsWithComplete++;
}

function addFlag(s: GroupStats, kind: string, firstForHousehold: boolean): void {
  s.openFlags.total++;
  s.openFlags.byKind[kind] = (s.openFlags.byKind[kind] ?? 0) + 1;
  if (firstForHousehold) s.openFlags.households++;
}

function addFailure(s: GroupStats, item: GuaranteeItem, firstForHousehold: boolean): void {
  s.guarantee.failedItems++;
  s.guarantee.byItem[item] = (s.guarantee.byItem[item] ?? 0) + 1;
  if (firstForHousehold) s.guarantee.households++;
}

function latest(a: number | null, b: number | undefined): number | null {
  if (b === undefined) return a;
  return a === null || b > a ? b : a;
}

function finish(g: GroupAcc): GroupStats {
  const q = g.stats.quiz;
  q.completionPct = q.assigned ? (q.done * 100) / q.assigned : null;
  q.meanScorePct = g.scored ? g.scoreSum / g.scored : null;
  return g.stats;
}

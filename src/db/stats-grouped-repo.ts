/**
 * `/stats` figures summed per group in SQL, so no row per household reaches JavaScript: each household's visits of the
 * period come from the tallies kept as cards are written (household_years for a calendar year, household_days for
 * any other window), its failed guarantee items from household_failures, and its pace is judged in the query against
 * date cut-offs (core/stats/grouped.ts). Only helpers (for idle helpers and quiz results) come back one row each.
 * The figures equal `computeStats` over `loadStatsData` (test/bot/stats-aggregates.test.ts holds the two equal).
 */
import type { Scope, SupervisorScope } from '../core/people/scope.js';
import {
  addMask, cutoffs, emptySums, statsFromGroups, type Cutoffs, type GroupBy, type GuaranteeItem, type HouseholdSums, type Id, type ScopedHelper, type StatsReport,
} from '../core/stats/index.js';
import { localDate } from '../core/time.js';
import { FAILED_VALUE, GUARANTEE_FIELDS, GUARANTEE_ITEMS } from '../core/visits/guarantees.js';
import { DEFAULT_VISIT_TARGET, type Period } from '../core/visits/pacing.js';
import type { Db } from './client.js';
import { prepared } from './prepared.js';
import { scopeSql } from './scope-sql.js';
import { dateEpochCache, quizRows } from './stats-repo.js';

export interface GroupedStatsRequest {
  /** whose data is read: the supervisor's own scope (as loadStatsData) */
  supervisor: SupervisorScope;
  /** the part of it the report shows (computeStats' scope) */
  scope: Scope;
  groupBy: GroupBy;
  period: Period;
  now: number;
  target?: number;
  idleDays?: number;
  labels?: ReadonlyMap<Id, string>;
}

type Raw = unknown[];

/** SQL text and its positional arguments, composed in order. */
class Sql {
  constructor(
    readonly text: string,
    readonly args: unknown[] = [],
  ) {}
}
const sql = (strings: TemplateStringsArray, ...parts: (Sql | string)[]): Sql => {
  let text = strings[0];
  const args: unknown[] = [];
  parts.forEach((p, i) => {
    if (p instanceof Sql) {
      text += p.text;
      args.push(...p.args);
    } else text += p;
    text += strings[i + 1];
  });
  return new Sql(text, args);
};
const arg = (v: unknown) => new Sql('?', [v]);

/** Runs a query; its statement is prepared once per text (the texts differ only by kinds of scope and period). */
function all(db: Db, q: Sql): Raw[] {
  return prepared(db, `stats-grouped:${q.text}`, () => db.$client.prepare(q.text).raw(true)).all(...q.args) as Raw[];
}

const HELPER_ROLE = "JOIN person_roles pr ON pr.person_id = pe.id AND pr.role = 'helper' WHERE pe.revoked_at IS NULL";

/** The report of one `/stats` page, summed in SQL. */
export function groupedStats(db: Db, req: GroupedStatsRequest, timeZone: string): StatsReport {
  const { supervisor: sup, scope, groupBy, period, now } = req;
  const target = req.target ?? DEFAULT_VISIT_TARGET;
  const idleDays = req.idleDays ?? 30;
  const epochOf = dateEpochCache(timeZone);
  const cut = cutoffs(period, now, target, idleDays, (at) => localDate(at, timeZone), epochOf);
  const s = scopeSql(sup);

  // hp: a household's helpers as loadStatsData pairs them (open pairing, a helper not revoked; a unit's own only);
  // sh: the helpers of the supervisor's scope
  const hp = new Sql(
    'SELECT p.household_id AS hid, p.helper_id AS pid, coalesce(pe.unit_id, 0) AS uid FROM pairings p JOIN people pe ON pe.id = p.helper_id ' +
      `${HELPER_ROLE} AND p.end_date IS NULL${sup.kind === 'unit' ? ' AND pe.unit_id = ?' : ''}`,
    sup.kind === 'unit' ? [sup.id] : [],
  );
  const sh = new Sql(`SELECT pe.id AS pid, coalesce(pe.unit_id, 0) AS uid, pe.unit_id AS unit FROM people pe ${HELPER_ROLE} AND (${s.helpers.where})`, s.helpers.args);
  // hs: the report's households (the supervisor's, narrowed to the request's scope as computeStats narrows them)
  const inRequest: Sql =
    scope.kind === 'district' ? new Sql('1')
    : scope.kind === 'town' ? sql`v.town_id = ${arg(scope.id)}`
    : scope.kind === 'village' ? sql`h.village_id = ${arg(scope.id)}`
    : scope.kind === 'unit' ? sql`EXISTS (SELECT 1 FROM hp JOIN sh ON sh.pid = hp.pid WHERE hp.hid = h.id AND hp.uid = ${arg(scope.id)})`
    : sql`EXISTS (SELECT 1 FROM hp WHERE hp.hid = h.id AND hp.pid = ${arg(scope.id)})`;
  const hsSup = new Sql(`SELECT h.id AS hid, h.village_id AS vid, v.town_id AS tid FROM households h JOIN villages v ON v.id = h.village_id WHERE ${s.households.where}`, s.households.args);
  const hs = sql`SELECT h.id AS hid, h.village_id AS vid, v.town_id AS tid FROM households h JOIN villages v ON v.id = h.village_id WHERE (${new Sql(s.households.where, s.households.args)}) AND ${inRequest}`;
  // k: each report household with each of its group keys (householdGroupKeys)
  const k: Sql =
    groupBy === 'town' ? new Sql('SELECT hid, tid AS k FROM hs')
    : groupBy === 'village' ? new Sql('SELECT hid, vid AS k FROM hs')
    : groupBy === 'unit'
      ? scope.kind === 'unit' ? sql`SELECT hid, ${arg(scope.id)} AS k FROM hs`
        : scope.kind === 'helper' ? sql`SELECT hs.hid, sh.uid AS k FROM hs JOIN sh ON sh.pid = ${arg(scope.id)}`
        : new Sql('SELECT DISTINCT hp.hid, hp.uid AS k FROM hs JOIN hp ON hp.hid = hs.hid JOIN sh ON sh.pid = hp.pid')
    : scope.kind === 'helper' ? sql`SELECT hp.hid, hp.pid AS k FROM hs JOIN hp ON hp.hid = hs.hid WHERE hp.pid = ${arg(scope.id)}`
    : scope.kind === 'unit' ? sql`SELECT hp.hid, hp.pid AS k FROM hs JOIN hp ON hp.hid = hs.hid JOIN sh ON sh.pid = hp.pid WHERE sh.uid = ${arg(scope.id)}`
    // every open pairing: its helper is in hp exactly when among the scope's helpers (sh), which the keys are checked
    // against below (cheaper than checking each pairing's person and role in the query)
    : new Sql('SELECT p.household_id AS hid, p.helper_id AS k FROM hs CROSS JOIN pairings p ON p.household_id = hs.hid AND p.end_date IS NULL');
  const looseKeys = groupBy === 'helper' && scope.kind !== 'helper' && scope.kind !== 'unit';
  const ctes = sql`WITH hp AS (${hp}), sh AS (${sh}), hs AS (${hs}), k AS (${k})`;

  const from = localDate(period.startAt, timeZone);
  const to = localDate(period.endAt, timeZone);
  const year = from.slice(0, 4);
  // t: the period's cards and in-person visits per household, from the tallies
  const t =
    from === `${year}-01-01` && to === `${Number(year) + 1}-01-01`
      ? sql`SELECT household_id AS hid, cards, in_person AS n, last_in_person AS last FROM household_years INDEXED BY household_years_year_figures WHERE year = ${arg(year)} AND cards > 0`
      : sql`SELECT household_id AS hid, sum(cards) AS cards, sum(in_person) AS n, max(CASE WHEN in_person > 0 THEN day END) AS last FROM household_days INDEXED BY household_days_day WHERE day >= ${arg(from)} AND day < ${arg(to)} GROUP BY household_id`;
  // returned: cards of the period with a review still open count as returned, not complete
  const returned = sql`SELECT c.household_id AS hid, count(DISTINCT c.id) AS n FROM card_reviews r CROSS JOIN cards c ON c.id = r.card_id WHERE r.status IN ('sent', 'opened') AND c.visit_date >= ${arg(from)} AND c.visit_date < ${arg(to)} GROUP BY c.household_id`;
  const counted = sql`(t.n > 0 AND t.last >= ${arg(cut.lo)} AND t.last < ${arg(cut.hiEx)})`;
  const f = sql`SELECT t.hid, CASE WHEN ${counted} THEN t.n ELSE 0 END AS n, CASE WHEN ${counted} THEN t.last END AS last, t.cards, t.cards - min(coalesce(r.n, 0), t.cards) AS complete FROM t LEFT JOIN returned r ON r.hid = t.hid`;
  const figures = householdFigures(cut);

  const byKey = (q: Sql) => all(db, sql`${ctes}, t AS (${t}), returned AS (${returned}), f AS (${f}) ${q}`);
  const groups = new Map<Id, HouseholdSums>();
  const sumsOf = (key: Id) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = emptySums(target)));
    return g;
  };
  // By town or village each household is in one group, so the totals are the groups' sums; by unit or helper a
  // household may be in several, and the totals are summed over the households once more.
  const exclusive = groupBy === 'town' || groupBy === 'village';
  const totals = emptySums(target);
  const helpers = scopedHelpers(db, sup, scope, groupBy, sql`WITH hp AS (${hp}), sh AS (${sh}), hs AS (${hs})`, hsSup);
  const helperIds = new Set(helpers.map((h) => h.id));
  const discarded = emptySums(target);
  const keyed = looseKeys ? (key: Id) => (helperIds.has(key as number) ? sumsOf(key) : discarded) : sumsOf;
  const passes: { keyed: boolean; join: string; add: (key: Id) => HouseholdSums }[] = [{ keyed: true, join: 'k ON k.hid', add: keyed }];
  if (!exclusive) passes.push({ keyed: false, join: 'hs ON hs.hid', add: () => totals });
  const none = cut.overdueAll || cut.overdueFromStart ? 'overdue' : 'behind';
  const draftsIn = sql`SELECT household_id AS hid FROM card_drafts WHERE status = 'open' AND revise_card_id IS NULL AND started_at >= ${arg(period.startAt)} AND started_at < ${arg(period.endAt)}`;
  for (const { keyed, join, add } of passes) {
    const key = keyed ? 'k.k' : 'NULL';
    // households with a tally row in the period, with their figures; then every household, the rest of which (no
    // card in the period) count as 0 visits with the same pace
    // (grouped by key and class: a few rows per key, each row's class computed once)
    const visited = new Map<Id, number>();
    for (const r of byKey(sql`SELECT ${key}, ${figures} FROM f CROSS JOIN ${join} = f.hid GROUP BY 1, 2, 3`)) {
      visited.set(r[0] as Id, (visited.get(r[0] as Id) ?? 0) + addFigures(add(r[0] as Id), r, target));
    }
    for (const [k, n] of all(db, sql`${ctes} SELECT ${key}, count(*) FROM ${keyed ? 'k' : 'hs'} GROUP BY 1`) as [Id, number][]) {
      const x = add(k);
      const rest = n - (visited.get(k) ?? 0);
      x.households += rest;
      x.distribution[0] += rest;
      x[none] += rest;
    }
    // open drafts (not corrections) started in the period count as cards, not complete
    // the few rows outside (CROSS JOIN keeps them there): else the planner walks every pairing to find their keys
    for (const [k, n] of all(db, sql`${ctes}, d AS (${draftsIn}) SELECT ${key}, count(*) FROM d CROSS JOIN ${join} = d.hid GROUP BY 1`) as [Id, number][]) add(k).cards += n;
    // open flags (a few): by kind, and the households with one
    const flagged = new Map<Id, Set<number>>();
    const flagsSql = sql`${ctes} SELECT ${key}, fl.household_id, fl.code, count(*) FROM card_flags fl CROSS JOIN ${join} = fl.household_id WHERE fl.resolved_at IS NULL GROUP BY 1, 2, 3`;
    for (const [k, hid, code, n] of all(db, flagsSql) as [Id, number, string, number][]) {
      const x = add(k);
      x.flags += n;
      x.flagsByKind[code] = (x.flagsByKind[code] ?? 0) + n;
      const seen = flagged.get(k) ?? new Set<number>();
      flagged.set(k, seen);
      if (!seen.has(hid)) {
        seen.add(hid);
        x.flagHouseholds++;
      }
    }
    // failed guarantee items on each household's latest card (a few households)
    for (const [k, mask] of all(db, sql`${ctes} SELECT ${key}, x.mask FROM household_failures x CROSS JOIN ${join} = x.household_id`) as [Id, number][]) addMask(add(k), mask);
  }
  if (exclusive) for (const g of groups.values()) addSums(totals, g);

  const quiz = quizRows(db, period).filter((q) => helperIds.has(q.personId as number) || sup.kind === 'district');
  return statsFromGroups(
    { totals, groups, helpers, quizResults: quiz },
    { scope, groupBy, period, now, target, idleDays, labels: req.labels, idleBefore: cut.idleBefore, epochOf },
  );
}

function addSums(x: HouseholdSums, g: HouseholdSums): void {
  for (const f of ['households', 'visits', 'overdue', 'behind', 'met', 'cards', 'complete', 'withComplete', 'flags', 'flagHouseholds', 'failedHouseholds'] as const) x[f] += g[f];
  g.distribution.forEach((n, i) => (x.distribution[i] += n));
  for (const [code, n] of Object.entries(g.flagsByKind)) x.flagsByKind[code] = (x.flagsByKind[code] ?? 0) + n;
  for (const [item, n] of Object.entries(g.failed) as [GuaranteeItem, number][]) x.failed[item] = (x.failed[item] ?? 0) + n;
}

/** Columns summed over visited households (rows of f): see Cutoffs for the rules. */
function householdFigures(c: Cutoffs): Sql {
  const overdue = sql`(${arg(c.overdueAll ? 1 : 0)} OR (f.last IS NULL AND ${arg(c.overdueFromStart ? 1 : 0)}) OR coalesce(f.last < ${arg(c.overdueBefore)}, 0))`;
  // each household's class: its bucket (visits up to the target) and pace (0 on pace or target met, 1 behind, 2 overdue)
  const bucket = sql`min(f.n, ${arg(c.target)})`;
  const pace = sql`CASE WHEN f.n >= ${arg(c.target)} THEN 0 WHEN ${overdue} THEN 2 WHEN f.n = 0 OR f.n < ${arg(c.behindBelow)} THEN 1 ELSE 0 END`;
  return sql`${bucket}, ${pace}, count(*), sum(f.n), sum(f.cards), sum(f.complete), sum(f.complete > 0)`;
}

/** Adds one row of householdFigures (the households of one key and class); returns its households. */
function addFigures(x: HouseholdSums, r: Raw, target: number): number {
  const [, bucket, pace, households, visits, cards, complete, withComplete] = r as number[];
  x.households += households;
  x.visits += visits ?? 0;
  x.distribution[bucket] += households;
  if (pace === 2) x.overdue += households;
  else if (pace === 1) x.behind += households;
  if (bucket === target) x.met += households;
  x.cards += cards ?? 0;
  x.complete += complete ?? 0;
  x.withComplete += withComplete ?? 0;
  return households;
}

/**
 * The helpers of the supervisor's scope (id order), with their unit, town (loadStatsData's rule: the town of the
 * supervisor's scope for a town supervisor's paired helpers, else the unit's town, else the town of their first paired
 * household in the scope), latest in-person visit and the villages of the report's households they help.
 */
function scopedHelpers(db: Db, sup: SupervisorScope, scope: Scope, groupBy: GroupBy, ctes: Sql, hsSup: Sql): ScopedHelper[] {
  const needTown = groupBy === 'town' || scope.kind === 'town';
  const homeTown = sql`(SELECT hsup.tid FROM pairings p2 JOIN (${hsSup}) hsup ON hsup.hid = p2.household_id WHERE p2.helper_id = sh.pid AND p2.end_date IS NULL ORDER BY p2.household_id LIMIT 1)`;
  const town = !needTown
    ? new Sql('0')
    : sup.kind === 'town'
      ? sql`CASE WHEN EXISTS (SELECT 1 FROM hp JOIN (${hsSup}) hsup ON hsup.hid = hp.hid WHERE hp.pid = sh.pid) THEN ${arg(sup.id)} ELSE coalesce(u.town_id, ${homeTown}, 0) END`
      : sql`coalesce(u.town_id, ${homeTown}, 0)`;
  const last = "(SELECT max(c.visit_date) FROM cards c INDEXED BY cards_helper_inperson_date WHERE c.helper_id = sh.pid AND c.in_person = 1)";
  const rows = all(db, sql`${ctes} SELECT sh.pid, sh.uid, ${town}, ${last} FROM sh LEFT JOIN units u ON u.id = sh.unit ORDER BY sh.pid`) as [number, number, number, string | null][];
  const out = rows.map(([id, unitId, townId, lastDate]): ScopedHelper => ({ id, unitId, townId, last: lastDate, villages: [] }));
  if (groupBy === 'village' || scope.kind === 'village') {
    const byId = new Map(out.map((h) => [h.id, h]));
    for (const [pid, vid] of all(db, sql`${ctes} SELECT hp.pid, hs.vid FROM hs JOIN hp ON hp.hid = hs.hid ORDER BY hp.pid, hs.hid`) as [number, number][]) {
      const h = byId.get(pid);
      if (h && !h.villages.includes(vid)) h.villages.push(vid);
    }
  }
  return out;
}

/**
 * The failed items of a household's cards as household_failures keeps them: bit i set when any of the cards (`alias`)
 * marks GUARANTEE_ITEMS[i] failed (an aggregate: use it over one household's cards of its latest day). The same
 * expression as the triggers of drizzle/0016_household_failures_triggers.sql.
 */
export function failureMask(alias: string): string {
  return GUARANTEE_ITEMS.map((item, i) => `(max(coalesce(${alias}.answers ->> '$.${GUARANTEE_FIELDS[item]}' = '${FAILED_VALUE}', 0)) * ${1 << i})`).join(' | ');
}

/** Labels of the groups of a grouping: town, village or unit names; for helpers, the names of the scope's helpers. */
export function groupLabels(db: Db, groupBy: GroupBy, sup: SupervisorScope): Map<Id, string> {
  if (groupBy !== 'helper') {
    const table = ({ town: 'towns', village: 'villages', unit: 'units' } as const)[groupBy];
    return new Map(all(db, new Sql(`SELECT id, name FROM ${table}`)) as [number, string][]);
  }
  const s = scopeSql(sup).helpers;
  return new Map(all(db, new Sql(`SELECT pe.id, pe.name FROM people pe ${HELPER_ROLE} AND (${s.where})`, s.args)) as [number, string][]);
}

/** Names of some people (the idle helpers a page lists). */
export function personNames(db: Db, ids: readonly Id[]): Map<number, string> {
  if (!ids.length) return new Map();
  return new Map(all(db, sql`SELECT p.id, p.name FROM json_each(${arg(JSON.stringify(ids))}) j JOIN people p ON p.id = j.value`) as [number, string][]);
}

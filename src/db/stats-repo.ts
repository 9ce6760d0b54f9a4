/**
 * Rows for supervision figures (`/stats`, the weekly digest, the benchmark), read for one supervisor scope only.
 * Raw prepared statements: a district of 10,000 households and 60,000 cards is read in a few tens of milliseconds.
 */
import { FAILED_VALUE, GUARANTEE_FIELDS, GUARANTEE_ITEMS } from '../core/visits/guarantees.js';
import { grantedScope, type Scope, type SupervisorScope } from '../core/people/scope.js';
import type {
  CardRow, FlagRow, GuaranteeFailureRow, HelperRow, QuizResultRow, StatsInput, VisitRow,
} from '../core/stats/index.js';
import { localDateToEpoch, type Period } from '../core/visits/pacing.js';
import { localDate } from '../core/time.js';
import { quizResults, type QuizPush } from '../core/stats/quiz-results.js';
import type { Db } from './client.js';
import { prepared } from './prepared.js';
import { scopeSql } from './scope-sql.js';

/** Names of everything a report may group by. */
export interface StatsNames {
  town: Map<number, string>;
  village: Map<number, string>;
  unit: Map<number, string>;
  helper: Map<number, string>;
}

export interface StatsData {
  input: StatsInput;
  names: StatsNames;
}

const epochCaches = new Map<string, Map<string, number>>();

/**
 * Turns 'YYYY-MM-DD' into epoch ms (local midnight), caching per zone and date string for the process (a year has
 * 365 of them; the conversion goes through Intl and costs microseconds each).
 */
export function dateEpochCache(timeZone: string): (date: string) => number {
  let cache = epochCaches.get(timeZone);
  if (!cache) epochCaches.set(timeZone, (cache = new Map()));
  const c = cache;
  return (d) => {
    let v = c.get(d);
    if (v === undefined) {
      if (c.size > 20_000) c.clear();
      c.set(d, (v = localDateToEpoch(d, timeZone)));
    }
    return v;
  };
}

type Raw = unknown[];

function rows(db: Db, sql: string, ...args: unknown[]): Raw[] {
  return db.$client.prepare(sql).raw(true).all(...args) as Raw[];
}

/** Id → name of a small table. */
function nameMap(db: Db, table: 'towns' | 'villages' | 'units'): Map<number, string> {
  return new Map(rows(db, `SELECT id, name FROM ${table}`).map((r) => [r[0] as number, r[1] as string]));
}

/**
 * Everything `computeStats` reads, restricted to a supervisor's scope: households of the scope (with only the
 * scope's helpers for a unit), the helpers of the scope, cards of the period as visits and cards, open drafts,
 * open flags, failed guarantee items of each household's latest card, and quiz assignments of pushes made in the
 * period. Cards with a review still open count as `returned`. Card counts come from tallies kept by triggers on cards
 * (household_years, household_days); `recount` reads the cards themselves instead (the tests' oracle).
 */
export function loadStatsData(db: Db, scope: SupervisorScope, period: Period, timeZone: string, opts: { recount?: boolean } = {}): StatsData {
  const epoch = dateEpochCache(timeZone);
  const f = scopeSql(scope);
  const hh = rows(db, `SELECT h.id, h.village_id, v.town_id FROM households h JOIN villages v ON v.id = h.village_id WHERE ${f.households.where}`, ...f.households.args);
  const townOf = new Map<number, number>();
  const households = new Map<number, { id: number; villageId: number; townId: number; helperIds: number[] }>();
  for (const [id, villageId, townId] of hh as [number, number, number][]) {
    households.set(id, { id, villageId, townId, helperIds: [] });
    townOf.set(id, townId);
  }

  // Helpers of the scope (the builder's rule); every helper's unit and town, for grouping.
  const scoped = new Set((rows(db, `SELECT pe.id FROM people pe WHERE ${f.helpers.where}`, ...f.helpers.args) as [number][]).map((r) => r[0]));
  const helperSql =
    "SELECT pe.id, pe.name, pe.unit_id, u.town_id FROM people pe JOIN person_roles r ON r.person_id = pe.id AND r.role = 'helper' " +
    'LEFT JOIN units u ON u.id = pe.unit_id WHERE pe.revoked_at IS NULL ORDER BY pe.id';
  const allHelpers = rows(db, helperSql) as [number, string, number | null, number | null][];
  // in household order: a helper without a unit town is placed in the town of their first household (a fixed rule)
  const pairs = rows(db, 'SELECT household_id, helper_id FROM pairings WHERE end_date IS NULL ORDER BY household_id, helper_id') as [number, number][];
  const helperUnit = new Map(allHelpers.map((h) => [h[0], h[2]]));
  const helperHomeTown = new Map<number, number>();
  const pairsInScope = new Set<number>();
  for (const [householdId, helperId] of pairs) {
    const h = households.get(householdId);
    const town = townOf.get(householdId);
    if (town !== undefined && !helperHomeTown.has(helperId)) helperHomeTown.set(helperId, town);
    if (!h || !helperUnit.has(helperId)) continue;
    if (scope.kind === 'unit' && helperUnit.get(helperId) !== scope.id) continue;
    h.helperIds.push(helperId);
    pairsInScope.add(helperId);
  }
  // each helper's latest in-person visit: one index seek per helper (not a pass over every card); the recount groups
  const lastVisitSql = opts.recount
    ? 'SELECT helper_id, max(visit_date) FROM cards INDEXED BY cards_helper_inperson_date WHERE in_person = 1 GROUP BY helper_id'
    : "SELECT r.person_id, (SELECT max(c.visit_date) FROM cards c INDEXED BY cards_helper_inperson_date WHERE c.helper_id = r.person_id AND c.in_person = 1) FROM person_roles r WHERE r.role = 'helper'";
  const lastVisit = new Map<number, number>();
  for (const [id, date] of rows(db, lastVisitSql) as [number, string | null][]) if (date) lastVisit.set(id, epoch(date));
  const helpers: HelperRow[] = [];
  const helperNames = new Map<number, string>();
  for (const [id, name, unitId, unitTown] of allHelpers) {
    if (!scoped.has(id)) continue;
    const townId = scope.kind === 'town' && pairsInScope.has(id) ? scope.id : (unitTown ?? helperHomeTown.get(id) ?? 0);
    helpers.push({ id, unitId: unitId ?? 0, townId, lastVisitAt: lastVisit.get(id) ?? null });
    helperNames.set(id, name);
  }

  // Visits and cards are counted per household in SQL (from indexes, never reading the answers) and handed to the
  // aggregation as one row with a count: what computeStats reads of them is the count, the latest date and the status.
  const from = localDate(period.startAt, timeZone);
  const to = localDate(period.endAt, timeZone);
  const visits: VisitRow[] = [];
  const cards: CardRow[] = [];
  // the open reviews first (CROSS JOIN keeps that order): with few reviews the planner would otherwise walk every card
  const returnedSql =
    "SELECT c.household_id, count(DISTINCT c.id) FROM card_reviews r CROSS JOIN cards c ON c.id = r.card_id WHERE r.status IN ('sent', 'opened') " +
    'AND c.visit_date >= ? AND c.visit_date < ? GROUP BY c.household_id';
  const returned = new Map(rows(db, returnedSql, from, to) as [number, number][]);
  const latest = new Map<number, string>();
  const addCounts = (householdId: number, n: number, inPerson: number, lastInPerson: string | null) => {
    if (!households.has(householdId)) return;
    if (inPerson > 0 && lastInPerson) visits.push({ householdId, helperId: -1, at: epoch(lastInPerson), mode: 'in_person', count: inPerson });
    const back = returned.get(householdId) ?? 0;
    const returnedHere = Math.min(back, n);
    if (returnedHere) cards.push({ householdId, status: 'returned', at: period.startAt, count: returnedHere });
    if (n > returnedHere) cards.push({ householdId, status: 'submitted', at: period.startAt, count: n - returnedHere });
  };
  const year = from.slice(0, 4);
  if (opts.recount) {
    // The test oracle: every card read (through cards_household_date), none of the tallies below.
    const cardSql =
      'SELECT household_id, sum(visit_date >= @from AND visit_date < @to), max(visit_date), ' +
      'sum(in_person AND visit_date >= @from AND visit_date < @to), max(CASE WHEN in_person AND visit_date >= @from AND visit_date < @to THEN visit_date END) ' +
      'FROM cards INDEXED BY cards_household_date GROUP BY household_id';
    for (const [householdId, n, last, inPerson, lastInPerson] of rows(db, cardSql, { from, to }) as [number, number, string, number, string | null][]) {
      latest.set(householdId, last);
      addCounts(householdId, n, inPerson, lastInPerson);
    }
  } else if (from === `${year}-01-01` && to === `${Number(year) + 1}-01-01`) {
    // A calendar year: household_years (kept by triggers on cards) has the counts; no card is read, and only the
    // year's rows (household_years_year_figures), so the time does not grow with the years of history.
    const yearSql = 'SELECT household_id, cards, in_person, last_in_person FROM household_years INDEXED BY household_years_year_figures WHERE year = ?';
    for (const [householdId, n, inPerson, lastInPerson] of rows(db, yearSql, year) as [number, number, number, string | null][]) {
      if (n) addCounts(householdId, n, inPerson, lastInPerson);
    }
  } else {
    // Any other period (the last 30 or 90 days, a custom window): household_days (kept by triggers on cards) holds
    // the counts per household and day, so only the days of the window are read. No card is read.
    const daySql =
      'SELECT household_id, sum(cards), sum(in_person), max(CASE WHEN in_person > 0 THEN day END) ' +
      'FROM household_days INDEXED BY household_days_day WHERE day >= @from AND day < @to GROUP BY household_id';
    for (const [householdId, n, inPerson, lastInPerson] of rows(db, daySql, { from, to }) as [number, number, number, string | null][]) {
      addCounts(householdId, n, inPerson, lastInPerson);
    }
  }
  const drafts = rows(db, "SELECT household_id, started_at FROM card_drafts WHERE status = 'open' AND revise_card_id IS NULL") as [number, number][];
  for (const [householdId, at] of drafts) if (households.has(householdId)) cards.push({ householdId, status: 'draft', at });

  const flags: FlagRow[] = [];
  for (const [householdId, kind] of rows(db, 'SELECT household_id, code FROM card_flags WHERE resolved_at IS NULL') as [number, string][]) {
    if (households.has(householdId)) flags.push({ householdId, open: true, kind });
  }

  const guaranteeFailures = failedGuarantees(db, opts.recount ? latest : 'tallies').filter((g) => households.has(g.householdId as number));
  const quizResults = quizRows(db, period).filter((q) => helperNames.has(q.personId as number) || scope.kind === 'district');

  return {
    input: { households: [...households.values()], visits, cards, flags, guaranteeFailures, quizResults, helpers },
    names: { town: nameMap(db, 'towns'), village: nameMap(db, 'villages'), unit: nameMap(db, 'units'), helper: helperNames },
  };
}

/**
 * Failed items (不达标) on each household's latest card (by visit date; when two cards share that date, a failure on
 * either counts). Each household's latest card is sought in cards_household_guarantees, which holds the six items,
 * so the answers column is never read. `latest` says where each household's latest visit date comes from: a map
 * (household → date) the caller has read already; 'tallies', the last row of the household's household_years (one
 * seek per household, whatever the years of history); by default a pass over cards_household_date.
 */
export function failedGuarantees(db: Db, latest?: ReadonlyMap<number, string> | 'tallies'): GuaranteeFailureRow[] {
  const items = GUARANTEE_ITEMS.map((g) => [g, GUARANTEE_FIELDS[g]] as const);
  const exprs = items.map(([, field]) => `c.answers ->> '$.${field}'`);
  const latestDates = typeof latest === 'object' ? latest : undefined;
  // each household's latest card, sought in cards_household_guarantees (household, date, the six items)
  const latestSql = latestDates
    ? 'SELECT CAST(key AS INTEGER) AS household_id, value AS d FROM json_each(?)'
    : latest === 'tallies'
      ? 'SELECT h.id AS household_id, (SELECT y.last_visit FROM household_years y WHERE y.household_id = h.id ORDER BY y.year DESC LIMIT 1) AS d FROM households h'
      : 'SELECT household_id, max(visit_date) AS d FROM cards INDEXED BY cards_household_date GROUP BY household_id';
  const sql =
    `SELECT l.household_id, c.visit_date, ${exprs.join(', ')} FROM (${latestSql}) l ` +
    // CROSS JOIN: the households outside, one seek each (else the planner walks the whole index, growing with the cards)
    'CROSS JOIN cards c INDEXED BY cards_household_guarantees ON c.household_id = l.household_id AND c.visit_date = l.d ' +
    `WHERE ${exprs.map((e) => `${e} = ?`).join(' OR ')}`;
  const args = latestDates ? [JSON.stringify(Object.fromEntries(latestDates)), ...items.map(() => FAILED_VALUE)] : items.map(() => FAILED_VALUE);
  const out: GuaranteeFailureRow[] = [];
  const seen = new Set<string>();
  for (const r of rows(db, sql, ...args)) {
    const householdId = Number(r[0]);
    items.forEach(([item], i) => {
      const key = `${householdId}:${item}`;
      if (r[i + 2] === FAILED_VALUE && !seen.has(key)) {
        seen.add(key);
        out.push({ householdId, item });
      }
    });
  }
  return out;
}

/** Quiz assignments of pushes created in the period, per person (see core/stats/quiz-results.ts for the rule). */
export function quizRows(db: Db, period: Period): QuizResultRow[] {
  const pushes = quizPushes(db, { period });
  if (!pushes.size) return [];
  const units = new Map(rows(db, 'SELECT id, unit_id FROM people').map((r) => [r[0] as number, (r[1] as number | null) ?? 0]));
  return quizResults(pushes.values(), period, (pid) => units.get(pid));
}

/**
 * Quiz pushes with each person's deliveries and the finished attempts (in attempt order): every push, one push, or
 * those created in a period. The recount (quizRows) and the /stats snapshot read them alike.
 */
export function quizPushes(db: Db, which: 'all' | { id: number } | { period: Period } = 'all'): Map<number, QuizPush> {
  const [where, args] =
    which === 'all' ? ['', []]
    : 'id' in which ? [' WHERE id = ?', [which.id]]
    : [' WHERE created_at >= ? AND created_at < ?', [which.period.startAt, which.period.endAt]];
  const ofPushes = where ? `push_id IN (SELECT id FROM quiz_pushes${where})` : '';
  const read = (sql: string) => prepared(db, `quiz-pushes:${sql}`, () => db.$client.prepare(sql).raw(true)).all(...args) as number[][];
  const out = new Map<number, QuizPush>();
  for (const [id, createdAt, total] of read(`SELECT id, created_at, json_array_length(questions) FROM quiz_pushes${where}`)) {
    out.set(id, { id, createdAt, total, assigned: new Map(), finished: [] });
  }
  for (const [push, person, n] of read(`SELECT push_id, person_id, count(*) FROM quiz_deliveries${ofPushes ? ` WHERE ${ofPushes}` : ''} GROUP BY 1, 2`)) {
    out.get(push)?.assigned.set(person, n);
  }
  const finished = `SELECT push_id, person_id, correct_count FROM quiz_attempts WHERE ${ofPushes ? `${ofPushes} AND ` : ''}finished_at IS NOT NULL ORDER BY push_id, id`;
  for (const [push, person, correct] of read(finished)) out.get(push)?.finished.push([person, correct]);
  return out;
}

/** A household as the supervisor's lists show it: its pacing inputs and latest card. */
export interface ScopedHousehold {
  id: number;
  code: string;
  headName: string;
  villageName: string;
  visits: number;
  lastVisitDate: string | null;
  lastCardId: number | null;
  openFlags: number;
}

/** A helper's currently paired households that lie in the supervisor's scope, with in-person visits in [from, to). */
export function helperHouseholdsInScope(db: Db, scope: Scope, helperId: number, fromDate: string, toDate: string): ScopedHousehold[] {
  const f = scopeSql(scope).households;
  const sql =
    'SELECT h.id, h.code, h.head_name, v.name, ' +
    '(SELECT count(*) FROM cards c WHERE c.household_id = h.id AND c.in_person = 1 AND c.visit_date >= ? AND c.visit_date < ?), ' +
    '(SELECT max(visit_date) FROM cards c WHERE c.household_id = h.id AND c.in_person = 1 AND c.visit_date >= ? AND c.visit_date < ?), ' +
    '(SELECT c.id FROM cards c WHERE c.household_id = h.id ORDER BY c.visit_date DESC, c.submitted_at DESC, c.id DESC LIMIT 1), ' +
    '(SELECT count(*) FROM card_flags fl WHERE fl.household_id = h.id AND fl.resolved_at IS NULL) ' +
    'FROM pairings p JOIN households h ON h.id = p.household_id JOIN villages v ON v.id = h.village_id ' +
    `WHERE p.helper_id = ? AND p.end_date IS NULL AND ${f.where} ORDER BY h.code`;
  return (rows(db, sql, fromDate, toDate, fromDate, toDate, helperId, ...f.args) as [number, string, string, string, number, string | null, number | null, number][]).map(
    ([id, code, headName, villageName, visits, lastVisitDate, lastCardId, openFlags]) => ({ id, code, headName, villageName, visits, lastVisitDate, lastCardId, openFlags }),
  );
}

/** Reachable people (Telegram bound, not revoked) holding a role, with the scope of the grant (a supervisor's). */
export function reachableWithRole(
  db: Db,
  role: 'helper' | 'supervisor',
): { id: number; name: string; telegramId: number; locale: string | null; scope: SupervisorScope | undefined }[] {
  const sql =
    'SELECT pe.id, pe.name, pe.telegram_id, pe.locale, r.scope_kind, r.scope_id FROM people pe JOIN person_roles r ON r.person_id = pe.id AND r.role = ? ' +
    'WHERE pe.telegram_id IS NOT NULL AND pe.revoked_at IS NULL ORDER BY pe.id';
  return (rows(db, sql, role) as [number, string, number, string | null, string | null, number | null][]).map(
    ([id, name, telegramId, locale, scopeKind, scopeId]) => ({ id, name, telegramId, locale, scope: grantedScope(scopeKind, scopeId) }),
  );
}

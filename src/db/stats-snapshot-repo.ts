/**
 * The `/stats` snapshot (core/stats/snapshot.ts) of one connection: loaded whole on first use, then brought up to date
 * before each report from stats_changes, which triggers write as the rows it holds are written (drizzle/0018). Only
 * the households, helpers and quiz pushes named there are read again; a change of structure (households, villages,
 * units, people, roles, pairings), or a reader so far behind that the rows it needs were pruned, reloads it whole.
 * Each refresh reads in one transaction, so the snapshot is that of one moment.
 */
import type { SupervisorScope, Scope } from '../core/people/scope.js';
import {
  buildSnapshot, buildStructure, DayColumns, dayNumber, setHelperLast, setHousehold, snapshotReport, type HouseholdExtras, type SnapshotStructure, type StatsSnapshot,
} from '../core/stats/snapshot.js';
import type { StatsOptions, StatsReport } from '../core/stats/index.js';
import { DEFAULT_IDLE_DAYS } from '../core/stats/index.js';
import { localDate } from '../core/time.js';
import { DEFAULT_VISIT_TARGET } from '../core/visits/pacing.js';
import type { Db } from './client.js';
import { prepared } from './prepared.js';
import { dateEpochCache, quizPushes } from './stats-repo.js';

type Raw = unknown[];

function all(db: Db, sql: string, ...args: unknown[]): Raw[] {
  return prepared(db, `stats-snapshot:${sql}`, () => db.$client.prepare(sql).raw(true)).all(...args) as Raw[];
}

/** Above this many changed households a refresh loads the snapshot whole instead. */
const BULK_HOUSEHOLDS = 2000;

interface Held {
  snapshot: StatsSnapshot | undefined;
  /** the last stats_changes row applied */
  seq: number;
}

const held = new WeakMap<Db, Held>();

/** The connection's snapshot, brought up to date. */
export function statsSnapshot(db: Db): StatsSnapshot {
  let h = held.get(db);
  if (!h) held.set(db, (h = { snapshot: undefined, seq: -1 }));
  const hh = h;
  const [last] = all(db, 'SELECT max(seq) FROM stats_changes')[0] as [number | null];
  if (!hh.snapshot || (last ?? 0) !== hh.seq) db.$client.transaction(() => refresh(db, hh))();
  return hh.snapshot!;
}

function refresh(db: Db, h: Held): void {
  const [last, first] = all(db, 'SELECT max(seq), min(seq) FROM stats_changes')[0] as [number | null, number | null];
  const s = h.snapshot;
  // never loaded, or rows after the last applied were pruned
  if (!s || (first !== null && first > h.seq + 1)) return loadWhole(db, h, last ?? 0);
  const households = new Set<number>();
  const helpers = new Set<number>();
  const pushes = new Set<number>();
  for (const [kind, ref] of all(db, 'SELECT kind, ref FROM stats_changes WHERE seq > ?', h.seq) as [string, number | null][]) {
    if (kind === 'all') return loadWhole(db, h, last ?? 0);
    if (ref === null) continue;
    if (kind === 'household') households.add(ref);
    else if (kind === 'helper') helpers.add(ref);
    else if (kind === 'quiz') pushes.add(ref);
  }
  // many at once (an import): loaded whole, cheaper than as many seeks
  if (households.size > BULK_HOUSEHOLDS) return loadWhole(db, h, last ?? 0);
  for (const hid of households) {
    const i = s.hIndex.get(hid);
    if (i !== undefined) setHousehold(s, i, householdDays(db, hid), householdExtras(db, hid));
  }
  for (const pid of helpers) {
    const [date] = (all(db, 'SELECT max(visit_date) FROM cards INDEXED BY cards_helper_inperson_date WHERE helper_id = ? AND in_person = 1', pid)[0] ?? [null]) as [string | null];
    setHelperLast(s, pid, date);
  }
  if (pushes.size) s.quizByPeriod.clear();
  for (const id of pushes) {
    const p = quizPushes(db, { id }).get(id);
    if (p) s.pushes.set(id, p);
    else s.pushes.delete(id);
  }
  h.seq = last ?? h.seq;
}

function loadWhole(db: Db, h: Held, seq: number): void {
  const helperRole = new Set((all(db, "SELECT person_id FROM person_roles WHERE role = 'helper'") as [number][]).map((r) => r[0]));
  const structure = buildStructure({
    households: all(db, 'SELECT h.id, h.village_id, v.town_id FROM households h JOIN villages v ON v.id = h.village_id ORDER BY h.id') as [number, number, number][],
    pairings: all(db, 'SELECT household_id, helper_id FROM pairings WHERE end_date IS NULL ORDER BY household_id, helper_id') as [number, number][],
    people: (all(db, 'SELECT id, unit_id, revoked_at, name FROM people ORDER BY id') as [number, number | null, number | null, string][]).map(([id, unit, revoked, name]) => [
      id, unit, revoked !== null, helperRole.has(id), name,
    ]),
    units: all(db, 'SELECT id, town_id FROM units') as [number, number | null][],
  });
  const s = buildSnapshot(structure, dayRows(db, structure), extrasOf(db, structure));
  s.reports = h.snapshot?.reports ?? 0;
  for (const [pid, date] of all(db, 'SELECT helper_id, max(visit_date) FROM cards INDEXED BY cards_helper_inperson_date WHERE in_person = 1 GROUP BY helper_id') as [number, string][]) {
    s.helperLast.set(pid, date);
  }
  s.pushes = quizPushes(db);
  h.snapshot = s;
  h.seq = seq;
}

/** Every household's tallies by day, in index and day order (rows streamed: none of them outlives its turn). */
function dayRows(db: Db, s: SnapshotStructure): DayColumns {
  const out = new DayColumns();
  const q = prepared(db, 'stats-snapshot:days', () => db.$client.prepare('SELECT household_id, day, cards, in_person FROM household_days ORDER BY household_id, day').raw(true));
  for (const [hid, day, cards, inPerson] of q.iterate() as IterableIterator<[number, string, number, number]>) {
    const i = s.hIndex.get(hid);
    if (i !== undefined) out.add(i, dayNumber(day), cards, inPerson);
  }
  return out;
}

/** Every household's extras (by index; those with none are left out). */
function extrasOf(db: Db, s: SnapshotStructure): Map<number, HouseholdExtras> {
  const out = new Map<number, HouseholdExtras>();
  const of = (hid: number) => {
    const i = s.hIndex.get(hid);
    if (i === undefined) return undefined;
    let x = out.get(i);
    if (!x) out.set(i, (x = { returned: [], drafts: [], flags: [], mask: 0 }));
    return x;
  };
  for (const [hid, day] of all(db, RETURNED) as [number, string][]) of(hid)?.returned.push(dayNumber(day));
  for (const [hid, at] of all(db, DRAFTS) as [number, number][]) of(hid)?.drafts.push(at);
  for (const [hid, code] of all(db, FLAGS) as [number, string][]) of(hid)?.flags.push(code);
  for (const [hid, mask] of all(db, 'SELECT household_id, mask FROM household_failures') as [number, number][]) {
    const x = of(hid);
    if (x) x.mask = mask;
  }
  return out;
}

// the open reviews first (CROSS JOIN keeps that order): with few reviews the planner would otherwise walk every card
const RETURNED = "SELECT c.household_id, c.visit_date FROM card_reviews r CROSS JOIN cards c ON c.id = r.card_id WHERE r.status IN ('sent', 'opened') GROUP BY c.id";
const DRAFTS = "SELECT household_id, started_at FROM card_drafts WHERE status = 'open' AND revise_card_id IS NULL";
const FLAGS = 'SELECT household_id, code FROM card_flags WHERE resolved_at IS NULL ORDER BY id';

/** One household's tallies: day number, cards, in-person, … in day order. */
function householdDays(db: Db, hid: number): number[] {
  const out: number[] = [];
  for (const [day, cards, inPerson] of all(db, 'SELECT day, cards, in_person FROM household_days WHERE household_id = ? ORDER BY day', hid) as [string, number, number][]) {
    out.push(dayNumber(day), cards, inPerson);
  }
  return out;
}

/** One household's extras, or undefined when it has none. */
function householdExtras(db: Db, hid: number): HouseholdExtras | undefined {
  const x: HouseholdExtras = { returned: [], drafts: [], flags: [], mask: 0 };
  const returned = "SELECT c.visit_date FROM cards c WHERE c.household_id = ? AND EXISTS (SELECT 1 FROM card_reviews r WHERE r.card_id = c.id AND r.status IN ('sent', 'opened'))";
  for (const [day] of all(db, returned, hid) as [string][]) x.returned.push(dayNumber(day));
  const drafts = "SELECT started_at FROM card_drafts WHERE household_id = ? AND status = 'open' AND revise_card_id IS NULL";
  for (const [at] of all(db, drafts, hid) as [number][]) x.drafts.push(at);
  for (const [code] of all(db, 'SELECT code FROM card_flags WHERE resolved_at IS NULL AND household_id = ? ORDER BY id', hid) as [string][]) x.flags.push(code);
  x.mask = ((all(db, 'SELECT mask FROM household_failures WHERE household_id = ?', hid)[0] ?? [0]) as [number])[0];
  return x.returned.length || x.drafts.length || x.flags.length || x.mask ? x : undefined;
}

/** computeStats' options, for a supervisor's scope (whose data is read) and a part of it (the report's scope). */
export type GroupedStatsRequest = Omit<StatsOptions, 'scope'> & { supervisor: SupervisorScope; scope: Scope };

/** The report of one `/stats` page, from the connection's snapshot. */
export function groupedStats(db: Db, req: GroupedStatsRequest, timeZone: string): StatsReport {
  const s = statsSnapshot(db);
  return snapshotReport(
    s,
    { ...req, target: req.target ?? DEFAULT_VISIT_TARGET, idleDays: req.idleDays ?? DEFAULT_IDLE_DAYS },
    { dateOf: (at) => localDate(at, timeZone), epochOf: dateEpochCache(timeZone) },
  );
}

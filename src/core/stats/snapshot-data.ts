/**
 * The `/stats` snapshot's data: each household's place and helpers, its tallies per day, open reviews, drafts, flags
 * and failed items, each person's unit, role and name, each helper's latest visit and each quiz push's results, held in
 * columns (typed arrays by index, pairings as offset lists: a city's 100,000 households as objects in maps cost more
 * in memory lookups than the arithmetic of a report). Built and patched here; read by snapshot.ts.
 */
import type { ScopedHelper } from './grouped.js';
import type { QuizPush } from './quiz-results.js';
import type { QuizResultRow } from './types.js';

/** A date as a number that sorts like it: '2017-03-05' → 20170305. */
export function dayNumber(date: string): number {
  return Number(date.slice(0, 4)) * 10000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
}

/** What a household has besides its tallies (most have none). */
export interface HouseholdExtras {
  /** the visit day of each of its cards with a review still open */
  returned: number[];
  /** start instants of its open drafts that are not corrections */
  drafts: number[];
  /** codes of its open flags */
  flags: string[];
  /** failed guarantee items on its latest card (household_failures) */
  mask: number;
}

/** The structure: households, people and open pairings. Changes reload it whole. */
export interface SnapshotStructure {
  /** households in id order: id, village, town; index by id */
  hId: Int32Array;
  hVillage: Int32Array;
  hTown: Int32Array;
  hIndex: Map<number, number>;
  /** each household's open pairings (anyone paired): people indexes hPairPerson[hPairStart[i] .. hPairStart[i + 1]) */
  hPairStart: Int32Array;
  hPairPerson: Int32Array;
  /** people in id order: id, unit (-1 none), helper role, revoked; index by id */
  pId: Int32Array;
  pUnit: Int32Array;
  pHelper: Uint8Array;
  pRevoked: Uint8Array;
  pName: string[];
  pIndex: Map<number, number>;
  /** each person's open pairings: household indexes in household order */
  pPairStart: Int32Array;
  pPairHousehold: Int32Array;
  /** unit → its town (null when it has none) */
  unitTown: Map<number, number | null>;
  /** each household's town and village as a slot (an index into townIds / villageIds) */
  hTownSlot: Int32Array;
  hVillageSlot: Int32Array;
  townIds: number[];
  villageIds: number[];
}

export interface StatsSnapshot extends SnapshotStructure {
  /** tallies by day, ascending per household: the days dDay[dStart[i] .. dStart[i + 1]) of household i */
  dStart: Int32Array;
  dDay: Int32Array;
  /**
   * four numbers per tally k at dSums[4k ..]: the household's cards and in-person cards from this tally to its last
   * (sums towards the end), the day of its latest in-person tally up to this one (0: none) and a spare. A period that
   * runs to the household's last tally (any period ending today) then reads one record, at its first tally, whatever
   * the years of history before it: with sums from the start it read two, one at each end, and three columns of them
   * were six cache misses per household where this is one. (The days stay a column of their own: the searches read
   * only them, and densely.)
   */
  dSums: Int32Array;
  /** each household's latest in-person day (0: none), for a period that runs to its last tally */
  dLastIn: Int32Array;
  /** each household's latest day with a tally (0: none): whether a period runs past it, read in household order */
  dLatest: Int32Array;
  /**
   * the first day of the year of the latest tally (as a day number, YYYY0101) and each household's cards and in-person
   * cards from its first tally on or after it: the year page (that year to date) reads these two columns in household
   * order instead of seeking the year's first tally in each household's history (with years of it, a cache miss each)
   */
  dYearFrom: number;
  dYearCards: Int32Array;
  dYearIn: Int32Array;
  /**
   * Each household's latest tallies in a slot of its own, records of 8 bytes [dRecentStart[i], dRecentStart[i + 1]),
   * at most `dRecentSlot` of them whatever the years of history, household after household: a period reaching no
   * further back than the slot (the last 30 and 90 days) is read from it alone, so a report touches at most as much
   * memory per household with ten times the cards, in household order. (A slot of fixed size made a city's households
   * with three tallies each read 128 bytes apart, slower than their short histories.) (In the
   * history's columns a household's latest days lay ten times further apart, and those reads missed the caches more
   * often when other work shared the machine.) Record 0: the day of the household's latest tally that is not in the
   * slot (0: every tally is; NOT_SLOTTED: the slot is not to be read) and its latest in-person day (0: none). Records
   * 1, 2, …: its tallies from the latest back, each with the household's cards and in-person cards
   * from the latest tally back to this one (Uint16 at dRecent16[4r + 2] and [4r + 3]).
   */
  dRecentSlot: number;
  dRecentStart: Int32Array;
  dRecent32: Int32Array;
  dRecent16: Uint16Array;
  /** households whose tallies changed since they were laid out: flat day, cards, in-person triples */
  dChanged: Map<number, number[]>;
  dIsChanged: Uint8Array;
  /** household index → its extras; hasExtras marks them */
  extras: Map<number, HouseholdExtras>;
  hasExtras: Uint8Array;
  /** helper id → latest in-person visit date ('YYYY-MM-DD'), any period (changed through setHelperLast) */
  helperLast: Map<number, string>;
  /** the helpers of a supervisor's scope as reports read them (not their villages), by scope and whether towns are
   * read, until a helper's latest visit changes or the structure reloads (a city has 30,000: made once, not per page) */
  scopedHelpers: Map<string, ScopedHelper[]>;
  /** quiz pushes by id */
  pushes: Map<number, QuizPush>;
  /** quiz results by period ('startAt:endAt'), until a push changes (the refresh clears it) */
  quizByPeriod: Map<string, QuizResultRow[]>;
  /** names of each supervisor scope's helpers (by scope), until the structure reloads */
  helperNames: Map<string, Map<number, string>>;
  /** marks the households of the report being computed */
  mark: Uint32Array;
  /** the figures of the report being computed, a record per household index (snapshot.ts' SCRATCH) */
  scratch?: Int32Array;
  reports: number;
}

export interface StructureRows {
  /** households in id order: id, village, town */
  households: [number, number, number][];
  /** open pairings: household, person */
  pairings: [number, number][];
  /** people in id order: id, unit, revoked, helper, name */
  people: [number, number | null, boolean, boolean, string][];
  units: [number, number | null][];
}

/** Offset lists from pairs (a, b) of indexes below n: b's of each a, in the order given. */
function offsets(n: number, pairs: [number, number][]): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(n + 1);
  for (const [a] of pairs) start[a + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const items = new Int32Array(pairs.length);
  for (const [a, b] of pairs) items[fill[a]++] = b;
  return { start, items };
}

export function buildStructure(rows: StructureRows): SnapshotStructure {
  const nh = rows.households.length;
  const hId = new Int32Array(nh);
  const hVillage = new Int32Array(nh);
  const hTown = new Int32Array(nh);
  const hIndex = new Map<number, number>();
  rows.households.forEach(([id, village, town], i) => {
    hId[i] = id;
    hVillage[i] = village;
    hTown[i] = town;
    hIndex.set(id, i);
  });
  const np = rows.people.length;
  const pId = new Int32Array(np);
  const pUnit = new Int32Array(np);
  const pHelper = new Uint8Array(np);
  const pRevoked = new Uint8Array(np);
  const pIndex = new Map<number, number>();
  const pName: string[] = [];
  rows.people.forEach(([id, unit, revoked, helper, name], i) => {
    pName.push(name);
    pId[i] = id;
    pUnit[i] = unit ?? -1;
    pHelper[i] = helper ? 1 : 0;
    pRevoked[i] = revoked ? 1 : 0;
    pIndex.set(id, i);
  });
  // pairings of households and people that exist (the tables' keys guarantee it; a stray row is left out)
  const pairs: [number, number][] = [];
  for (const [hid, pid] of rows.pairings) {
    const h = hIndex.get(hid);
    const p = pIndex.get(pid);
    if (h !== undefined && p !== undefined) pairs.push([h, p]);
  }
  const byHousehold = offsets(nh, pairs);
  // rows come in household order, so each person's list is in household order too
  const byPerson = offsets(np, pairs.map(([h, p]) => [p, h]));
  const slots = (of: Int32Array) => {
    const ids: number[] = [];
    const slotOf = new Map<number, number>();
    const slot = new Int32Array(nh);
    of.forEach((id, i) => {
      let k = slotOf.get(id);
      if (k === undefined) slotOf.set(id, (k = ids.push(id) - 1));
      slot[i] = k;
    });
    return { ids, slot };
  };
  const towns = slots(hTown);
  const villages = slots(hVillage);
  return {
    hTownSlot: towns.slot, townIds: towns.ids, hVillageSlot: villages.slot, villageIds: villages.ids,
    hId, hVillage, hTown, hIndex, hPairStart: byHousehold.start, hPairPerson: byHousehold.items,
    pId, pUnit, pHelper, pRevoked, pName, pIndex, pPairStart: byPerson.start, pPairHousehold: byPerson.items,
    unitTown: new Map(rows.units),
  };
}

/** Day tallies as columns (household index, day number, cards, in-person), grown as rows are added. */
export class DayColumns {
  count = 0;
  household = new Int32Array(1024);
  day = new Int32Array(1024);
  cards = new Int32Array(1024);
  inPerson = new Int32Array(1024);

  add(i: number, day: number, cards: number, inPerson: number): void {
    if (this.count === this.day.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.household = grow(this.household);
      this.day = grow(this.day);
      this.cards = grow(this.cards);
      this.inPerson = grow(this.inPerson);
    }
    const k = this.count++;
    this.household[k] = i;
    this.day[k] = day;
    this.cards[k] = cards;
    this.inPerson[k] = inPerson;
  }
}

/**
 * Records per household in the recent slots at most (at least 2): 16 records of 8 bytes are two cache lines, record 0
 * and the latest 15 tallies (a household visited weekly has 13 in the last 90 days).
 */
export const RECENT_SLOT = 16;
/** The edge of a household whose sums do not fit the slot's 16 bits: its slot is never read for a period. */
export const NOT_SLOTTED = 0x7fffffff;

/** Each household's latest tallies in its recent slot (see StatsSnapshot.dRecentSlot), from the laid-out columns. */
function recentSlots(n: number, slot: number, dStart: Int32Array, dDay: Int32Array, dSums: Int32Array, dLastIn: Int32Array) {
  const rStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rStart[i + 1] = rStart[i] + 1 + Math.min(slot - 1, dStart[i + 1] - dStart[i]);
  const r32 = new Int32Array(2 * rStart[n]);
  const r16 = new Uint16Array(r32.buffer);
  for (let i = 0; i < n; i++) {
    const base = 2 * rStart[i];
    const start = dStart[i];
    const end = dStart[i + 1];
    const kept = rStart[i + 1] - rStart[i] - 1;
    const first = end - kept;
    // the sums from the latest tally back to one are the laid-out sums towards the end at it; the largest, at the
    // slot's oldest tally, must fit 16 bits (in-person cards are some of the cards)
    r32[base] = kept && dSums[4 * first] > 0xffff ? NOT_SLOTTED : first > start ? dDay[first - 1] : 0;
    r32[base + 1] = dLastIn[i];
    for (let j = 1; j <= kept; j++) {
      const k = end - j;
      const rec = base + 2 * j;
      r32[rec] = dDay[k];
      r16[2 * rec + 2] = dSums[4 * k];
      r16[2 * rec + 3] = dSums[4 * k + 1];
    }
  }
  return { rStart, r32, r16 };
}

/**
 * A snapshot of a structure with every household's tallies (in household index and day order). Columns, not a row
 * object per tally: loading ten years of a district's cards made 600,000 arrays, all alive until the end of the load
 * and then old-generation garbage that full collections met in the reports after it.
 */
export function buildSnapshot(structure: SnapshotStructure, days: DayColumns, extras: Map<number, HouseholdExtras>, slot = RECENT_SLOT): StatsSnapshot {
  const n = structure.hId.length;
  const m = days.count;
  const dStart = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) dStart[days.household[k] + 1]++;
  for (let i = 0; i < n; i++) dStart[i + 1] += dStart[i];
  const dDay = days.day.slice(0, m);
  const dSums = new Int32Array(4 * m);
  const dLastIn = new Int32Array(n);
  for (let k = m - 1; k >= 0; k--) {
    const i = days.household[k];
    const last = k === dStart[i + 1] - 1;
    dSums[4 * k] = days.cards[k] + (last ? 0 : dSums[4 * k + 4]);
    dSums[4 * k + 1] = days.inPerson[k] + (last ? 0 : dSums[4 * k + 5]);
  }
  for (let k = 0; k < m; k++) {
    const i = days.household[k];
    const first = k === dStart[i];
    dSums[4 * k + 2] = days.inPerson[k] > 0 ? dDay[k] : first ? 0 : dSums[4 * k - 2];
    dLastIn[i] = dSums[4 * k + 2];
  }
  let maxDay = 0;
  for (let k = 0; k < m; k++) if (dDay[k] > maxDay) maxDay = dDay[k];
  const dYearFrom = Math.floor(maxDay / 10000) * 10000 + 101;
  const dYearCards = new Int32Array(n);
  const dYearIn = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let k = dStart[i + 1];
    while (k > dStart[i] && dDay[k - 1] >= dYearFrom) k--;
    if (k < dStart[i + 1]) {
      dYearCards[i] = dSums[4 * k];
      dYearIn[i] = dSums[4 * k + 1];
    }
  }
  const dLatest = new Int32Array(n);
  for (let i = 0; i < n; i++) if (dStart[i + 1] > dStart[i]) dLatest[i] = dDay[dStart[i + 1] - 1];
  const recent = recentSlots(n, slot, dStart, dDay, dSums, dLastIn);
  const hasExtras = new Uint8Array(n);
  for (const i of extras.keys()) hasExtras[i] = 1;
  return {
    // every field named (a spread of the structure made a dictionary-mode object, slow to read in the report's loops)
    hId: structure.hId, hVillage: structure.hVillage, hTown: structure.hTown, hIndex: structure.hIndex, hPairStart: structure.hPairStart,
    hPairPerson: structure.hPairPerson, pId: structure.pId, pUnit: structure.pUnit, pHelper: structure.pHelper, pRevoked: structure.pRevoked,
    pName: structure.pName, pIndex: structure.pIndex, pPairStart: structure.pPairStart, pPairHousehold: structure.pPairHousehold,
    unitTown: structure.unitTown, hTownSlot: structure.hTownSlot, hVillageSlot: structure.hVillageSlot, townIds: structure.townIds,
    villageIds: structure.villageIds,
    dStart, dDay, dSums, dLastIn, dLatest, dYearFrom, dYearCards, dYearIn, dRecentSlot: slot, dRecentStart: recent.rStart, dRecent32: recent.r32, dRecent16: recent.r16, dChanged: new Map(), dIsChanged: new Uint8Array(n), extras, hasExtras,
    helperLast: new Map(), scopedHelpers: new Map(), pushes: new Map(), quizByPeriod: new Map(), helperNames: new Map(), mark: new Uint32Array(n), reports: 0, scratch: undefined,
  };
}

/** A household's tallies and extras read again (by index). */
export function setHousehold(s: StatsSnapshot, i: number, days: number[], extras: HouseholdExtras | undefined): void {
  s.dChanged.set(i, days);
  s.dIsChanged[i] = 1;
  if (extras) s.extras.set(i, extras);
  else s.extras.delete(i);
  s.hasExtras[i] = extras ? 1 : 0;
  // laid out again once a tenth of the households have changed (the lists stay short between)
  if (s.dChanged.size > 1000 && s.dChanged.size * 10 > s.hId.length) compactDays(s);
}

/** Lays the changed households' tallies out among the others again (`slot`: records per household's recent slot). */
export function compactDays(s: StatsSnapshot, slot = s.dRecentSlot): void {
  const rows = new DayColumns();
  for (let i = 0; i < s.hId.length; i++) {
    const changed = s.dIsChanged[i] ? s.dChanged.get(i)! : undefined;
    if (changed) for (let k = 0; k < changed.length; k += 3) rows.add(i, changed[k], changed[k + 1], changed[k + 2]);
    else {
      // each tally's own counts are differences of the running sums
      const r = s.dSums;
      const end = s.dStart[i + 1];
      for (let k = s.dStart[i]; k < end; k++) {
        const last = k === end - 1;
        rows.add(i, s.dDay[k], r[4 * k] - (last ? 0 : r[4 * k + 4]), r[4 * k + 1] - (last ? 0 : r[4 * k + 5]));
      }
    }
  }
  const fresh = buildSnapshot(s, rows, s.extras, slot);
  s.dStart = fresh.dStart;
  s.dDay = fresh.dDay;
  s.dSums = fresh.dSums;
  s.dLastIn = fresh.dLastIn;
  s.dLatest = fresh.dLatest;
  s.dYearFrom = fresh.dYearFrom;
  s.dYearCards = fresh.dYearCards;
  s.dYearIn = fresh.dYearIn;
  s.dRecentSlot = fresh.dRecentSlot;
  s.dRecentStart = fresh.dRecentStart;
  s.dRecent32 = fresh.dRecent32;
  s.dRecent16 = fresh.dRecent16;
  s.dChanged = new Map();
  s.dIsChanged = new Uint8Array(s.hId.length);
}

/** A helper's latest in-person visit read again (null: none). */
export function setHelperLast(s: StatsSnapshot, pid: number, date: string | null): void {
  if (date) s.helperLast.set(pid, date);
  else s.helperLast.delete(pid);
  s.scopedHelpers.clear();
}

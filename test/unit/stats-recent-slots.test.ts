/**
 * The /stats snapshot reads a period's cards, in-person cards and latest in-person day from one of three layouts: the
 * latest year's sums kept by household, each household's recent slot (its latest tallies, a fixed number of records)
 * or its whole history's columns. Which one depends on where the period starts against the slot's edge (the latest
 * day the slot no longer holds). The oracle is the plain sum over the household's tallies; slots from two records
 * (one tally) to the default are compared, with periods inside the slot, across its edge, ending before the latest
 * tally, and sums too large for the slot's 16 bits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSnapshot, buildStructure, DayColumns, NOT_SLOTTED, RECENT_SLOT, tallyOf, type StatsSnapshot } from '../../src/core/stats/snapshot.js';

const FIRST = Date.UTC(2016, 0, 1);
/** day ordinal → day number (20160101 …) */
const dayNo = (d: number) => {
  const t = new Date(FIRST + d * 86_400_000);
  return t.getUTCFullYear() * 10000 + (t.getUTCMonth() + 1) * 100 + t.getUTCDate();
};

type Tally = { day: number; cards: number; inPerson: number };

function snapshotOf(households: Tally[][], slot: number): StatsSnapshot {
  const structure = buildStructure({ households: households.map((_, i) => [i + 1, 1, 1]), pairings: [], people: [], units: [] });
  const days = new DayColumns();
  households.forEach((ts, i) => ts.forEach((t) => days.add(i, dayNo(t.day), t.cards, t.inPerson)));
  return buildSnapshot(structure, days, new Map(), slot);
}

/** The oracle: the household's tallies in [from, to) summed, and the latest in-person day among them. */
function expected(ts: Tally[], from: number, to: number) {
  let cards = 0;
  let visits = 0;
  let last = 0;
  for (const t of ts) {
    const d = dayNo(t.day);
    if (d < from || d >= to) continue;
    cards += t.cards;
    visits += t.inPerson;
    if (t.inPerson > 0) last = Math.max(last, d);
  }
  return { cards, visits, last };
}

function read(s: StatsSnapshot, i: number, from: number, to: number) {
  const out = { cards: 0, visits: 0, last: 0 };
  tallyOf(s, i, from, to, out);
  return out;
}

/** A household's tallies: distinct days in ascending order, some with more cards than 16 bits hold. */
const household = fc
  .uniqueArray(
    fc.record({
      day: fc.integer({ min: 0, max: 1100 }),
      cards: fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 40_000 }) }),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { selector: (t) => t.day, maxLength: 30 },
  )
  .map((ts) => ts.sort((a, b) => a.day - b.day).map((t) => ({ day: t.day, cards: t.cards, inPerson: Math.floor(t.cards * t.share) })));

describe("the recent slots of the /stats snapshot's tallies", () => {
  it('give the plain sums for any period, slot size and history, on either side of the edge', () => {
    fc.assert(
      fc.property(
        fc.array(household, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(2, 3, 4, 5, 8, RECENT_SLOT),
        fc.array(fc.record({ from: fc.integer({ min: 0, max: 1120 }), length: fc.integer({ min: 1, max: 400 }) }), { minLength: 1, maxLength: 12 }),
        (households, slot, periods) => {
          const s = snapshotOf(households, slot);
          // the year page (from the latest tally's year's first day) and windows up to a day after the latest tally
          const windows = periods.map((p) => [dayNo(p.from), dayNo(p.from + p.length)]);
          const latest = Math.max(0, ...households.flatMap((ts) => ts.map((t) => t.day)));
          windows.push([s.dYearFrom, dayNo(latest)], [s.dYearFrom, dayNo(latest + 1)], [s.dYearFrom, dayNo(latest + 40)], [dayNo(latest - 30), dayNo(latest + 1)], [dayNo(latest - 90), dayNo(latest + 1)]);
          households.forEach((ts, i) => {
            for (const [from, to] of windows) expect(read(s, i, from, to), JSON.stringify({ i, from, to, slot })).toEqual(expected(ts, from, to));
          });
        },
      ),
      { numRuns: 400, seed: 15 },
    );
  });

  it('reads a period inside the slot from it, and one reaching past its edge from the history', () => {
    // days 10, 20, 30, 40, 50 (in person on 20 and 40): a slot of three records keeps 50 and 40, its edge is 30
    const ts: Tally[] = [10, 20, 30, 40, 50].map((day) => ({ day, cards: 2, inPerson: day === 20 || day === 40 ? 1 : 0 }));
    const s = snapshotOf([ts], 3);
    // record 0: the edge and the latest in-person day; then the days from the latest back
    expect([s.dRecent32[0], s.dRecent32[1], s.dRecent32[2], s.dRecent32[4]]).toEqual([dayNo(30), dayNo(40), dayNo(50), dayNo(40)]);
    const cases: [number, number][] = [
      [31, 60], // inside the slot, to after the latest
      [31, 50], // inside the slot, ending before the latest: the latest in-person day is 40
      [41, 50], // inside the slot, nothing in it
      [41, 51], // the latest tally alone, not in person
      [30, 60], // from the edge's day: the history
      [5, 45], // across the edge, ending inside the slot
      [15, 25], // before the slot
    ];
    for (const [from, to] of cases) expect(read(s, 0, dayNo(from), dayNo(to)), `${from}–${to}`).toEqual(expected(ts, dayNo(from), dayNo(to)));
  });

  it('does not read a slot whose sums exceed 16 bits', () => {
    const ts: Tally[] = [{ day: 1, cards: 1, inPerson: 1 }, { day: 5, cards: 40_000, inPerson: 30_000 }, { day: 9, cards: 30_000, inPerson: 1 }];
    const s = snapshotOf([ts], RECENT_SLOT);
    expect(s.dRecent32[0]).toBe(NOT_SLOTTED);
    expect(read(s, 0, dayNo(2), dayNo(20))).toEqual({ cards: 70_000, visits: 30_001, last: dayNo(9) });
    // one tally fewer fits: read from the slot
    const fits = snapshotOf([ts.slice(0, 2)], RECENT_SLOT);
    expect(fits.dRecent32[0]).toBe(0);
    expect(read(fits, 0, dayNo(2), dayNo(20))).toEqual({ cards: 40_000, visits: 30_000, last: dayNo(5) });
  });
});

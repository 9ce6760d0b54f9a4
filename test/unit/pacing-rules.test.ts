import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  computePacing,
  isInPerson,
  localDateToEpoch,
  paceFromSummary,
  zonedYearPeriod,
  type Pace,
  type VisitInstant,
} from '../../src/core/visits/pacing.js';

// A 360-day period so that, with a target of 6, the ideal gap is exactly 60 days and figures are easy by hand.
const S = Date.UTC(2017, 0, 1) - 8 * 3600_000;
const day = (d: number) => S + d * DAY_MS;
const P360 = { startAt: day(0), endAt: day(360) };
const inPerson = (...days: number[]): VisitInstant[] => days.map((d) => ({ at: day(d), mode: 'in_person' }));

interface Row {
  name: string;
  visits: VisitInstant[];
  now: number;
  count: number;
  last: number | null;
  expected: number;
  pace: Pace;
  nextDue: number | null;
}

const rows: Row[] = [
  // f = 30/360 → expected 0.5, floor 0; 30 days since start ≤ 60, but nobody has visited: never on pace → behind.
  { name: 'no visit yet, early', visits: [], now: day(30), count: 0, last: null, expected: 0.5, pace: 'behind', nextDue: day(60) },
  // exactly one gap after the start: not yet overdue (needs > 60) but expected = 1, floor 1 > 0 → behind.
  { name: 'no visit, exactly one gap', visits: [], now: day(60), count: 0, last: null, expected: 1, pace: 'behind', nextDue: day(60) },
  // 61 days with no visit > 60 → overdue (takes precedence over behind).
  { name: 'no visit, past one gap', visits: [], now: day(61), count: 0, last: null, expected: 61 / 60, pace: 'overdue', nextDue: day(60) },
  // 2 visits; expected 6·125/360 = 2.083 → floor 2, not behind; 55 days since day 70; R = 4, (360−70)/4 = 72.5 > 60 → due day 130.
  { name: 'on pace mid-year', visits: inPerson(10, 70), now: day(125), count: 2, last: day(70), expected: 125 / 60, pace: 'on_pace', nextDue: day(130) },
  // 2 visits; expected 185/60 = 3.083 → floor 3 > 2 → behind; 55 days since day 130; R = 4, (360−130)/4 = 57.5 < 60 → due day 187.5.
  { name: 'behind but recent', visits: inPerson(10, 130), now: day(185), count: 2, last: day(130), expected: 185 / 60, pace: 'behind', nextDue: day(187.5) },
  // target met: on pace whatever the gap, no next due.
  { name: 'target met', visits: inPerson(10, 20, 30, 40, 50, 60), now: day(300), count: 6, last: day(60), expected: 5, pace: 'on_pace', nextDue: null },
  // the phone call on day 50 does not count: 1 visit (day 10); 55 days since; expected 65/60 → floor 1 → on pace; R = 5, 350/5 = 70 → min 60 → day 70.
  { name: 'phone call ignored', visits: [...inPerson(10), { at: day(50), mode: 'phone' }], now: day(65), count: 1, last: day(10), expected: 65 / 60, pace: 'on_pace', nextDue: day(70) },
  // group events and "other" do not count either.
  { name: 'group and other ignored', visits: [{ at: day(5), mode: 'group' }, { at: day(6), mode: 'other' }], now: day(20), count: 0, last: null, expected: 20 / 60, pace: 'behind', nextDue: day(60) },
  // period over with 5 of 6 → overdue; next due = 300 + min(60, 60/1) = day 360.
  { name: 'period ended short', visits: inPerson(60, 120, 180, 240, 300), now: day(360), count: 5, last: day(300), expected: 6, pace: 'overdue', nextDue: day(360) },
  // a visit before the period and a future-dated one are not counted.
  { name: 'outside period and future ignored', visits: inPerson(-5, 100), now: day(50), count: 0, last: null, expected: 50 / 60, pace: 'behind', nextDue: day(60) },
  // mode absent = already filtered by the caller → counts; order does not matter for the last visit.
  { name: 'unsorted, mode absent', visits: [{ at: day(70) }, { at: day(10) }], now: day(100), count: 2, last: day(70), expected: 100 / 60, pace: 'on_pace', nextDue: day(130) },
  // the card form stores the Chinese option value: 入户走访 counts, 电话联系 does not.
  { name: 'card option values', visits: [{ at: day(10), mode: '入户走访' }, { at: day(20), mode: '电话联系' }], now: day(30), count: 1, last: day(10), expected: 0.5, pace: 'on_pace', nextDue: day(70) },
  // visit exactly at the end instant belongs to the next period (half-open).
  { name: 'visit at endAt excluded', visits: inPerson(360), now: day(365), count: 0, last: null, expected: 6, pace: 'overdue', nextDue: day(60) },
];

describe('computePacing on a 360-day period, target 6', () => {
  it.each(rows)('$name', (r) => {
    const p = computePacing(r.visits, P360, r.now, 6);
    expect(p.count).toBe(r.count);
    expect(p.lastVisitAt).toBe(r.last);
    expect(p.expectedByNow).toBeCloseTo(r.expected, 10);
    expect(p.pace).toBe(r.pace);
    expect(p.nextDueAt).toBe(r.nextDue);
    expect(p.targetMet).toBe(r.count >= 6);
    expect(p.target).toBe(6);
  });
});

describe('other targets', () => {
  it.each([
    // target 4 → gap 90 days. 1 visit day 80, now day 100: expected 1.11 → floor 1, not behind; 20 days → on pace; R = 3, 280/3 = 93.3 > 90 → due day 170.
    { target: 4, days: [80], now: 100, pace: 'on_pace' as Pace, nextDue: 170 },
    // target 12 → gap 30 days. 2 visits (20, 50), now day 85: 35 days > 30 → overdue.
    { target: 12, days: [20, 50], now: 85, pace: 'overdue' as Pace, nextDue: 80 },
    // target 12, visits 20, 50, 75, now day 100: expected 3.33 → floor 3 = 3 → not behind; 25 days → on pace.
    { target: 12, days: [20, 50, 75], now: 100, pace: 'on_pace' as Pace, nextDue: 105 },
  ])('target $target, visits $days, now day $now → $pace', ({ target, days, now, pace, nextDue }) => {
    const p = computePacing(inPerson(...days), P360, day(now), target);
    expect(p.pace).toBe(pace);
    expect(p.nextDueAt).toBe(Math.floor(day(nextDue)));
  });
});

describe('paceFromSummary', () => {
  it('agrees with computePacing for the same count and last visit', () => {
    const a = computePacing(inPerson(10, 130), P360, day(185));
    const b = paceFromSummary({ count: 2, lastVisitAt: day(130) }, P360, day(185));
    expect(b).toEqual(a);
  });
  it('rejects an empty period and a non-positive target', () => {
    expect(() => paceFromSummary({ count: 0, lastVisitAt: null }, { startAt: 5, endAt: 5 }, 5)).toThrow(RangeError);
    expect(() => paceFromSummary({ count: 0, lastVisitAt: null }, P360, day(1), 0)).toThrow(RangeError);
  });
});

describe('modes and dates', () => {
  it.each([
    ['in_person', true],
    ['入户走访', true],
    ['phone', false],
    ['电话联系', false],
    ['集中活动', false],
    ['', false],
  ])('isInPerson(%j) = %s', (mode, expected) => expect(isInPerson(mode)).toBe(expected));
  it('a card visit_date is local midnight in the zone', () => {
    expect(localDateToEpoch('2017-03-05')).toBe(Date.UTC(2017, 2, 4, 16));
    expect(localDateToEpoch('2017-03-05', 'UTC')).toBe(Date.UTC(2017, 2, 5));
    expect(() => localDateToEpoch('2017-3-5')).toThrow(RangeError);
  });
});

describe('calendar year in the configured zone', () => {
  it('2017 in Asia/Shanghai starts and ends at local midnight (UTC+8)', () => {
    expect(zonedYearPeriod(2017)).toEqual({ startAt: Date.UTC(2016, 11, 31, 16), endAt: Date.UTC(2017, 11, 31, 16) });
  });
  it('2020 in UTC is the UTC year (leap year, 366 days)', () => {
    const p = zonedYearPeriod(2020, 'UTC');
    expect(p).toEqual({ startAt: Date.UTC(2020, 0, 1), endAt: Date.UTC(2021, 0, 1) });
    expect((p.endAt - p.startAt) / DAY_MS).toBe(366);
  });
  it('a real 2017 household: overdue after 72.5 days without a visit', () => {
    const year = zonedYearPeriod(2017);
    const local = (m: number, d: number, h = 0) => Date.UTC(2017, m - 1, d, h - 8);
    // 2 visits (15 Feb, 20 Apr); now 1 Jul 12:00. Elapsed 181.5 of 365 days → expected 2.98, floor 2 = count.
    // Ideal gap 365/6 = 60.83 days; 20 Apr → 1 Jul noon = 72.5 days > gap → overdue.
    // Next due = 20 Apr + min(60.83 days, 256 days / 4) = 20 Apr + 60 d 20 h = 19 Jun 20:00 local.
    const p = computePacing([{ at: local(2, 15), mode: 'in_person' }, { at: local(4, 20), mode: 'in_person' }], year, local(7, 1, 12));
    expect(p.count).toBe(2);
    expect(p.expectedByNow).toBeCloseTo((6 * 181.5) / 365, 10);
    expect(p.pace).toBe('overdue');
    expect(p.nextDueAt).toBe(local(6, 19, 20));
  });
});

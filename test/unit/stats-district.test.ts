/**
 * Stats on a small district whose right answers are worked out by hand in the comments below.
 *
 * Period: 360 days from S, target 6 (ideal gap 60 days), now = day 185 → expected by now 6·185/360 = 3.08 → floor 3.
 * Idle helpers: no in-person visit for more than 30 days (before day 155).
 *
 * Towns T1 (villages V1, V2) and T2 (village V3). Units U1, U2.
 * Helpers: h1 U1/T1, h2 U1/T2 (lastVisitAt day 100), h3 U2/T1, h4 U2/T2.
 * Households and their counted in-person visits:
 *   A V1 [h1]              10, 70, 130, 180             → 4, last 180 (5 d)     → on pace
 *   B V1 [h1,h3]           20, 100 (+ phone 150)        → 2, last 100 (85 d)    → overdue
 *   C V2 [h3]              30, 90, 140 (+ future 200)   → 3, last 140 (45 d)    → on pace
 *   D V3 [h2]              10,60,110,150,160,170 (+ −10) → 6                    → target met, on pace
 *   E V3 [h2] + unit U2    130 (+ group event 160)      → 1, last 130 (55 d)    → behind (1 < 3)
 *   F V3 [h4]              none                         → 0, 185 d since start  → overdue
 * Household units: A U1; B U1,U2; C U2; D U1; E U2,U1; F U2.
 * Helpers' latest in-person visit: h1 180, h2 170, h3 140 (idle, 45 d), h4 never (idle).
 */
import { describe, expect, it } from 'vitest';
import { computeStats } from '../../src/core/stats/index.js';
import type { GroupStats, StatsInput, StatsOptions } from '../../src/core/stats/index.js';
import { DAY_MS } from '../../src/core/visits/pacing.js';

const S = Date.UTC(2017, 0, 1);
const day = (d: number) => S + d * DAY_MS;
const period = { startAt: day(0), endAt: day(360) };
const now = day(185);

const visit = (householdId: string, helperId: string, d: number, mode = 'in_person') => ({ householdId, helperId, at: day(d), mode });

const input: StatsInput = {
  helpers: [
    { id: 'h1', unitId: 'U1', townId: 'T1', lastVisitAt: null },
    { id: 'h2', unitId: 'U1', townId: 'T2', lastVisitAt: day(100) },
    { id: 'h3', unitId: 'U2', townId: 'T1', lastVisitAt: null },
    { id: 'h4', unitId: 'U2', townId: 'T2', lastVisitAt: null },
  ],
  households: [
    { id: 'A', villageId: 'V1', townId: 'T1', helperIds: ['h1'] },
    { id: 'B', villageId: 'V1', townId: 'T1', helperIds: ['h1', 'h3'] },
    { id: 'C', villageId: 'V2', townId: 'T1', helperIds: ['h3'] },
    { id: 'D', villageId: 'V3', townId: 'T2', helperIds: ['h2'] },
    { id: 'E', villageId: 'V3', townId: 'T2', helperIds: ['h2'], unitIds: ['U2'] },
    { id: 'F', villageId: 'V3', townId: 'T2', helperIds: ['h4'] },
  ],
  visits: [
    ...[10, 70, 130, 180].map((d) => visit('A', 'h1', d)),
    visit('B', 'h1', 20), visit('B', 'h3', 100), visit('B', 'h3', 150, 'phone'),
    ...[30, 90, 140, 200].map((d) => visit('C', 'h3', d)),
    ...[-10, 10, 60, 110, 150, 160, 170].map((d) => visit('D', 'h2', d)),
    visit('E', 'h2', 130), visit('E', 'h2', 160, 'group'),
  ],
  // In the period: A 3 (2 submitted), B 1, C 1 submitted (+1 before the period), D 1 submitted, E 1 draft.
  cards: [
    { householdId: 'A', status: 'submitted', at: day(10) },
    { householdId: 'A', status: 'submitted', at: day(70) },
    { householdId: 'A', status: 'draft', at: day(180) },
    { householdId: 'B', status: 'returned', at: day(100) },
    { householdId: 'C', status: 'submitted', at: day(30) },
    { householdId: 'C', status: 'submitted', at: day(-20) },
    { householdId: 'D', status: 'submitted', at: day(160) },
    { householdId: 'E', status: 'draft', at: day(130) },
  ],
  // Open: A dropout; B income_drop + illness; F illness. B's dropout is closed.
  flags: [
    { householdId: 'A', open: true, kind: 'dropout' },
    { householdId: 'B', open: true, kind: 'income_drop' },
    { householdId: 'B', open: true, kind: 'illness' },
    { householdId: 'B', open: false, kind: 'dropout' },
    { householdId: 'F', open: true, kind: 'illness' },
  ],
  guaranteeFailures: [
    { householdId: 'B', item: 'housing' },
    { householdId: 'B', item: 'water' },
    { householdId: 'E', item: 'housing' },
  ],
  // x9 is not a known helper (unit U2): counted in the district and in a U2 unit scope only.
  quizResults: [
    { personId: 'h1', unitId: 'U1', quizId: 'q1', done: true, scorePct: 80 },
    { personId: 'h1', unitId: 'U1', quizId: 'q2', done: true, scorePct: 60 },
    { personId: 'h2', unitId: 'U1', quizId: 'q1', done: true, scorePct: 100 },
    { personId: 'h2', unitId: 'U1', quizId: 'q2', done: false, scorePct: null },
    { personId: 'h3', unitId: 'U2', quizId: 'q1', done: false, scorePct: null },
    { personId: 'h4', unitId: 'U2', quizId: 'q1', done: true, scorePct: 50 },
    { personId: 'x9', unitId: 'U2', quizId: 'q1', done: true, scorePct: 90 },
  ],
};

const base = { period, now, target: 6, idleDays: 30 } as const;
const run = (o: Pick<StatsOptions, 'scope' | 'groupBy'> & Partial<StatsOptions>) => computeStats(input, { ...base, ...o });
const group = (groups: GroupStats[], key: string) => {
  const g = groups.find((x) => x.key === key);
  if (!g) throw new Error(`no group ${key}`);
  return g;
};

describe('district scope, by unit', () => {
  const r = run({ scope: { kind: 'district' }, groupBy: 'unit' });

  it('totals', () => {
    const t = r.totals;
    expect(t.households).toBe(6);
    expect(t.inPersonVisits).toBe(16); // 4 + 2 + 3 + 6 + 1 + 0
    expect(t.visitDistribution).toEqual([1, 1, 1, 1, 1, 0, 1]); // F, E, B, C, A, –, D
    expect(t.pace).toEqual({ on_pace: 3, behind: 1, overdue: 2 });
    expect(t.targetMet).toBe(1);
    expect(t.cards).toEqual({ total: 7, complete: 4, householdsWithComplete: 3 });
    expect(t.openFlags).toEqual({ total: 4, households: 3, byKind: { dropout: 1, income_drop: 1, illness: 2 } });
    expect(t.guarantee).toEqual({ failedItems: 3, households: 2, byItem: { housing: 2, water: 1 } });
    expect(t.helpers).toEqual({ total: 4, idle: 2 });
    // 7 assigned, 5 done; mean (80 + 60 + 100 + 50 + 90) / 5 = 76
    expect(t.quiz.assigned).toBe(7);
    expect(t.quiz.done).toBe(5);
    expect(t.quiz.completionPct).toBeCloseTo(500 / 7, 10);
    expect(t.quiz.meanScorePct).toBe(76);
  });

  it('unit U1: A, B, D, E', () => {
    const g = group(r.groups, 'U1');
    expect(g.households).toBe(4);
    expect(g.inPersonVisits).toBe(13);
    expect(g.visitDistribution).toEqual([0, 1, 1, 0, 1, 0, 1]);
    expect(g.pace).toEqual({ on_pace: 2, behind: 1, overdue: 1 });
    expect(g.targetMet).toBe(1);
    expect(g.cards).toEqual({ total: 6, complete: 3, householdsWithComplete: 2 });
    expect(g.openFlags).toEqual({ total: 3, households: 2, byKind: { dropout: 1, income_drop: 1, illness: 1 } });
    expect(g.guarantee).toEqual({ failedItems: 3, households: 2, byItem: { housing: 2, water: 1 } });
    expect(g.helpers).toEqual({ total: 2, idle: 0 });
    expect(g.quiz).toEqual({ assigned: 4, done: 3, completionPct: 75, meanScorePct: 80 });
  });

  it('unit U2: B, C, E, F (with the unknown quiz taker x9)', () => {
    const g = group(r.groups, 'U2');
    expect(g.households).toBe(4);
    expect(g.inPersonVisits).toBe(6);
    expect(g.visitDistribution).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(g.pace).toEqual({ on_pace: 1, behind: 1, overdue: 2 });
    expect(g.targetMet).toBe(0);
    expect(g.cards).toEqual({ total: 3, complete: 1, householdsWithComplete: 1 });
    expect(g.openFlags).toEqual({ total: 3, households: 2, byKind: { income_drop: 1, illness: 2 } });
    expect(g.helpers).toEqual({ total: 2, idle: 2 });
    expect(g.quiz.assigned).toBe(3);
    expect(g.quiz.done).toBe(2);
    expect(g.quiz.completionPct).toBeCloseTo(200 / 3, 10);
    expect(g.quiz.meanScorePct).toBe(70);
  });

  it('idle helpers, never-visited first', () => {
    expect(r.idleHelpers.map((h) => [h.id, h.daysSince])).toEqual([['h4', null], ['h3', 45]]);
  });

  it('only the two units appear as groups', () => {
    expect(r.groups.map((g) => g.key)).toEqual(['U1', 'U2']);
  });
});

describe('district scope, by town and by village (partitions add up to the totals)', () => {
  it.each(['town', 'village'] as const)('%s', (groupBy) => {
    const r = run({ scope: { kind: 'district' }, groupBy });
    const sum = (f: (g: GroupStats) => number) => r.groups.reduce((n, g) => n + f(g), 0);
    expect(sum((g) => g.households)).toBe(r.totals.households);
    expect(sum((g) => g.pace.overdue)).toBe(r.totals.pace.overdue);
    expect(sum((g) => g.cards.total)).toBe(r.totals.cards.total);
  });
  it('T1 = A, B, C; T2 = D, E, F', () => {
    const r = run({ scope: { kind: 'district' }, groupBy: 'town' });
    expect(group(r.groups, 'T1').pace).toEqual({ on_pace: 2, behind: 0, overdue: 1 });
    expect(group(r.groups, 'T2').pace).toEqual({ on_pace: 1, behind: 1, overdue: 1 });
  });
});

describe('unit scope U2, by helper', () => {
  const r = run({
    scope: { kind: 'unit', id: 'U2' },
    groupBy: 'helper',
    labels: new Map([['h3', '张三'], ['h4', '李四']]),
  });

  it('covers B, C, E, F; groups only U2 helpers (h1, h2 of U1 never appear)', () => {
    expect(r.totals.households).toBe(4);
    expect(r.totals.pace).toEqual({ on_pace: 1, behind: 1, overdue: 2 });
    expect(r.totals.guarantee.failedItems).toBe(3); // B housing + water, E housing
    expect(r.groups.map((g) => g.key).sort()).toEqual(['h3', 'h4']);
  });

  it('h3 helps B and C; h4 helps F', () => {
    const h3 = group(r.groups, 'h3');
    expect(h3.households).toBe(2);
    expect(h3.inPersonVisits).toBe(5);
    expect(h3.visitDistribution).toEqual([0, 0, 1, 1, 0, 0, 0]);
    expect(h3.pace).toEqual({ on_pace: 1, behind: 0, overdue: 1 });
    expect(h3.helpers).toEqual({ total: 1, idle: 1 });
    expect(h3.quiz).toEqual({ assigned: 1, done: 0, completionPct: 0, meanScorePct: null });
    const h4 = group(r.groups, 'h4');
    expect(h4.households).toBe(1);
    expect(h4.pace).toEqual({ on_pace: 0, behind: 0, overdue: 1 });
    expect(h4.quiz).toEqual({ assigned: 1, done: 1, completionPct: 100, meanScorePct: 50 });
  });

  it('the unknown quiz taker of U2 counts in the totals: 3 assigned, 2 done, mean 70', () => {
    expect(r.totals.quiz).toEqual({ assigned: 3, done: 2, completionPct: (2 * 100) / 3, meanScorePct: 70 });
  });

  it('labels are used and sorted in Chinese order (李 li before 张 zhang)', () => {
    expect(r.groups.map((g) => g.label)).toEqual(['李四', '张三']);
  });
});

describe('town scope T2, by village', () => {
  const r = run({ scope: { kind: 'town', id: 'T2' }, groupBy: 'village' });
  it('V3 holds D, E, F; helpers of T2 are h2 and h4', () => {
    expect(r.groups.map((g) => g.key)).toEqual(['V3']);
    const v3 = r.groups[0];
    expect(v3.households).toBe(3);
    expect(v3.visitDistribution).toEqual([1, 1, 0, 0, 0, 0, 1]);
    expect(v3.pace).toEqual({ on_pace: 1, behind: 1, overdue: 1 });
    expect(v3.helpers).toEqual({ total: 2, idle: 1 });
    // h2: 100 done + 1 not done; h4: 50 → 3 assigned, 2 done, mean 75; x9 is outside a town scope.
    expect(r.totals.quiz).toEqual({ assigned: 3, done: 2, completionPct: 200 / 3, meanScorePct: 75 });
    expect(r.idleHelpers.map((h) => h.id)).toEqual(['h4']);
  });
});

describe('helper scope h1, by unit', () => {
  const r = run({ scope: { kind: 'helper', id: 'h1' }, groupBy: 'unit' });
  it('sees A and B under its own unit only (B is shared with U2, which is not shown)', () => {
    expect(r.groups.map((g) => g.key)).toEqual(['U1']);
    const u1 = r.groups[0];
    expect(u1.households).toBe(2);
    expect(u1.visitDistribution).toEqual([0, 0, 1, 0, 1, 0, 0]);
    expect(u1.helpers).toEqual({ total: 1, idle: 0 });
    expect(u1.quiz).toEqual({ assigned: 2, done: 2, completionPct: 100, meanScorePct: 70 });
    expect(r.totals.openFlags.total).toBe(3); // A dropout, B income_drop + illness
  });
});

describe('village scope V1, by helper', () => {
  const r = run({ scope: { kind: 'village', id: 'V1' }, groupBy: 'helper' });
  it('h1 helps A and B, h3 helps B; both are the village helpers', () => {
    expect(group(r.groups, 'h1').households).toBe(2);
    expect(group(r.groups, 'h3').households).toBe(1);
    expect(r.totals.helpers).toEqual({ total: 2, idle: 1 });
    expect(r.totals.quiz).toEqual({ assigned: 3, done: 2, completionPct: 200 / 3, meanScorePct: 70 });
  });
});

describe('settings', () => {
  it('a target of 3 moves D, C into "target met" and widens the last bucket', () => {
    // gap 120 d; expected 3·185/360 = 1.54 → floor 1. A 4 met, B 2 (85 d) on pace, C 3 met, D 6 met,
    // E 1 (55 d) on pace, F 0 (185 d > 120) overdue.
    const r = run({ scope: { kind: 'district' }, groupBy: 'town', target: 3 });
    expect(r.totals.visitDistribution).toEqual([1, 1, 1, 3]);
    expect(r.totals.targetMet).toBe(3);
    expect(r.totals.pace).toEqual({ on_pace: 5, behind: 0, overdue: 1 });
  });
  it('idle after 10 days makes h2 (15 d) idle too', () => {
    const r = run({ scope: { kind: 'district' }, groupBy: 'unit', idleDays: 10 });
    expect(r.idleHelpers.map((h) => h.id)).toEqual(['h4', 'h3', 'h2']);
  });
});

describe('counted rows (what the db layer passes) equal the rows they stand for', () => {
  it('gives the same report for three copies of every visit, card and quiz result as for one row with count 3', () => {
    const tripled: StatsInput = {
      ...input,
      visits: [...input.visits].flatMap((v) => [v, v, v]),
      cards: [...(input.cards ?? [])].flatMap((c) => [c, c, c]),
      quizResults: [...(input.quizResults ?? [])].flatMap((q) => [q, q, q]),
    };
    const counted: StatsInput = {
      ...input,
      visits: [...input.visits].map((v) => ({ ...v, count: 3 })),
      cards: [...(input.cards ?? [])].map((c) => ({ ...c, count: 3 })),
      quizResults: [...(input.quizResults ?? [])].map((q) => ({ ...q, count: 3 })),
    };
    for (const groupBy of ['unit', 'town', 'village', 'helper'] as const) {
      const a = computeStats(tripled, { ...base, scope: { kind: 'district' }, groupBy });
      const b = computeStats(counted, { ...base, scope: { kind: 'district' }, groupBy });
      expect(b).toEqual(a);
      expect(a.totals.cards.total).toBe(3 * [...(input.cards ?? [])].filter((c) => c.at === undefined || (c.at >= period.startAt && c.at < period.endAt)).length);
    }
  });
});

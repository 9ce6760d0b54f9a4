/**
 * Groups sort by collation ranks kept across reports (sortGroups) exactly as the collator sorts them (compareGroups),
 * however the labels arrive: new ones merged into those met before, repeats, labels the collator finds equal. A
 * report from slot rows (statsFromSlots) keeps the order of a grouping's slots between reports: it must follow the
 * labels of each report, not those of the report that sorted them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareGroups, sortGroups } from '../../src/core/stats/aggregate.js';
import { rowWidth, statsFromSlots, type GroupStats } from '../../src/core/stats/index.js';

// (not full-width digits next to ASCII ones: there the collator's numeric order is not consistent, a < b < c < a, and
// a sort by comparator depends on the input's order; the ranks give one order)
const chars = ['李', '王', '张', '刘', '陈', '镇', '村', '组', '第', '一', '二', '十', '0', '1', '2', '9', 'a', 'A', ' ', '-', 'é', 'e\u0301'];
const label = fc.array(fc.constantFrom(...chars), { maxLength: 5 }).map((cs) => cs.join(''));
const group = (key: number | string, l: string) => ({ key, label: l }) as GroupStats;

describe('sortGroups', () => {
  it('orders as the collator does, over report after report', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(fc.oneof(fc.nat(50), fc.constantFrom('a', 'b')), label), { maxLength: 40 }), { minLength: 1, maxLength: 6 }), (reports) => {
        for (const rows of reports) {
          const groups = rows.map(([k, l]) => group(k, l));
          const ids = (gs: GroupStats[]) => gs.map((g) => `${g.key}|${g.label}`);
          expect(ids(sortGroups([...groups]))).toEqual(ids([...groups].sort(compareGroups)));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('statsFromSlots', () => {
  it("orders the groups by each report's labels, the same slots reported under other labels included", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(4), fc.array(label, { minLength: 5, maxLength: 5 })), { minLength: 1, maxLength: 8 }), (reports) => {
        const ids = [11, 12, 13, 14, 15];
        const F = rowWidth(6);
        for (const [empty, names] of reports) {
          // every slot a group but one (kept orders are for groupings whose slots are mostly groups)
          const acc = new Int32Array((ids.length + 1) * F);
          ids.forEach((_, slot) => {
            if (slot !== empty) acc[slot * F] = 1;
          });
          const labels = new Map(ids.map((id, k) => [id, names[k]]));
          const r = statsFromSlots(
            { acc, ids, slotOf: (key) => ids.indexOf(key), sparse: new Map(), helpers: [], quizResults: [] },
            { scope: { kind: 'district' }, groupBy: 'town', period: { startAt: 0, endAt: 10 }, now: 5, target: 6, labels, idleBefore: '0000-00-00', epochOf: () => 0 },
          );
          const expected = ids.filter((_, slot) => slot !== empty).map((id) => group(id, labels.get(id)!)).sort(compareGroups);
          expect(r.groups.map((g) => `${g.key}|${g.label}`)).toEqual(expected.map((g) => `${g.key}|${g.label}`));
        }
      }),
      { numRuns: 200 },
    );
  });
});

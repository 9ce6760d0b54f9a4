/**
 * Groups sort by collation ranks kept across reports (sortGroups) exactly as the collator sorts them (compareGroups),
 * however the labels arrive: new ones merged into those met before, repeats, labels the collator finds equal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareGroups, sortGroups } from '../../src/core/stats/aggregate.js';
import type { GroupStats } from '../../src/core/stats/index.js';

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

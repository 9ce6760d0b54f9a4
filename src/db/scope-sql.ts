/**
 * The one translation of a scope into SQL. Every scoped query (figures, flags, exports, drill-downs, scope checks)
 * uses it, so a scope means the same households and the same helpers everywhere.
 *
 * - households: a condition on households `h` joined with villages `v`. A unit's households are those one of its
 *   helpers is currently paired with; a helper's, those they are paired with.
 * - helpers: a condition on people `pe`. A town's helpers belong to a unit of the town or help a household in it; a
 *   village's help a household in it. The caller checks the helper role where it matters.
 */
import type { Scope } from '../core/people/scope.js';

export interface SqlCondition {
  where: string;
  args: number[];
}

const PAIRED = 'SELECT 1 FROM pairings p WHERE p.household_id = h.id AND p.end_date IS NULL';
const HELPS_IN = 'SELECT 1 FROM pairings p JOIN households hh ON hh.id = p.household_id';

export function scopeSql(scope: Scope): { households: SqlCondition; helpers: SqlCondition } {
  switch (scope.kind) {
    case 'district':
      return { households: { where: '1', args: [] }, helpers: { where: '1', args: [] } };
    case 'town':
      return {
        households: { where: 'v.town_id = ?', args: [scope.id] },
        helpers: {
          where:
            '(pe.unit_id IN (SELECT id FROM units WHERE town_id = ?) OR EXISTS (' +
            `${HELPS_IN} JOIN villages vv ON vv.id = hh.village_id WHERE p.helper_id = pe.id AND p.end_date IS NULL AND vv.town_id = ?))`,
          args: [scope.id, scope.id],
        },
      };
    case 'village':
      return {
        households: { where: 'h.village_id = ?', args: [scope.id] },
        helpers: { where: `EXISTS (${HELPS_IN} WHERE p.helper_id = pe.id AND p.end_date IS NULL AND hh.village_id = ?)`, args: [scope.id] },
      };
    case 'unit':
      return {
        households: { where: `EXISTS (${PAIRED} AND p.helper_id IN (SELECT id FROM people WHERE unit_id = ?))`, args: [scope.id] },
        helpers: { where: 'pe.unit_id = ?', args: [scope.id] },
      };
    case 'helper':
      return {
        households: { where: `EXISTS (${PAIRED} AND p.helper_id = ?)`, args: [scope.id] },
        helpers: { where: 'pe.id = ?', args: [scope.id] },
      };
  }
}

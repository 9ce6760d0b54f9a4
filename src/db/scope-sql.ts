/**
 * The one translation of a supervisor's scope into SQL: a condition on households `h` joined with villages `v`.
 * Every scoped query (figures, flags, exports, drill-downs) uses it, so a scope means the same households everywhere.
 */
import type { Scope } from '../core/people/roles.js';

export function householdFilter(scope: Scope): { where: string; args: number[] } {
  switch (scope.kind) {
    case 'district':
      return { where: '1', args: [] };
    case 'town':
      return { where: 'v.town_id = ?', args: [scope.id] };
    case 'unit':
      return {
        where:
          'EXISTS (SELECT 1 FROM pairings p JOIN people pe ON pe.id = p.helper_id WHERE p.household_id = h.id AND p.end_date IS NULL AND pe.unit_id = ?)',
        args: [scope.id],
      };
  }
}

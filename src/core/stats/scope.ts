/**
 * Scope rules for supervision figures: which households, helpers and quiz results a scope covers, and which
 * group keys of a household or helper may be shown inside that scope (a unit head never sees another unit's
 * name as a group, even for a household the two units share).
 */
import type { Scope } from '../people/scope.js';
import type { GroupBy, HelperRow, HouseholdRow, Id } from './types.js';

/** Units of a household: its explicit `unitIds` plus the units of its helpers, without repeats. */
export function householdUnits(h: HouseholdRow, helpers: ReadonlyMap<Id, HelperRow>): Id[] {
  const units: Id[] = h.unitIds ? [...h.unitIds] : [];
  for (const hid of h.helperIds) {
    const helper = helpers.get(hid);
    if (helper && !units.includes(helper.unitId)) units.push(helper.unitId);
  }
  return units;
}

/** Whether a household lies in the scope (a unit scope covers households its helpers or it answer for). */
export function householdInScope(h: HouseholdRow, units: readonly Id[], scope: Scope<Id>): boolean {
  switch (scope.kind) {
    case 'district':
      return true;
    case 'town':
      return h.townId === scope.id;
    case 'village':
      return h.villageId === scope.id;
    case 'unit':
      return units.includes(scope.id);
    case 'helper':
      return h.helperIds.includes(scope.id);
  }
}

/**
 * Whether a helper lies in the scope. For a village scope the caller passes `inScopeVillage`: whether the helper
 * helps a household of that village.
 */
export function helperInScope(helper: Pick<HelperRow, 'id' | 'unitId' | 'townId'>, scope: Scope<Id>, inScopeVillage: boolean): boolean {
  switch (scope.kind) {
    case 'district':
      return true;
    case 'town':
      return helper.townId === scope.id;
    case 'village':
      return inScopeVillage;
    case 'unit':
      return helper.unitId === scope.id;
    case 'helper':
      return helper.id === scope.id;
  }
}

/**
 * Group keys of an in-scope household. Unit and helper keys are limited to those inside the scope: in a unit scope
 * only that unit and its helpers; in a helper scope only that helper and its unit.
 */
export function householdGroupKeys(
  h: HouseholdRow,
  units: readonly Id[],
  groupBy: GroupBy,
  scope: Scope<Id>,
  helpers: ReadonlyMap<Id, HelperRow>,
): Id[] {
  switch (groupBy) {
    case 'town':
      return [h.townId];
    case 'village':
      return [h.villageId];
    case 'unit':
      if (scope.kind === 'unit') return units.includes(scope.id) ? [scope.id] : [];
      if (scope.kind === 'helper') {
        const own = helpers.get(scope.id)?.unitId;
        return own !== undefined && units.includes(own) ? [own] : [];
      }
      return [...units];
    case 'helper': {
      const keys: Id[] = [];
      for (const hid of h.helperIds) {
        if (keys.includes(hid)) continue;
        if (scope.kind === 'helper' && hid !== scope.id) continue;
        if (scope.kind === 'unit' && helpers.get(hid)?.unitId !== scope.id) continue;
        keys.push(hid);
      }
      return keys;
    }
  }
}

/** Group keys of an in-scope helper; `villages` are the villages of the in-scope households the helper helps. */
export function helperGroupKeys(helper: HelperRow, groupBy: GroupBy, villages: readonly Id[] | undefined): readonly Id[] {
  switch (groupBy) {
    case 'unit':
      return [helper.unitId];
    case 'town':
      return [helper.townId];
    case 'helper':
      return [helper.id];
    case 'village':
      return villages ?? [];
  }
}

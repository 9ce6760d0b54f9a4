/**
 * What a `/stats` page shows: a period, a part of the district, and how its figures are grouped. A page travels in a
 * `stats:view` action as four short arguments `[period, group, kind, id]` (one letter each for group and kind, `-`
 * for no grouping, `0` for the district), read back here and re-checked against the supervisor's scope by the use
 * case: a button may be old or forged.
 */
import type { Scope, ScopeKind, SupervisorScope } from '../../core/people/scope.js';
import type { GroupBy } from '../../core/stats/index.js';
import { isPeriodKey, type PeriodKey } from './period.js';

export interface StatsRequest {
  period: PeriodKey;
  scope: Scope;
  /** how the figures are grouped; none for one helper (their households are listed instead) */
  groupBy?: GroupBy;
}

/** Group-by choices per kind of scope; the first is the default when drilling down. */
export const GROUPS_FOR: Record<ScopeKind, readonly GroupBy[]> = {
  district: ['town', 'unit', 'village', 'helper'],
  town: ['village', 'unit', 'helper'],
  unit: ['helper', 'village'],
  village: ['helper'],
  helper: [],
};

const KIND_LETTER: Record<ScopeKind, string> = { district: 'd', town: 't', village: 'v', unit: 'u', helper: 'h' };
const GROUP_LETTER: Record<GroupBy, string> = { town: 't', unit: 'u', village: 'v', helper: 'h' };
const byLetter = <T extends string>(m: Record<T, string>) => new Map((Object.entries(m) as [T, string][]).map(([k, l]) => [l, k]));
const KIND_OF = byLetter(KIND_LETTER);
const GROUP_OF = byLetter(GROUP_LETTER);

/** The first page of a supervisor: their whole scope this year, grouped one level down. */
export function rootRequest(scope: SupervisorScope): StatsRequest {
  return { period: 'y', scope, groupBy: GROUPS_FOR[scope.kind][0] };
}

/** A group of a report opens the scope it names (a town's figures, a helper's households …). */
export function drillRequest(period: PeriodKey, groupBy: GroupBy, id: number): StatsRequest {
  const scope: Scope = { kind: groupBy, id };
  return { period, scope, groupBy: GROUPS_FOR[groupBy][0] };
}

export function requestArgs(r: StatsRequest): (string | number)[] {
  return [r.period, r.groupBy ? GROUP_LETTER[r.groupBy] : '-', KIND_LETTER[r.scope.kind], r.scope.kind === 'district' ? 0 : r.scope.id];
}

/** A request read back from action arguments; undefined when malformed (a grouping the scope does not offer too). */
export function parseRequest(args: readonly string[]): StatsRequest | undefined {
  const [period, group, letter, idText] = args;
  if (args.length !== 4 || !isPeriodKey(period)) return undefined;
  const kind = KIND_OF.get(letter);
  if (!kind) return undefined;
  let scope: Scope;
  if (kind === 'district') {
    if (idText !== '0') return undefined;
    scope = { kind };
  } else {
    if (!/^\d{1,15}$/.test(idText) || Number(idText) <= 0) return undefined;
    scope = { kind, id: Number(idText) };
  }
  if (kind === 'helper') return group === '-' ? { period, scope } : undefined;
  const groupBy = GROUP_OF.get(group);
  return groupBy && GROUPS_FOR[kind].includes(groupBy) ? { period, scope, groupBy } : undefined;
}

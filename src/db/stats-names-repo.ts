/** Names shown on `/stats` pages (group labels, idle helpers) and the failed-items expression of household_failures. */
import type { SupervisorScope } from '../core/people/scope.js';
import type { GroupBy, Id } from '../core/stats/index.js';
import { FAILED_VALUE, GUARANTEE_FIELDS, GUARANTEE_ITEMS } from '../core/visits/guarantees.js';
import type { Db } from './client.js';
import { prepared } from './prepared.js';
import { scopedHelperNames } from '../core/stats/snapshot.js';
import { statsSnapshot } from './stats-snapshot-repo.js';

function all(db: Db, sql: string, ...args: unknown[]): unknown[][] {
  return prepared(db, `stats-names:${sql}`, () => db.$client.prepare(sql).raw(true)).all(...args) as unknown[][];
}

/**
 * The failed items of a household's cards as household_failures keeps them: bit i set when any of the cards (`alias`)
 * marks GUARANTEE_ITEMS[i] failed (an aggregate: use it over one household's cards of its latest day). The same
 * expression as the triggers of drizzle/0016_household_failures_triggers.sql.
 */
export function failureMask(alias: string): string {
  return GUARANTEE_ITEMS.map((item, i) => `(max(coalesce(${alias}.answers ->> '$.${GUARANTEE_FIELDS[item]}' = '${FAILED_VALUE}', 0)) * ${1 << i})`).join(' | ');
}

/** Labels of the groups of a grouping: town, village or unit names; for helpers, the names of the scope's helpers. */
export function groupLabels(db: Db, groupBy: GroupBy, sup: SupervisorScope): Map<Id, string> {
  if (groupBy !== 'helper') {
    const table = ({ town: 'towns', village: 'villages', unit: 'units' } as const)[groupBy];
    return new Map(all(db, `SELECT id, name FROM ${table}`) as [number, string][]);
  }
  // the scope's helpers by name, kept by the /stats snapshot (3,000 to 30,000 names: read once, not per page)
  return scopedHelperNames(statsSnapshot(db), sup);
}

/** Names of some people (the idle helpers a page lists). */
export function personNames(db: Db, ids: readonly Id[]): Map<number, string> {
  if (!ids.length) return new Map();
  return new Map(all(db, 'SELECT p.id, p.name FROM json_each(?) j JOIN people p ON p.id = j.value', JSON.stringify(ids)) as [number, string][]);
}

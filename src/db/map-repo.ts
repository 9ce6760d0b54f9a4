/** Households of a scope that have a position (from the roster), with what the map colours them by. */
import type { Scope } from '../core/people/scope.js';
import type { Db } from './client.js';
import { scopeSql } from './scope-sql.js';

export interface MapHouseholdRow {
  id: number;
  code: string;
  villageId: number;
  village: string;
  lat: number;
  lon: number;
  /** in-person visits dated in [from, to) */
  visits: number;
  lastVisitDate: string | null;
  openFlags: number;
}

export function mapHouseholds(db: Db, scope: Scope, fromDate: string, toDate: string): MapHouseholdRow[] {
  const f = scopeSql(scope).households;
  const sql =
    'SELECT h.id, h.code, h.village_id AS villageId, v.name AS village, h.lat, h.lon, ' +
    '(SELECT count(*) FROM cards c WHERE c.household_id = h.id AND c.in_person = 1 AND c.visit_date >= ? AND c.visit_date < ?) AS visits, ' +
    '(SELECT max(c.visit_date) FROM cards c WHERE c.household_id = h.id AND c.in_person = 1 AND c.visit_date >= ? AND c.visit_date < ?) AS lastVisitDate, ' +
    '(SELECT count(*) FROM card_flags fl WHERE fl.household_id = h.id AND fl.resolved_at IS NULL) AS openFlags ' +
    `FROM households h JOIN villages v ON v.id = h.village_id WHERE h.lat IS NOT NULL AND h.lon IS NOT NULL AND ${f.where} ORDER BY h.id`;
  return db.$client.prepare(sql).all(fromDate, toDate, fromDate, toDate, ...f.args) as MapHouseholdRow[];
}

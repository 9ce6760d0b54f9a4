/**
 * The map of a supervisor's households: each household with a position from the roster, coloured by its pace this
 * year and marked when it has open risk flags, and a label per village where its households are. Positions are
 * personal data: only the supervisor's own scope is read. No map tiles: the channel draws the points on a plain
 * background.
 */
import type { Actor } from '../core/people/roles.js';
import { localDate } from '../core/time.js';
import { paceOfVisits, type Pace } from '../core/visits/pacing.js';
import { mapHouseholds } from '../db/map-repo.js';
import { ok, type AppDeps, type Result } from './deps.js';
import { supervisorOf } from './scope.js';
import { resolvePeriod } from './stats/period.js';

export interface MapPoint {
  id: number;
  code: string;
  lat: number;
  lon: number;
  pace: Pace;
  openFlags: number;
}

export interface VillageLabel {
  name: string;
  lat: number;
  lon: number;
  households: number;
}

export function householdMap(deps: AppDeps, actor: Actor | undefined): Result<{ points: MapPoint[]; villages: VillageLabel[] }, 'role'> {
  const sup = supervisorOf(actor);
  if (!sup.ok) return sup;
  const { config, content, now } = deps;
  const p = resolvePeriod('y', now(), config.timezone, content.settings.visits.target);
  const rows = mapHouseholds(deps.db, sup.value.scope, localDate(p.period.startAt, config.timezone), localDate(p.period.endAt, config.timezone));
  const points = rows.map((r): MapPoint => ({
    id: r.id, code: r.code, lat: r.lat, lon: r.lon, openFlags: r.openFlags,
    pace: paceOfVisits({ count: r.visits, lastDate: r.lastVisitDate }, p.period, p.judgedAt(now()), p.target, config.timezone).pace,
  }));
  const byVillage = new Map<number, VillageLabel>();
  for (const r of rows) {
    const v = byVillage.get(r.villageId) ?? { name: r.village, lat: 0, lon: 0, households: 0 };
    v.lat += r.lat;
    v.lon += r.lon;
    v.households++;
    byVillage.set(r.villageId, v);
  }
  const villages = [...byVillage.values()].map((v) => ({ ...v, lat: v.lat / v.households, lon: v.lon / v.households }));
  return ok({ points, villages });
}

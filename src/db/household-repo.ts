import { and, eq, isNull, asc } from 'drizzle-orm';
import type { Db } from './client.js';
import { households, pairings, villages, towns } from './schema.js';

export interface HouseholdSummary {
  id: number;
  code: string;
  headName: string;
  /** stored as imported; never shown unmasked */
  headIdNumber: string | null;
  villageName: string;
  townName: string;
  attribute: string;
  status: string;
  causeMain: string;
  membersCount: number | null;
  lat: number | null;
  lon: number | null;
  pairedSince: string;
}

/** The households currently paired with a helper, in code order. */
export function householdsOfHelper(db: Db, helperId: number): HouseholdSummary[] {
  return db
    .select({
      id: households.id,
      code: households.code,
      headName: households.headName,
      headIdNumber: households.headIdNumber,
      villageName: villages.name,
      townName: towns.name,
      attribute: households.attribute,
      status: households.status,
      causeMain: households.causeMain,
      membersCount: households.membersCount,
      lat: households.lat,
      lon: households.lon,
      pairedSince: pairings.startDate,
    })
    .from(pairings)
    .innerJoin(households, eq(households.id, pairings.householdId))
    .innerJoin(villages, eq(villages.id, households.villageId))
    .innerJoin(towns, eq(towns.id, villages.townId))
    .where(and(eq(pairings.helperId, helperId), isNull(pairings.endDate)))
    .orderBy(asc(households.code))
    .all();
}

/** One household, only if it is currently paired with this helper (the check behind every button). */
export function helperHousehold(db: Db, helperId: number, householdId: number): HouseholdSummary | undefined {
  return householdsOfHelper(db, helperId).find((h) => h.id === householdId);
}

import { and, eq, isNull, asc, sql } from 'drizzle-orm';
import { prepared } from './prepared.js';
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
function summaryQuery(db: Db) {
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
    .$dynamic();
}

export function householdsOfHelper(db: Db, helperId: number): HouseholdSummary[] {
  const q = prepared(db, 'householdsOfHelper', () =>
    summaryQuery(db)
      .where(and(eq(pairings.helperId, sql.placeholder('helper')), isNull(pairings.endDate)))
      .orderBy(asc(households.code))
      .prepare(),
  );
  return q.all({ helper: helperId });
}

/** One household, only if it is currently paired with this helper (the check behind every button). */
export function helperHousehold(db: Db, helperId: number, householdId: number): HouseholdSummary | undefined {
  const q = prepared(db, 'helperHousehold', () =>
    summaryQuery(db)
      .where(and(eq(pairings.helperId, sql.placeholder('helper')), eq(pairings.householdId, sql.placeholder('hh')), isNull(pairings.endDate)))
      .prepare(),
  );
  return q.get({ helper: helperId, hh: householdId });
}

/** A household as a supervisor sees it (no pairing needed: the caller checks the scope). */
export interface HouseholdBrief {
  id: number;
  code: string;
  headName: string;
  villageName: string;
  townName: string;
  lat: number | null;
  lon: number | null;
}

export function householdBrief(db: Db, householdId: number): HouseholdBrief | undefined {
  return db
    .select({
      id: households.id,
      code: households.code,
      headName: households.headName,
      villageName: villages.name,
      townName: towns.name,
      lat: households.lat,
      lon: households.lon,
    })
    .from(households)
    .innerJoin(villages, eq(villages.id, households.villageId))
    .innerJoin(towns, eq(towns.id, villages.townId))
    .where(eq(households.id, householdId))
    .get();
}

import { and, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { cardFlags, cards } from './schema.js';

/** In-person visit dates ('YYYY-MM-DD') per household within [fromDate, toDate). */
export function inPersonVisitDates(db: Db, householdIds: number[], fromDate: string, toDate: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  if (!householdIds.length) return out;
  const rows = db
    .select({ householdId: cards.householdId, visitDate: cards.visitDate })
    .from(cards)
    .where(
      and(
        inArray(cards.householdId, householdIds),
        eq(cards.inPerson, true),
        gte(cards.visitDate, fromDate),
        lt(cards.visitDate, toDate),
      ),
    )
    .all();
  for (const r of rows) out.set(r.householdId, [...(out.get(r.householdId) ?? []), r.visitDate]);
  return out;
}

/** Open (unresolved) flag counts per household. */
export function openFlagCounts(db: Db, householdIds: number[]): Map<number, number> {
  if (!householdIds.length) return new Map();
  const rows = db
    .select({ householdId: cardFlags.householdId, n: sql<number>`count(*)` })
    .from(cardFlags)
    .where(and(inArray(cardFlags.householdId, householdIds), isNull(cardFlags.resolvedAt)))
    .groupBy(cardFlags.householdId)
    .all();
  return new Map(rows.map((r) => [r.householdId, r.n]));
}

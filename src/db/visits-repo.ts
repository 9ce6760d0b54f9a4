import { and, eq, gte, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import { prepared } from './prepared.js';
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

/**
 * In-person visits of one household dated in [fromDate, toDate) (asked on every card answer), leaving out
 * `exceptCardId`: the card a correction revises is not a visit before itself.
 */
export function inPersonVisitCount(db: Db, householdId: number, fromDate: string, toDate: string, exceptCardId = 0): number {
  const q = prepared(db, 'inPersonVisitCount', () =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(cards)
      .where(
        and(
          eq(cards.householdId, sql.placeholder('hh')),
          eq(cards.inPerson, true),
          ne(cards.id, sql.placeholder('except')),
          gte(cards.visitDate, sql.placeholder('from')),
          lt(cards.visitDate, sql.placeholder('to')),
        ),
      )
      .prepare(),
  );
  return q.get({ hh: householdId, from: fromDate, to: toDate, except: exceptCardId })?.n ?? 0;
}

/**
 * What the card shows about its helper and the household's year, in one read (asked on every card answer): the
 * helper's name and phone, and the household's in-person visits of the calendar year from household_years (kept by
 * triggers on cards, so no card is counted).
 */
export function cardFacts(db: Db, helperId: number, householdId: number, year: number): { name: string | null; phone: string | null; inPersonThisYear: number } {
  const q = prepared(db, 'cardFacts', () =>
    db.$client.prepare(
      'SELECT (SELECT name FROM people WHERE id = @helper), (SELECT phone FROM people WHERE id = @helper), ' +
        '(SELECT in_person FROM household_years WHERE household_id = @hh AND year = @year)',
    ).raw(),
  );
  const [name, phone, n] = q.get({ helper: helperId, hh: householdId, year: String(year) }) as [string | null, string | null, number | null];
  return { name, phone, inPersonThisYear: n ?? 0 };
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

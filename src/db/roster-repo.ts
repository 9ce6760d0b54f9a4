import { eq, and } from 'drizzle-orm';
import type { KnownCodes, RosterData, ScopeSpec } from '../core/roster/validate.js';
import { inTransaction, type Db } from './client.js';
import { householdRegistry, households, pairings, people, personRoles, towns, units, villages } from './schema.js';

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}
export type ImportReport = Record<'towns' | 'villages' | 'units' | 'people' | 'households' | 'pairings' | 'registry', ImportCounts>;

/** Codes already stored, for cross-references from a file that does not repeat them. */
export function knownRosterCodes(db: Db): KnownCodes {
  const helperIds = new Set(
    db.select({ id: personRoles.personId }).from(personRoles).where(eq(personRoles.role, 'helper')).all().map((r) => r.id),
  );
  return {
    towns: new Set(db.select({ c: towns.code }).from(towns).all().map((r) => r.c)),
    villages: new Set(db.select({ c: villages.code }).from(villages).all().map((r) => r.c)),
    units: new Set(db.select({ c: units.code }).from(units).all().map((r) => r.c)),
    people: new Map(db.select({ c: people.code, id: people.id }).from(people).all().map((r) => [r.c, helperIds.has(r.id)])),
    households: new Set(db.select({ c: households.code }).from(households).all().map((r) => r.c)),
  };
}

const zero = (): ImportCounts => ({ inserted: 0, updated: 0, unchanged: 0 });

/**
 * Upserts validated roster data in one transaction, matching rows by their codes.
 * A row equal to what is stored is left alone, so importing the same file twice changes nothing.
 */
export function applyRoster(db: Db, data: RosterData, now: number): ImportReport {
  const report: ImportReport = {
    towns: zero(),
    villages: zero(),
    units: zero(),
    people: zero(),
    households: zero(),
    pairings: zero(),
    registry: zero(),
  };
  inTransaction(db, () => {
    const townId = (code: string) => db.select({ id: towns.id }).from(towns).where(eq(towns.code, code)).get()!.id;
    const unitId = (code: string) => db.select({ id: units.id }).from(units).where(eq(units.code, code)).get()!.id;

    for (const t of data.towns) {
      const cur = db.select().from(towns).where(eq(towns.code, t.code)).get();
      if (!cur) { db.insert(towns).values(t).run(); report.towns.inserted++; }
      else if (cur.name !== t.name) { db.update(towns).set({ name: t.name }).where(eq(towns.id, cur.id)).run(); report.towns.updated++; }
      else report.towns.unchanged++;
    }
    for (const v of data.villages) {
      const row = { code: v.code, name: v.name, townId: townId(v.townCode) };
      const cur = db.select().from(villages).where(eq(villages.code, v.code)).get();
      if (!cur) { db.insert(villages).values(row).run(); report.villages.inserted++; }
      else if (cur.name !== row.name || cur.townId !== row.townId)
        { db.update(villages).set(row).where(eq(villages.id, cur.id)).run(); report.villages.updated++; }
      else report.villages.unchanged++;
    }
    for (const u of data.units) {
      const row = { code: u.code, name: u.name, townId: u.townCode ? townId(u.townCode) : null };
      const cur = db.select().from(units).where(eq(units.code, u.code)).get();
      if (!cur) { db.insert(units).values(row).run(); report.units.inserted++; }
      else if (cur.name !== row.name || cur.townId !== row.townId)
        { db.update(units).set(row).where(eq(units.id, cur.id)).run(); report.units.updated++; }
      else report.units.unchanged++;
    }
    for (const p of data.people) {
      const row = { code: p.code, name: p.name, phone: p.phone, unitId: p.unitCode ? unitId(p.unitCode) : null };
      const cur = db.select().from(people).where(eq(people.code, p.code)).get();
      let id: number;
      let changed = false;
      if (!cur) {
        id = db.insert(people).values({ ...row, createdAt: now }).returning({ id: people.id }).get().id;
      } else {
        id = cur.id;
        if (cur.name !== row.name || cur.phone !== row.phone || cur.unitId !== row.unitId) {
          db.update(people).set(row).where(eq(people.id, id)).run();
          changed = true;
        }
      }
      const wanted = p.roles.map((r) => ({ personId: id, role: r.role, ...scopeColumns(r.scope, row.unitId, townId) }));
      const stored = db.select().from(personRoles).where(eq(personRoles.personId, id)).all();
      const same =
        stored.length === wanted.length &&
        wanted.every((w) => stored.some((s) => s.role === w.role && s.scopeKind === w.scopeKind && s.scopeId === w.scopeId));
      if (!same) {
        db.delete(personRoles).where(eq(personRoles.personId, id)).run();
        if (wanted.length) db.insert(personRoles).values(wanted).run();
        changed = true;
      }
      if (!cur) report.people.inserted++;
      else if (changed) report.people.updated++;
      else report.people.unchanged++;
    }
    for (const h of data.households) {
      const villageId = db.select({ id: villages.id }).from(villages).where(eq(villages.code, h.villageCode)).get()!.id;
      const { villageCode: _v, ...rest } = h;
      const row = { ...rest, villageId };
      const cur = db.select().from(households).where(eq(households.code, h.code)).get();
      if (!cur) { db.insert(households).values(row).run(); report.households.inserted++; }
      else if ((Object.keys(row) as (keyof typeof row)[]).some((k) => cur[k] !== row[k]))
        { db.update(households).set(row).where(eq(households.id, cur.id)).run(); report.households.updated++; }
      else report.households.unchanged++;
    }
    for (const p of data.pairings) {
      const helperId = db.select({ id: people.id }).from(people).where(eq(people.code, p.personCode)).get()!.id;
      const householdId = db.select({ id: households.id }).from(households).where(eq(households.code, p.householdCode)).get()!.id;
      const where = and(eq(pairings.helperId, helperId), eq(pairings.householdId, householdId));
      const cur = db.select().from(pairings).where(where).get();
      if (!cur) { db.insert(pairings).values({ helperId, householdId, startDate: p.startDate }).run(); report.pairings.inserted++; }
      else if (cur.startDate !== p.startDate || cur.endDate !== null)
        { db.update(pairings).set({ startDate: p.startDate, endDate: null }).where(where).run(); report.pairings.updated++; }
      else report.pairings.unchanged++;
    }
    // registry facts merge into what is stored: a file with only some of the columns (or only the members) keeps
    // the rest; a household without any in the file is left alone
    for (const r of data.registry) {
      const householdId = db.select({ id: households.id }).from(households).where(eq(households.code, r.householdCode)).get()!.id;
      const cur = db.select().from(householdRegistry).where(eq(householdRegistry.householdId, householdId)).get();
      const facts = JSON.stringify({ ...(cur ? (JSON.parse(cur.facts) as Record<string, unknown>) : {}), ...r.facts });
      if (!cur) { db.insert(householdRegistry).values({ householdId, facts, updatedAt: now }).run(); report.registry.inserted++; }
      else if (cur.facts !== facts)
        { db.update(householdRegistry).set({ facts, updatedAt: now }).where(eq(householdRegistry.householdId, householdId)).run(); report.registry.updated++; }
      else report.registry.unchanged++;
    }
  });
  return report;
}

function scopeColumns(
  scope: ScopeSpec | undefined,
  ownUnitId: number | null,
  townId: (code: string) => number,
): { scopeKind: string | null; scopeId: number | null } {
  if (!scope) return { scopeKind: null, scopeId: null };
  if (scope.kind === 'district') return { scopeKind: 'district', scopeId: null };
  if (scope.kind === 'town') return { scopeKind: 'town', scopeId: townId(scope.townCode) };
  return { scopeKind: 'unit', scopeId: ownUnitId };
}

/**
 * The registration system's record of a household (card field ids → values, `members` a list), or null when the
 * roster brought none. Read only to start the household's first card.
 */
export function registryFacts(db: Db, householdId: number): Record<string, unknown> | null {
  const row = db.select({ facts: householdRegistry.facts }).from(householdRegistry).where(eq(householdRegistry.householdId, householdId)).get();
  return row ? (JSON.parse(row.facts) as Record<string, unknown>) : null;
}

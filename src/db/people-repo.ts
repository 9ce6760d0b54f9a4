import { eq, isNull, and, or, sql } from 'drizzle-orm';
import { prepared } from './prepared.js';
import type { Actor, Role, RoleGrant } from '../core/people/roles.js';
import { grantedScope } from '../core/people/scope.js';
import type { Db } from './client.js';
import { auditLog, people, personRoles, units } from './schema.js';

export interface PersonRow {
  id: number;
  code: string;
  name: string;
  phone: string | null;
  unitId: number | null;
  telegramId: number | null;
  locale: string | null;
  revokedAt: number | null;
}

function grants(db: Db, personId: number): RoleGrant[] {
  const q = prepared(db, 'grants', () => db.select().from(personRoles).where(eq(personRoles.personId, sql.placeholder('id'))).prepare());
  return q
    .all({ id: personId })
    .map((r) => ({ role: r.role as Role, scope: grantedScope(r.scopeKind, r.scopeId) }));
}

/** The active (not revoked) person bound to a Telegram account, with roles; undefined for strangers. */
export function actorByTelegramId(db: Db, telegramId: number): ActorRow | undefined {
  // one statement, the roles folded in; a plain statement: the query builder's row mapping cost more than the query
  const q = prepared(db, 'actorByTelegramId', () => db.$client.prepare(`SELECT ${ACTOR_COLUMNS} FROM people p WHERE p.telegram_id = ? AND p.revoked_at IS NULL`).raw());
  return actorFromRow((q.get(telegramId) as unknown[] | undefined) ?? [null]);
}

export type ActorRow = Actor & { locale: string | null };

/** The columns `actorFromRow` reads, in order, from `people p` (the roles as one JSON array). */
export const ACTOR_COLUMNS =
  'p.id, p.name, p.unit_id, p.locale, ' +
  '(SELECT json_group_array(json_array(r.role, r.scope_kind, r.scope_id)) FROM person_roles r WHERE r.person_id = p.id)';

/** The actor in a raw row of `ACTOR_COLUMNS` (from its first column on); undefined when the person's id is null. */
export function actorFromRow(r: unknown[], at = 0): ActorRow | undefined {
  if (r[at] === null || r[at] === undefined) return undefined;
  const roles = (JSON.parse(r[at + 4] as string) as Array<[string, string | null, number | null]>).map(([role, kind, id]) => ({ role: role as Role, scope: grantedScope(kind, id) }));
  return { personId: r[at] as number, name: r[at + 1] as string, unitId: r[at + 2] as number | null, roles, locale: r[at + 3] as string | null };
}

export function personById(db: Db, id: number): PersonRow | undefined {
  return db.select().from(people).where(eq(people.id, id)).get();
}

export function personName(db: Db, id: number): string | undefined {
  return db.select({ name: people.name }).from(people).where(eq(people.id, id)).get()?.name;
}

/** Finds a person by code, phone or exact name (the admin CLI's `<person>` argument). */
export function findPeople(db: Db, key: string): PersonRow[] {
  return db
    .select()
    .from(people)
    .where(or(eq(people.code, key), eq(people.phone, key), eq(people.name, key)))
    .all();
}

export function setLocale(db: Db, personId: number, locale: string): void {
  db.update(people).set({ locale }).where(eq(people.id, personId)).run();
}

export function unitName(db: Db, unitId: number | null): string | undefined {
  if (unitId === null) return undefined;
  return db.select({ name: units.name }).from(units).where(eq(units.id, unitId)).get()?.name;
}

/**
 * Makes sure each configured admin Telegram id has a person with the admin role
 * (ADMIN_TELEGRAM_IDS: admins from the first start, before any roster exists). A configured admin who was revoked
 * stays revoked (the revocation is the later, explicit decision): returned so the caller can say so.
 */
export function ensureConfiguredAdmins(db: Db, telegramIds: number[], now: number): { revoked: number[] } {
  const revoked: number[] = [];
  for (const tid of telegramIds) {
    // revoking unbinds the account, so the person made for this id is found by its code too
    let p = db.select().from(people).where(eq(people.telegramId, tid)).get() ?? db.select().from(people).where(eq(people.code, `admin-${tid}`)).get();
    if (p && p.revokedAt !== null) {
      revoked.push(tid);
      continue;
    }
    if (!p) {
      p = db
        .insert(people)
        .values({ code: `admin-${tid}`, name: `管理员 ${tid}`, telegramId: tid, createdAt: now })
        .returning()
        .get();
    } else if (p.telegramId === null) {
      db.update(people).set({ telegramId: tid }).where(eq(people.id, p.id)).run();
    }
    const has = db
      .select()
      .from(personRoles)
      .where(and(eq(personRoles.personId, p.id), eq(personRoles.role, 'admin')))
      .get();
    if (!has) db.insert(personRoles).values({ personId: p.id, role: 'admin' }).run();
  }
  return { revoked };
}

/** Admins who can be told something in the chat: bound, not revoked. */
export function adminContacts(db: Db): { personId: number; telegramId: number; locale: string | null }[] {
  return db
    .select({ personId: people.id, telegramId: people.telegramId, locale: people.locale })
    .from(people)
    .innerJoin(personRoles, and(eq(personRoles.personId, people.id), eq(personRoles.role, 'admin')))
    .where(isNull(people.revokedAt))
    .all()
    .filter((a): a is { personId: number; telegramId: number; locale: string | null } => a.telegramId !== null);
}

/** Cuts a person off: unbinds the Telegram account and voids open invites (see invite-repo). */
export function revokePerson(db: Db, personId: number, now: number): void {
  db.update(people).set({ revokedAt: now, telegramId: null }).where(eq(people.id, personId)).run();
  audit(db, now, 'revoke', { personId });
}

export function restorePerson(db: Db, personId: number, now = Date.now()): void {
  db.update(people).set({ revokedAt: null }).where(eq(people.id, personId)).run();
  audit(db, now, 'restore', { personId });
}

/** Audit lines carry ids and reasons only, never names or numbers. */
export function audit(
  db: Db,
  at: number,
  action: string,
  who: { personId?: number; telegramId?: number },
  detail?: string,
): void {
  db.insert(auditLog)
    .values({ at, action, personId: who.personId ?? null, telegramId: who.telegramId ?? null, detail: detail ?? null })
    .run();
}

/** The active (not revoked) person by id, with roles: what every web request re-reads. */
export function actorByPersonId(db: Db, personId: number): (Actor & { locale: string | null; telegramId: number | null }) | undefined {
  const p = db.select().from(people).where(and(eq(people.id, personId), isNull(people.revokedAt))).get();
  if (!p) return undefined;
  return { personId: p.id, name: p.name, unitId: p.unitId, roles: grants(db, p.id), locale: p.locale, telegramId: p.telegramId };
}

import { eq, sql } from 'drizzle-orm';
import { prepared } from './prepared.js';
import type { Db } from './client.js';
import { kv } from './schema.js';

/**
 * Which open card draft a person is filling right now: typed text, locations and photos go to it.
 * Kept in SQLite so a restart (or the next day) continues where the person stopped.
 */
const key = (personId: number) => `focus:${personId}`;

export function focusedDraftId(db: Db, personId: number): number | undefined {
  const q = prepared(db, 'focusedDraftId', () => db.select({ value: kv.value }).from(kv).where(eq(kv.key, sql.placeholder('k'))).prepare());
  const row = q.get({ k: key(personId) });
  return row ? Number(row.value) : undefined;
}

export function setFocus(db: Db, personId: number, draftId: number, now: number): void {
  db.insert(kv)
    .values({ key: key(personId), value: String(draftId), updatedAt: now })
    .onConflictDoUpdate({ target: kv.key, set: { value: String(draftId), updatedAt: now } })
    .run();
}

export function clearFocus(db: Db, personId: number): boolean {
  return db.delete(kv).where(eq(kv.key, key(personId))).run().changes > 0;
}

/** A one-step dialog waiting for the person's next text (e.g. the reason of a correction): kind → id. */
const pendingKey = (personId: number, kind: string) => `pending:${kind}:${personId}`;

export function setPending(db: Db, personId: number, kind: string, id: number, now: number): void {
  db.insert(kv)
    .values({ key: pendingKey(personId, kind), value: String(id), updatedAt: now })
    .onConflictDoUpdate({ target: kv.key, set: { value: String(id), updatedAt: now } })
    .run();
}

/** Reads and clears a pending dialog; a read first, so the common case (nothing pending) writes nothing. */
export function takePending(db: Db, personId: number, kind: string): number | undefined {
  const q = prepared(db, 'pending', () => db.select({ value: kv.value }).from(kv).where(eq(kv.key, sql.placeholder('k'))).prepare());
  const k = pendingKey(personId, kind);
  const row = q.get({ k });
  if (!row) return undefined;
  db.delete(kv).where(eq(kv.key, k)).run();
  return Number(row.value);
}

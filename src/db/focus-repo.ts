import { eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { kv } from './schema.js';

/**
 * Which open card draft a person is filling right now: typed text, locations and photos go to it.
 * Kept in SQLite so a restart (or the next day) continues where the person stopped.
 */
const key = (personId: number) => `focus:${personId}`;

export function focusedDraftId(db: Db, personId: number): number | undefined {
  const row = db.select().from(kv).where(eq(kv.key, key(personId))).get();
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

export function takePending(db: Db, personId: number, kind: string): number | undefined {
  const row = db.delete(kv).where(eq(kv.key, pendingKey(personId, kind))).returning().get();
  return row ? Number(row.value) : undefined;
}

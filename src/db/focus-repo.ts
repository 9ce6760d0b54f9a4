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

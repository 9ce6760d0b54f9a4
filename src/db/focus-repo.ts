import type { Db } from './client.js';
import { deleteKv, readKv, writeKv } from './kv-repo.js';

/**
 * Which open card draft a person is filling right now: typed text, locations and photos go to it.
 * Kept in SQLite so a restart (or the next day) continues where the person stopped.
 */
export const focusKey = (personId: number) => `focus:${personId}`;
const key = focusKey;

export function focusedDraftId(db: Db, personId: number): number | undefined {
  return readKv<number>(db, key(personId));
}

export function setFocus(db: Db, personId: number, draftId: number, now: number): void {
  writeKv(db, key(personId), draftId, now);
}

export function clearFocus(db: Db, personId: number): boolean {
  return deleteKv(db, key(personId));
}

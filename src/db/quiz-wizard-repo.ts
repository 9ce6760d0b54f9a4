/** Per-person dialog state (the trainer's push wizard) in the `kv` table: one JSON row, rewritten per step. */
import { eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { kv } from './schema.js';

export function readState<T>(db: Db, key: string): T | undefined {
  const row = db.select({ value: kv.value }).from(kv).where(eq(kv.key, key)).get();
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export function writeState(db: Db, key: string, value: unknown, now: number): void {
  const json = JSON.stringify(value);
  db.insert(kv).values({ key, value: json, updatedAt: now }).onConflictDoUpdate({ target: kv.key, set: { value: json, updatedAt: now } }).run();
}

/** Deletes the state; true when there was one. */
export function clearState(db: Db, key: string): boolean {
  return db.delete(kv).where(eq(kv.key, key)).run().changes > 0;
}

/**
 * Small per-person state in the `kv` table (dialogs' saved progress, the focused card, a trainer's question file
 * awaiting publication): one JSON value per key. Reads run on every message, so the statements are prepared once.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { kv } from './schema.js';
import { prepared } from './prepared.js';

export function readKv<T>(db: Db, key: string): T | undefined {
  const q = prepared(db, 'kv.read', () => db.select({ value: kv.value }).from(kv).where(eq(kv.key, sql.placeholder('k'))).prepare());
  const row = q.get({ k: key });
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export function writeKv(db: Db, key: string, value: unknown, now: number): void {
  const json = JSON.stringify(value);
  db.insert(kv).values({ key, value: json, updatedAt: now }).onConflictDoUpdate({ target: kv.key, set: { value: json, updatedAt: now } }).run();
}

/** Deletes the key; true when it was there. */
export function deleteKv(db: Db, key: string): boolean {
  return db.delete(kv).where(eq(kv.key, key)).run().changes > 0;
}

/** Key-value access for a plugin that keeps its own JSON state (the dialogs' saved progress). */
export function kvStore<T>(db: Db, now: () => number): { read(key: string): T | undefined; write(key: string, value: T): void; delete(key: string): void } {
  return {
    read: (key) => readKv<T>(db, key),
    write: (key, value) => writeKv(db, key, value, now()),
    delete: (key) => void deleteKv(db, key),
  };
}

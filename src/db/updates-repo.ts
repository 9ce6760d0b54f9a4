import { lt, sql } from 'drizzle-orm';
import { prepared } from './prepared.js';
import type { Db } from './client.js';
import { readKv, writeKv } from './kv-repo.js';
import { processedUpdates } from './schema.js';

/** Whether the update was recorded as handled (read before every update: a plain statement, no row mapping). */
export function isProcessed(db: Db, updateId: number): boolean {
  const q = prepared(db, 'isProcessed', () => db.$client.prepare('SELECT 1 FROM processed_updates WHERE update_id = ?').pluck());
  return q.get(updateId) !== undefined;
}

/** Records an update as handled; false when it was recorded already (the insert itself finds a duplicate). */
export function markProcessed(db: Db, updateId: number, now: number): boolean {
  const q = prepared(db, 'markProcessed', () =>
    db.insert(processedUpdates).values({ updateId: sql.placeholder('id'), at: sql.placeholder('at') }).onConflictDoNothing().prepare(),
  );
  return q.run({ id: updateId, at: now }).changes === 1;
}

/** The highest update id handled so far (0 for a new database). */
export function lastProcessedUpdateId(db: Db): number {
  return db.select({ max: sql<number | null>`max(${processedUpdates.updateId})` }).from(processedUpdates).get()?.max ?? 0;
}

const LOCAL_UPDATE_ID_KEY = 'local:update_id';

/**
 * The next update id for a bot fed in-process (the terminal chat), unique across every process on this database:
 * each chat handing out its own ids from the last handled one gave two chats the same ids, and the second update
 * with an id was skipped as a redelivery.
 */
export function reserveUpdateId(db: Db, now: number): number {
  return db.$client
    .transaction(() => {
      const next = Math.max(readKv<number>(db, LOCAL_UPDATE_ID_KEY) ?? 0, lastProcessedUpdateId(db)) + 1;
      writeKv(db, LOCAL_UPDATE_ID_KEY, next, now);
      return next;
    })
    .immediate();
}

/** Keeps the table small: Telegram never redelivers an update after a day. */
export function pruneProcessed(db: Db, before: number): number {
  return db.delete(processedUpdates).where(lt(processedUpdates.at, before)).run().changes;
}

import { lt, sql } from 'drizzle-orm';
import { prepared } from './prepared.js';
import type { Db } from './client.js';
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

/** Keeps the table small: Telegram never redelivers an update after a day. */
export function pruneProcessed(db: Db, before: number): number {
  return db.delete(processedUpdates).where(lt(processedUpdates.at, before)).run().changes;
}

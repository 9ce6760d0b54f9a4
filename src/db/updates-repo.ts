import { eq, lt, sql } from 'drizzle-orm';
import { prepared } from './prepared.js';
import type { Db } from './client.js';
import { processedUpdates } from './schema.js';

export function isProcessed(db: Db, updateId: number): boolean {
  const q = prepared(db, 'isProcessed', () =>
    db.select({ id: processedUpdates.updateId }).from(processedUpdates).where(eq(processedUpdates.updateId, sql.placeholder('id'))).prepare(),
  );
  return !!q.get({ id: updateId });
}

export function markProcessed(db: Db, updateId: number, now: number): void {
  const q = prepared(db, 'markProcessed', () =>
    db.insert(processedUpdates).values({ updateId: sql.placeholder('id'), at: sql.placeholder('at') }).onConflictDoNothing().prepare(),
  );
  q.run({ id: updateId, at: now });
}

/** Keeps the table small: Telegram never redelivers an update after a day. */
export function pruneProcessed(db: Db, before: number): number {
  return db.delete(processedUpdates).where(lt(processedUpdates.at, before)).run().changes;
}

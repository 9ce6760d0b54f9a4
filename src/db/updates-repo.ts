import { eq, lt } from 'drizzle-orm';
import type { Db } from './client.js';
import { processedUpdates } from './schema.js';

export function isProcessed(db: Db, updateId: number): boolean {
  return !!db.select().from(processedUpdates).where(eq(processedUpdates.updateId, updateId)).get();
}

export function markProcessed(db: Db, updateId: number, now: number): void {
  db.insert(processedUpdates).values({ updateId, at: now }).onConflictDoNothing().run();
}

/** Keeps the table small: Telegram never redelivers an update after a day. */
export function pruneProcessed(db: Db, before: number): number {
  return db.delete(processedUpdates).where(lt(processedUpdates.at, before)).run().changes;
}

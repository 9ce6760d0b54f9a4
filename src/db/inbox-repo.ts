import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { prepared } from './prepared.js';
import { webhookInbox } from './schema.js';

/** Stores an acknowledged update; false when it is already waiting (Telegram sent it again). */
export function putInbox(db: Db, updateId: number, body: string, now: number): boolean {
  const q = prepared(db, 'inbox.put', () =>
    db
      .insert(webhookInbox)
      .values({ updateId: sql.placeholder('id'), body: sql.placeholder('body'), receivedAt: sql.placeholder('now') })
      .onConflictDoNothing()
      .prepare(),
  );
  return q.run({ id: updateId, body, now }).changes === 1;
}

export function removeInbox(db: Db, updateId: number): void {
  db.delete(webhookInbox).where(eq(webhookInbox.updateId, updateId)).run();
}

/** Updates acknowledged before a restart and not handled, oldest first. */
export function pendingInbox(db: Db): { updateId: number; body: string }[] {
  return db.select({ updateId: webhookInbox.updateId, body: webhookInbox.body }).from(webhookInbox).orderBy(asc(webhookInbox.updateId)).all();
}

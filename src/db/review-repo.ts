/** Reviews: a supervisor sends one field of a card back to its helper; the correction becomes a revision. */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from './client.js';
import { cardReviews, people } from './schema.js';

export type ReviewRow = typeof cardReviews.$inferSelect;

export function createReview(
  db: Db,
  r: { cardId: number; householdId: number; supervisorId: number; helperId: number; fieldPath: string; comment: string },
  now: number,
): ReviewRow {
  return db.insert(cardReviews).values({ ...r, status: 'sent', createdAt: now }).returning().get();
}

export function reviewById(db: Db, id: number): ReviewRow | undefined {
  return db.select().from(cardReviews).where(eq(cardReviews.id, id)).get();
}

/** The helper opened the review: its correction draft. */
export function markReviewOpened(db: Db, id: number, draftId: number): void {
  db.update(cardReviews).set({ status: 'opened', draftId }).where(eq(cardReviews.id, id)).run();
}

/** The review whose correction draft was just submitted, marked revised (once); undefined if none. */
export function closeReviewByDraft(db: Db, draftId: number, revision: number, now: number): ReviewRow | undefined {
  const r = db
    .select()
    .from(cardReviews)
    .where(and(eq(cardReviews.draftId, draftId), eq(cardReviews.status, 'opened')))
    .get();
  if (!r) return undefined;
  const done = db
    .update(cardReviews)
    .set({ status: 'revised', revision, revisedAt: now })
    .where(and(eq(cardReviews.id, r.id), eq(cardReviews.status, 'opened')))
    .run();
  return done.changes === 1 ? { ...r, status: 'revised', revision, revisedAt: now } : undefined;
}

/** Reviews of a card still waiting for the helper. */
export function openReviewsOfCard(db: Db, cardId: number): ReviewRow[] {
  return db
    .select()
    .from(cardReviews)
    .where(and(eq(cardReviews.cardId, cardId), inArray(cardReviews.status, ['sent', 'opened'])))
    .orderBy(desc(cardReviews.id))
    .all();
}

/** Telegram account and language of a person, if bound and not revoked. */
export function chatOf(db: Db, personId: number): { telegramId: number; locale: string | null; name: string } | undefined {
  const p = db.select().from(people).where(eq(people.id, personId)).get();
  if (!p || p.telegramId === null || p.revokedAt !== null) return undefined;
  return { telegramId: p.telegramId, locale: p.locale, name: p.name };
}

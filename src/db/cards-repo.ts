import { and, desc, eq, gte, lte, ne, sql } from 'drizzle-orm';
import { prepared } from './prepared.js';
import { inTransaction, type Db } from './client.js';
import { cardDrafts, cardRevisions, cards } from './schema.js';
import { appendRevision } from './integrity-repo.js';
import { recordFlags, type NewFlag } from './flags-repo.js';

export type { NewFlag };
// the chain and its checks live in integrity-repo.ts
export { verifyChains } from './integrity-repo.js';

export interface DraftRow {
  id: number;
  householdId: number;
  helperId: number;
  formId: string;
  formVersion: number;
  state: string;
  step: number;
  status: string;
  reviseCardId: number | null;
  reviseReason: string | null;
  startedAt: number;
  updatedAt: number;
}

export function createDraft(
  db: Db,
  d: { householdId: number; helperId: number; formId: string; formVersion: number; state: string; reviseCardId?: number; reviseReason?: string },
  now: number,
): DraftRow {
  return db
    .insert(cardDrafts)
    .values({ ...d, step: 0, status: 'open', startedAt: now, updatedAt: now })
    .returning()
    .get();
}

export function draftById(db: Db, id: number): DraftRow | undefined {
  const q = prepared(db, 'draftById', () => db.select().from(cardDrafts).where(eq(cardDrafts.id, sql.placeholder('id'))).prepare());
  return q.get({ id });
}

/** A helper's open drafts, the most recently touched first. */
export function openDrafts(db: Db, helperId: number): DraftRow[] {
  return db
    .select()
    .from(cardDrafts)
    .where(and(eq(cardDrafts.helperId, helperId), eq(cardDrafts.status, 'open')))
    .orderBy(desc(cardDrafts.updatedAt))
    .all();
}

/**
 * Writes the new state only if nobody moved the draft since `expectedStep` was read (a double tap,
 * two messages at once): returns false and changes nothing otherwise. Committed before the bot replies.
 */
export function saveDraftState(db: Db, id: number, expectedStep: number, state: string, now: number): boolean {
  const q = prepared(db, 'saveDraftState', () =>
    db
      .update(cardDrafts)
      .set({ state: sql`${sql.placeholder('state')}`, step: sql`${sql.placeholder('next')}`, updatedAt: sql`${sql.placeholder('now')}` })
      .where(and(eq(cardDrafts.id, sql.placeholder('id')), eq(cardDrafts.step, sql.placeholder('step')), eq(cardDrafts.status, 'open')))
      .prepare(),
  );
  return q.run({ state, next: expectedStep + 1, now, id, step: expectedStep }).changes === 1;
}

/** The draft whose submission made the card's latest revision (a correction), if any. */
export function latestSubmittedDraftOf(db: Db, cardId: number): DraftRow | undefined {
  return db
    .select()
    .from(cardDrafts)
    .where(and(eq(cardDrafts.reviseCardId, cardId), eq(cardDrafts.status, 'submitted')))
    .orderBy(desc(cardDrafts.updatedAt), desc(cardDrafts.id))
    .get();
}

export function discardDraft(db: Db, id: number, now: number): void {
  db.update(cardDrafts).set({ status: 'discarded', updatedAt: now }).where(eq(cardDrafts.id, id)).run();
}

export interface CardRow {
  id: number;
  draftId: number;
  householdId: number;
  helperId: number;
  formId: string;
  formVersion: number;
  visitDate: string;
  visitMode: string;
  inPerson: boolean;
  answers: string;
  revision: number;
  submittedAt: number;
}

export type SubmitResult = { ok: true; cardId: number; revision: number } | { ok: false; reason: 'stale' };

/**
 * Submits a draft in one transaction: a new card with revision 1, or (for a correction) the next revision of
 * its card with the changes old → new; the revision joins the card's hash chain; flags are stored; the draft closes.
 */
export function submitDraft(
  db: Db,
  draft: DraftRow,
  card: { visitDate: string; visitMode: string; inPerson: boolean; answers: string; changes: string },
  flags: NewFlag[],
  authorId: number,
  now: number,
): SubmitResult {
  return inTransaction(db, (): SubmitResult => {
    const closed = db
      .update(cardDrafts)
      .set({ status: 'submitted', updatedAt: now })
      .where(and(eq(cardDrafts.id, draft.id), eq(cardDrafts.step, draft.step), eq(cardDrafts.status, 'open')))
      .run();
    if (closed.changes !== 1) return { ok: false, reason: 'stale' };
    let cardId: number;
    let revision: number;
    if (draft.reviseCardId) {
      const prev = db
        .select()
        .from(cardRevisions)
        .where(eq(cardRevisions.cardId, draft.reviseCardId))
        .orderBy(desc(cardRevisions.revision))
        .get()!;
      cardId = draft.reviseCardId;
      revision = prev.revision + 1;
      db.update(cards)
        .set({ answers: card.answers, revision, visitDate: card.visitDate, visitMode: card.visitMode, inPerson: card.inPerson })
        .where(eq(cards.id, cardId))
        .run();
    } else {
      revision = 1;
      cardId = db
        .insert(cards)
        .values({
          draftId: draft.id,
          householdId: draft.householdId,
          helperId: draft.helperId,
          formId: draft.formId,
          formVersion: draft.formVersion,
          ...card,
          revision,
          submittedAt: now,
        })
        .returning({ id: cards.id })
        .get().id;
    }
    appendRevision(db, { cardId, revision, answers: card.answers, changes: card.changes, reason: draft.reviseReason, authorId, createdAt: now });
    recordFlags(db, { id: cardId, householdId: draft.householdId, revision, visitDate: card.visitDate }, flags, now);
    return { ok: true, cardId, revision };
  });
}

/** The household's latest submitted card (its answers carry forward into the next one). */
export function latestCard(db: Db, householdId: number, excludeCardId?: number): CardRow | undefined {
  return db
    .select()
    .from(cards)
    .where(excludeCardId ? and(eq(cards.householdId, householdId), ne(cards.id, excludeCardId)) : eq(cards.householdId, householdId))
    .orderBy(desc(cards.visitDate), desc(cards.submittedAt))
    .get();
}

export function cardById(db: Db, id: number): CardRow | undefined {
  return db.select().from(cards).where(eq(cards.id, id)).get();
}

export function revisionsOf(db: Db, cardId: number) {
  return db.select().from(cardRevisions).where(eq(cardRevisions.cardId, cardId)).orderBy(cardRevisions.revision).all();
}

/** Cards submitted by others near a time, to spot many cards entered from one place at one time. */
export function cardsSubmittedBetween(db: Db, from: number, to: number): CardRow[] {
  return db.select().from(cards).where(and(gte(cards.submittedAt, from), lte(cards.submittedAt, to))).all();
}

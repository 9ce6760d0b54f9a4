/**
 * Card drafts (the engine's state, saved after every answer) and submitted cards with their revisions. Rows come out
 * typed: the JSON columns are parsed and checked here, so no caller handles a JSON string.
 */
import { and, desc, eq, gte, lte, ne, or, sql } from 'drizzle-orm';
import type { Answers, AnswerValue, CardState } from '../core/forms/index.js';
import { prepared } from './prepared.js';
import { inTransaction, type Db } from './client.js';
import { startSync } from './durable.js';
import { cardDrafts, cardRevisions, cards } from './schema.js';
import { appendRevision } from './integrity-repo.js';
import { recordFlags, type NewFlag } from './flags-repo.js';
import { stateOfText, stateWritten } from './draft-states.js';

export type { NewFlag };
// the chain and its checks live in integrity-repo.ts
export { verifyChains } from './integrity-repo.js';

/** A stored JSON column that is not what it must be: a bug or a hand-edited database, never user input. */
function corrupt(what: string, id: number): never {
  throw new Error(`${what} ${id} holds malformed JSON state`);
}

function parseState(json: string, draftId: number): CardState {
  const v = JSON.parse(json) as CardState;
  if (!v || typeof v !== 'object' || typeof v.formVersion !== 'number' || typeof v.answers !== 'object' || v.answers === null) corrupt('draft', draftId);
  return v;
}

function parseAnswers(json: string, cardId: number): Answers {
  const v = JSON.parse(json) as Answers;
  if (!v || typeof v !== 'object' || Array.isArray(v)) corrupt('card', cardId);
  return v;
}

export interface DraftRow {
  id: number;
  householdId: number;
  helperId: number;
  formId: string;
  formVersion: number;
  state: CardState;
  step: number;
  status: string;
  reviseCardId: number | null;
  reviseReason: string | null;
  startedAt: number;
  updatedAt: number;
}

const toDraft = (r: typeof cardDrafts.$inferSelect): DraftRow => ({ ...r, state: stateOfText(r.id, r.state, (json) => parseState(json, r.id)) });

/** A draft row read without the query builder (its columns by name), its state parsed and checked. */
export const draftFromRow = toDraft;

export function createDraft(
  db: Db,
  d: { householdId: number; helperId: number; formId: string; formVersion: number; state: CardState; reviseCardId?: number; reviseReason?: string },
  now: number,
): DraftRow {
  const row = db
    .insert(cardDrafts)
    .values({ ...d, state: JSON.stringify(d.state), step: 0, status: 'open', startedAt: now, updatedAt: now })
    .returning()
    .get();
  return toDraft(row);
}

export function draftById(db: Db, id: number): DraftRow | undefined {
  const q = prepared(db, 'draftById', () => db.select().from(cardDrafts).where(eq(cardDrafts.id, sql.placeholder('id'))).prepare());
  const row = q.get({ id });
  return row ? toDraft(row) : undefined;
}

/** A helper's open drafts, the most recently touched first. */
export function openDrafts(db: Db, helperId: number): DraftRow[] {
  return db
    .select()
    .from(cardDrafts)
    .where(and(eq(cardDrafts.helperId, helperId), eq(cardDrafts.status, 'open')))
    .orderBy(desc(cardDrafts.updatedAt))
    .all()
    .map(toDraft);
}

/**
 * Writes the new state only if nobody moved the draft since `expectedStep` was read (a double tap,
 * two messages at once): returns false and changes nothing otherwise. Committed before the bot replies.
 */
export function saveDraftState(db: Db, id: number, expectedStep: number, state: CardState, now: number): boolean {
  const q = prepared(db, 'saveDraftState', () =>
    db
      .update(cardDrafts)
      // the form goes with the state: a card whose visit date falls in another period of the rules changes form
      .set({
        state: sql`${sql.placeholder('state')}`, step: sql`${sql.placeholder('next')}`, updatedAt: sql`${sql.placeholder('now')}`,
        formId: sql`${sql.placeholder('formId')}`, formVersion: sql`${sql.placeholder('formVersion')}`,
      })
      .where(and(eq(cardDrafts.id, sql.placeholder('id')), eq(cardDrafts.step, sql.placeholder('step')), eq(cardDrafts.status, 'open')))
      .prepare(),
  );
  const json = JSON.stringify(state);
  const saved = q.run({ state: json, next: expectedStep + 1, now, id, step: expectedStep, formId: state.formId, formVersion: state.formVersion }).changes === 1;
  if (saved) stateWritten(id, json, state);
  return saved;
}

export type SaveOnce = 'saved' | 'moved' | 'duplicate';

/**
 * `saveDraftState` for one incoming message or press, identified by `key` (the update id): the key is recorded as
 * handled in the same transaction, so a message delivered twice is never applied to the next question (and one
 * fsync serves both). 'duplicate': this key was handled already; 'moved': the draft changed since it was read.
 */
export function saveDraftStateOnce(db: Db, id: number, expectedStep: number, state: CardState, key: number, now: number): SaveOnce {
  // built once per connection (better-sqlite3 makes a transaction function's wrappers on every call), with plain
  // statements: the query builder's parameter mapping cost more than these two writes
  const commit = prepared(db, 'saveDraftStateOnce', () => {
    const mark = db.$client.prepare('INSERT INTO processed_updates (update_id, at) VALUES (?, ?) ON CONFLICT DO NOTHING');
    const save = db.$client.prepare(
      'UPDATE card_drafts SET state = ?, step = ?, updated_at = ?, form_id = ?, form_version = ? ' +
        "WHERE id = ? AND step = ? AND status = 'open'",
    );
    return db.$client.transaction((a: { id: number; step: number; state: string; formId: string; formVersion: number; key: number; now: number }): SaveOnce => {
      // the key first: its insert finds a duplicate by itself, with no read before it
      if (mark.run(a.key, a.now).changes !== 1) return 'duplicate';
      // the draft moved: the key's row goes back out with the rollback (the message was not applied)
      if (save.run(a.state, a.step + 1, a.now, a.formId, a.formVersion, a.id, a.step).changes !== 1) throw MOVED;
      return 'saved';
    });
  });
  const json = JSON.stringify(state);
  try {
    const r = commit.immediate({ id, step: expectedStep, state: json, formId: state.formId, formVersion: state.formVersion, key, now });
    startSync(db); // on its thread while the reply is drawn
    if (r === 'saved') stateWritten(id, json, state);
    return r;
  } catch (e) {
    if (e === MOVED) return 'moved';
    throw e;
  }
}

/** Thrown inside the transaction to roll the key's row back. */
const MOVED = new Error('draft moved');

/**
 * The engine state the card was last submitted with (its first draft, or the latest correction): the starting point
 * of a correction, so only what changes has to be answered again.
 */
export function lastSubmittedState(db: Db, card: { id: number; draftId: number }): CardState | undefined {
  const row = db
    .select()
    .from(cardDrafts)
    .where(and(eq(cardDrafts.status, 'submitted'), or(eq(cardDrafts.id, card.draftId), eq(cardDrafts.reviseCardId, card.id))))
    .orderBy(desc(cardDrafts.updatedAt), desc(cardDrafts.id))
    .get();
  return row ? parseState(row.state, row.id) : undefined;
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
  answers: Answers;
  revision: number;
  submittedAt: number;
}

const toCard = (r: typeof cards.$inferSelect): CardRow => ({ ...r, answers: parseAnswers(r.answers, r.id) });

/** One answer's change in a revision. */
export interface AnswerChange {
  field: string;
  old: AnswerValue | null;
  new: AnswerValue | null;
}

export type SubmitResult = { ok: true; cardId: number; revision: number } | { ok: false; reason: 'stale' };

/**
 * Submits a draft in one transaction: a new card with revision 1, or (for a correction) the next revision of
 * its card with the changes old → new; the revision joins the card's hash chain; flags are stored; the draft closes.
 */
export function submitDraft(
  db: Db,
  draft: DraftRow,
  submitted: { visitDate: string; visitMode: string; inPerson: boolean; answers: Answers; changes: AnswerChange[] },
  flags: NewFlag[],
  authorId: number,
  now: number,
): SubmitResult {
  const card = { ...submitted, answers: JSON.stringify(submitted.answers), changes: JSON.stringify(submitted.changes) };
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
  const row = db
    .select()
    .from(cards)
    .where(excludeCardId ? and(eq(cards.householdId, householdId), ne(cards.id, excludeCardId)) : eq(cards.householdId, householdId))
    .orderBy(desc(cards.visitDate), desc(cards.submittedAt))
    .get();
  return row ? toCard(row) : undefined;
}

/** The household's latest card dated before `date`, other than `excludeCardId` ("what changed at the last visit"). */
export function cardBefore(db: Db, householdId: number, date: string, excludeCardId: number): CardRow | undefined {
  const row = db
    .select()
    .from(cards)
    .where(and(eq(cards.householdId, householdId), sql`${cards.visitDate} < ${date}`, ne(cards.id, excludeCardId)))
    .orderBy(desc(cards.visitDate))
    .get();
  return row ? toCard(row) : undefined;
}

export function cardById(db: Db, id: number): CardRow | undefined {
  const row = db.select().from(cards).where(eq(cards.id, id)).get();
  return row ? toCard(row) : undefined;
}

export interface RevisionRow {
  id: number;
  cardId: number;
  revision: number;
  answers: Answers;
  changes: AnswerChange[];
  reason: string | null;
  authorId: number;
  createdAt: number;
}

export function revisionsOf(db: Db, cardId: number): RevisionRow[] {
  return db
    .select()
    .from(cardRevisions)
    .where(eq(cardRevisions.cardId, cardId))
    .orderBy(cardRevisions.revision)
    .all()
    .map((r) => ({
      id: r.id, cardId: r.cardId, revision: r.revision, reason: r.reason, authorId: r.authorId, createdAt: r.createdAt,
      answers: parseAnswers(r.answers, r.cardId),
      changes: JSON.parse(r.changes) as AnswerChange[],
    }));
}

/** Where in-person cards were started, submitted in a time window (to spot many cards entered from one place). */
export function cardsSubmittedBetween(db: Db, from: number, to: number): CardRow[] {
  return db.select().from(cards).where(and(gte(cards.submittedAt, from), lte(cards.submittedAt, to))).all().map(toCard);
}

/**
 * Correcting a submitted card: the helper gives a reason, then a new draft opens holding the card's last submitted
 * state, at the summary. Submitting it adds a revision with the reason; the card never changes in place.
 */
import { hasRole, type Actor } from '../../core/people/roles.js';
import type { CardState } from '../../core/forms/index.js';
import { cardById, createDraft, lastSubmittedState, openDrafts, type CardRow } from '../../db/cards-repo.js';
import { helperHousehold } from '../../db/household-repo.js';
import { ok, refuse, type AppDeps, type Result } from '../deps.js';

/** The shortest reason that says something (two characters: 笔误 is a reason). */
const MIN_REASON = 2;
const MAX_REASON = 500;

/** The card, if the actor is a helper still paired with its household. */
function ownCard(deps: AppDeps, actor: Actor | undefined, cardId: number): CardRow | undefined {
  if (!actor || !hasRole(actor, 'helper')) return undefined;
  const card = cardById(deps.db, cardId);
  return card && helperHousehold(deps.db, actor.personId, card.householdId) ? card : undefined;
}

/** Whether the actor may correct the card; its visit date for the question. */
export function correctionTarget(deps: AppDeps, actor: Actor | undefined, cardId: number): Result<{ cardId: number; visitDate: string }, 'not_yours'> {
  const card = ownCard(deps, actor, cardId);
  return card ? ok({ cardId: card.id, visitDate: card.visitDate }) : refuse('not_yours');
}

/** Opens (or returns the open) correction draft of a card with a reason. */
export function openCorrection(deps: AppDeps, actor: Actor | undefined, cardId: number, reasonText: string): Result<{ draftId: number }, 'not_yours' | 'too_short'> {
  const card = ownCard(deps, actor, cardId);
  if (!card) return refuse('not_yours');
  const reason = reasonText.trim().slice(0, MAX_REASON);
  if ([...reason].length < MIN_REASON) return refuse('too_short');
  const existing = openDrafts(deps.db, card.helperId).find((d) => d.reviseCardId === card.id);
  return ok({ draftId: existing?.id ?? createRevisionDraft(deps, card, reason) });
}

/** A correction's draft: the card's last submitted state (or its answers), at the summary. */
function createRevisionDraft(deps: Pick<AppDeps, 'db' | 'now'>, card: CardRow, reason: string, state?: CardState): number {
  const base = state ?? lastSubmittedState(deps.db, card) ?? stateFromAnswers(card, deps.now());
  const reopened: CardState = { ...base, cursor: null, confirmedWarnings: [], draft: undefined, changing: undefined };
  return createDraft(
    deps.db,
    { householdId: card.householdId, helperId: card.helperId, formId: card.formId, formVersion: reopened.formVersion, state: reopened, reviseCardId: card.id, reviseReason: reason },
    deps.now(),
  ).id;
}

/** A card whose drafts are gone (imported, or from before drafts were kept): its answers at the summary. */
export function stateFromAnswers(card: CardRow, now: number): CardState {
  return { formId: card.formId, formVersion: card.formVersion, cursor: null, answers: card.answers, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: now };
}

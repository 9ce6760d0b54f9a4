import type { CardState } from '../../core/forms/index.js';
import { createDraft, draftById, latestSubmittedDraftOf, type CardRow } from '../../db/cards-repo.js';
import type { Db } from '../../db/client.js';

/**
 * Opens a correction of a submitted card: a new draft holding the card's last submitted state, at the summary
 * (or at one field, when a supervisor sent it back). Submitting it adds a revision with the reason; the card
 * itself never changes in place.
 */
export function createRevisionDraft(db: Db, card: CardRow, reason: string, now: number): number {
  const source = latestSubmittedDraftOf(db, card.id) ?? draftById(db, card.draftId)!;
  const state = JSON.parse(source.state) as CardState;
  const reopened: CardState = { ...state, cursor: null, confirmedWarnings: [], draft: undefined, changing: undefined };
  return createDraft(
    db,
    {
      householdId: card.householdId,
      helperId: card.helperId,
      formId: card.formId,
      formVersion: state.formVersion,
      state: JSON.stringify(reopened),
      reviseCardId: card.id,
      reviseReason: reason,
    },
    now,
  ).id;
}

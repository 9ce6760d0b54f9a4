/**
 * One card being filled: the draft row, its form, the engine state and context. Every input is applied by the engine
 * and committed (with the step check) before anything is shown.
 */
import { migrateState, type CardState, type EngineContext, type FormDefinition } from '../../core/forms/index.js';
import type { Actor } from '../../core/people/roles.js';
import { cardById, draftById, saveDraftState, saveDraftStateOnce, type DraftRow, type SaveOnce } from '../../db/cards-repo.js';
import { helperHousehold, type HouseholdSummary } from '../../db/household-repo.js';
import { engineContextFor } from '../card-context.js';
import { ok, refuse, type AppDeps, type Result } from '../deps.js';

export interface CardSession {
  draft: DraftRow;
  form: FormDefinition;
  state: CardState;
  ectx: EngineContext;
  household: HouseholdSummary;
}

export type OpenRefusal = 'missing' | 'not_yours' | 'closed';

/**
 * Loads a draft for the actor: theirs, still open, and they are still paired with the household. A draft made with
 * an older form version is migrated (answers kept where still valid) and saved.
 */
export function openCard(deps: AppDeps, actor: Actor | undefined, draftId: number): Result<CardSession, OpenRefusal> {
  const { db, content, now } = deps;
  const draft = draftById(db, draftId);
  if (!draft) return refuse('missing');
  if (!actor || draft.helperId !== actor.personId) return refuse('not_yours');
  if (draft.status !== 'open') return refuse('closed');
  const household = helperHousehold(db, actor.personId, draft.householdId);
  if (!household) return refuse('not_yours');
  const form = content.forms.get(draft.formId);
  if (!form) return refuse('missing');
  const revised = draft.reviseCardId ? cardById(db, draft.reviseCardId) : undefined;
  const ectx = engineContextFor(deps, household, draft.helperId, revised);
  if (draft.state.formVersion === form.version) return ok({ draft, form, state: draft.state, ectx, household });
  const state = migrateState(form, draft.state, ectx);
  if (!saveDraftState(db, draft.id, draft.step, state, now())) return refuse('closed');
  return ok({ draft: draftById(db, draft.id)!, form, state, ectx, household });
}

/**
 * Commits a new engine state. With `key` (the incoming message's id) the key is recorded in the same transaction, so
 * a message delivered twice is never applied to the next question. 'moved': the draft changed since it was read
 * (a double tap, two messages at once); 'duplicate': this very message was handled already.
 */
export function commitCard(deps: AppDeps, s: CardSession, state: CardState, key?: number): SaveOnce {
  const r =
    key === undefined
      ? saveDraftState(deps.db, s.draft.id, s.draft.step, state, deps.now()) ? 'saved' : 'moved'
      : saveDraftStateOnce(deps.db, s.draft.id, s.draft.step, state, key, deps.now());
  if (r === 'saved') {
    s.state = state;
    s.draft = { ...s.draft, step: s.draft.step + 1, state };
  }
  return r;
}

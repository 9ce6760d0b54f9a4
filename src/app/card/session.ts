/**
 * One card being filled: the draft row, its form, the engine state and context. Every input is applied by the engine
 * and committed (with the step check) before anything is shown.
 */
import { migrateState, type CardState, type EngineContext, type FormDefinition } from '../../core/forms/index.js';
import type { Actor } from '../../core/people/roles.js';
import { cardById, draftById, saveDraftState, saveDraftStateOnce, type DraftRow, type SaveOnce } from '../../db/cards-repo.js';
import { openDraftById, openFocusedDraft, type OpenedDraft } from '../../db/card-open-repo.js';
import { clearFocus } from '../../db/focus-repo.js';
import type { HouseholdSummary } from '../../db/household-repo.js';
import { localYear } from '../../core/time.js';
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
  if (!actor) return refuse(draftById(deps.db, draftId) ? 'not_yours' : 'missing');
  return sessionOf(deps, actor, openDraftById(deps.db, draftId, actor.personId, localYear(deps.now(), deps.config.timezone)));
}

/**
 * The card the actor has in focus (typed answers go to it), opened as `openCard` does; undefined without one. A focus
 * on a card that cannot be opened any more (closed, gone, no longer theirs) is dropped.
 */
export function openFocusedCard(deps: AppDeps, actor: Actor): CardSession | undefined {
  const f = openFocusedDraft(deps.db, actor.personId, localYear(deps.now(), deps.config.timezone));
  if (!f.focus) return undefined;
  const opened = sessionOf(deps, actor, f.opened);
  if (opened.ok) return opened.value;
  clearFocus(deps.db, actor.personId);
  return undefined;
}

function sessionOf(deps: AppDeps, actor: Actor, read: OpenedDraft | undefined): Result<CardSession, OpenRefusal> {
  const { db, content, now } = deps;
  if (!read) return refuse('missing');
  const { draft, household } = read;
  if (draft.helperId !== actor.personId) return refuse('not_yours');
  if (draft.status !== 'open') return refuse('closed');
  if (!household) return refuse('not_yours');
  const form = content.forms.get(draft.formId);
  if (!form) return refuse('missing');
  const revised = draft.reviseCardId ? cardById(db, draft.reviseCardId) : undefined;
  // the facts came with the draft (this year's); a correction counts its own card's year, read apart
  const ectx = engineContextFor(deps, household, draft.helperId, revised, revised ? undefined : read.facts);
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

/**
 * One card being filled, as a handler sees it: the draft row, its form, the engine state and context.
 * Every input is applied by the engine, committed (with the step check), and only then answered.
 */
import { migrateState, type CardState, type EngineContext, type FormDefinition } from '../../core/forms/index.js';
import { draftById, saveDraftState, type DraftRow } from '../../db/cards-repo.js';
import { helperHousehold, type HouseholdSummary } from '../../db/household-repo.js';
import { engineContextFor } from '../../app/card-context.js';
import { isProcessed, markProcessed } from '../../db/updates-repo.js';
import { inTransaction } from '../../db/client.js';
import type { BotContext } from '../context.js';

export interface Session {
  draft: DraftRow;
  form: FormDefinition;
  state: CardState;
  ectx: EngineContext;
  household: HouseholdSummary;
}

export type OpenResult = { ok: true; s: Session } | { ok: false; reason: 'missing' | 'not_yours' | 'closed' };

/** What the engine may read about the household, its helper and the day. */
export function engineContext(ctx: BotContext, household: HouseholdSummary, helperId = ctx.actor?.personId ?? 0): EngineContext {
  return engineContextFor(ctx.deps, household, helperId);
}

/**
 * Loads a draft for the current user, checking that it is theirs, still open, and that they are still paired
 * with the household. A draft made with an older form version is migrated (answers kept where still valid).
 */
export function openSession(ctx: BotContext, draftId: number): OpenResult {
  const { db, content, now } = ctx.deps;
  const draft = draftById(db, draftId);
  if (!draft) return { ok: false, reason: 'missing' };
  if (!ctx.actor || draft.helperId !== ctx.actor.personId) return { ok: false, reason: 'not_yours' };
  if (draft.status !== 'open') return { ok: false, reason: 'closed' };
  const household = helperHousehold(db, ctx.actor.personId, draft.householdId);
  if (!household) return { ok: false, reason: 'not_yours' };
  const form = content.forms.get(draft.formId);
  if (!form) return { ok: false, reason: 'missing' };
  const ectx = engineContext(ctx, household, draft.helperId);
  let state = draft.state;
  if (state.formVersion !== form.version) {
    state = migrateState(form, state, ectx);
    if (!saveDraftState(db, draft.id, draft.step, state, now())) return { ok: false, reason: 'closed' };
    const fresh = draftById(db, draft.id)!;
    return { ok: true, s: { draft: fresh, form, state, ectx, household } };
  }
  return { ok: true, s: { draft, form, state, ectx, household } };
}

/**
 * Commits a new engine state; false when the draft moved meanwhile (double tap, two messages at once) or this
 * very update was already handled (delivered twice).
 * The update is marked handled in the same transaction, so a redelivered message can never be applied
 * to the next question (and one fsync serves both).
 */
export function commitState(ctx: BotContext, s: Session, state: CardState): boolean {
  const { db, now } = ctx.deps;
  const ok = inTransaction(db, () => {
    // the same update, delivered twice, handled meanwhile by another process: never apply it to the next question
    if (isProcessed(db, ctx.update.update_id)) return false;
    const saved = saveDraftState(db, s.draft.id, s.draft.step, state, now());
    if (saved) markProcessed(db, ctx.update.update_id, now());
    return saved;
  });
  if (ok) ctx.processedMarked = true;
  if (ok) {
    s.state = state;
    s.draft = { ...s.draft, step: s.draft.step + 1, state };
  }
  return ok;
}

/**
 * One card being filled, as a handler sees it: the draft row, its form, the engine state and context.
 * Every input is applied by the engine, committed (with the step check), and only then answered.
 */
import { migrateState, type CardState, type EngineContext, type FormDefinition } from '../../core/forms/index.js';
import { localDate, localYear } from '../../core/time.js';
import { draftById, saveDraftState, type DraftRow } from '../../db/cards-repo.js';
import { helperHousehold, type HouseholdSummary } from '../../db/household-repo.js';
import { inPersonVisitCount } from '../../db/visits-repo.js';
import { personById } from '../../db/people-repo.js';
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

/** What the engine may read about the household and the day. */
export function engineContext(ctx: BotContext, household: HouseholdSummary): EngineContext {
  const { now, config, content, db } = ctx.deps;
  const year = localYear(now(), config.timezone);
  const visits = inPersonVisitCount(db, household.id, `${year}-01-01`, `${year + 1}-01-01`);
  const helper = ctx.actor ? personById(db, ctx.actor.personId) : undefined;
  return {
    today: localDate(now(), config.timezone),
    nowMs: now(),
    settings: content.settings,
    // what the roster knows: shown on the card, not asked again
    householdFacts: {
      pairing_start_date: household.pairedSince,
      in_person_visits_this_year: visits,
      household_code: household.code,
      head_name: household.headName,
      head_id: household.headIdNumber,
      poor_attribute: household.attribute,
      status: household.status,
      cause_main: household.causeMain,
      helper_phone: helper?.phone ?? null,
      helper_name: helper?.name ?? null,
    },
  };
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
  const ectx = engineContext(ctx, household);
  let state = JSON.parse(draft.state) as CardState;
  if (state.formVersion !== form.version) {
    state = migrateState(form, state, ectx);
    if (!saveDraftState(db, draft.id, draft.step, JSON.stringify(state), now())) return { ok: false, reason: 'closed' };
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
    const saved = saveDraftState(db, s.draft.id, s.draft.step, JSON.stringify(state), now());
    if (saved) markProcessed(db, ctx.update.update_id, now());
    return saved;
  });
  if (ok) ctx.processedMarked = true;
  if (ok) {
    s.state = state;
    s.draft = { ...s.draft, step: s.draft.step + 1, state: JSON.stringify(state) };
  }
  return ok;
}

/**
 * What the card engine may read about a household, its helper and the day: the date in the configured zone, the
 * settings, and the roster's facts (shown on the card, not asked again).
 */
import type { Answers, EngineContext } from '../core/forms/index.js';
import { latestCard } from '../db/cards-repo.js';
import { registryFacts } from '../db/roster-repo.js';
import { localDate, localYear } from '../core/time.js';
import type { HouseholdSummary } from '../db/household-repo.js';
import type { CardFacts } from '../db/card-open-repo.js';
import { cardFacts, inPersonVisitCount } from '../db/visits-repo.js';
import type { AppDeps } from './deps.js';

/**
 * `revising`: the card a correction revises. Its visits are counted in its own visit year and without itself (a
 * correction is not one more visit).
 */
export function engineContextFor(
  deps: Pick<AppDeps, 'db' | 'content' | 'config' | 'now'>,
  household: HouseholdSummary,
  helperId: number,
  revising?: { id: number; visitDate: string },
  /** the helper's facts for this year, when the caller read them already (with the draft) */
  known?: CardFacts,
): EngineContext {
  const { now, config, content, db } = deps;
  const year = revising ? Number(revising.visitDate.slice(0, 4)) : localYear(now(), config.timezone);
  const facts = known ?? cardFacts(db, helperId, household.id, year);
  return {
    today: localDate(now(), config.timezone),
    nowMs: now(),
    settings: content.settings,
    householdFacts: {
      pairing_start_date: household.pairedSince,
      // the yearly count (kept by triggers) on every answer; a correction's card counted without itself
      in_person_visits_this_year: revising
        ? inPersonVisitCount(db, household.id, `${year}-01-01`, `${year + 1}-01-01`, revising.id)
        : facts.inPersonThisYear,
      household_code: household.code,
      head_name: household.headName,
      head_id: household.headIdNumber,
      poor_attribute: household.attribute,
      status: household.status,
      cause_main: household.causeMain,
      helper_phone: facts.phone,
      helper_name: facts.name,
    },
  };
}

/**
 * What a new card of the household carries forward: the last card's answers; before the first card, the
 * registration system's record imported with the roster (shown as 登记, confirmed the same way); else nothing.
 */
export function carriedAnswers(deps: Pick<AppDeps, 'db'>, householdId: number): { previous: Answers; from?: 'registry' } {
  const last = latestCard(deps.db, householdId);
  if (last) return { previous: last.answers };
  const registry = registryFacts(deps.db, householdId);
  return registry ? { previous: registry as Answers, from: 'registry' } : { previous: {} };
}

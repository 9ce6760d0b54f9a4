/**
 * What the card engine may read about a household, its helper and the day: the date in the configured zone, the
 * settings, and the roster's facts (shown on the card, not asked again).
 */
import type { EngineContext } from '../core/forms/index.js';
import { localDate, localYear } from '../core/time.js';
import type { HouseholdSummary } from '../db/household-repo.js';
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
): EngineContext {
  const { now, config, content, db } = deps;
  const year = revising ? Number(revising.visitDate.slice(0, 4)) : localYear(now(), config.timezone);
  const facts = cardFacts(db, helperId, household.id, year);
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

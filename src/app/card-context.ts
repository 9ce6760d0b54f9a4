/**
 * What the card engine may read about a household, its helper and the day: the date in the configured zone, the
 * settings, and the roster's facts (shown on the card, not asked again).
 */
import type { EngineContext } from '../core/forms/index.js';
import { localDate, localYear } from '../core/time.js';
import type { HouseholdSummary } from '../db/household-repo.js';
import { cardFacts } from '../db/visits-repo.js';
import type { AppDeps } from './deps.js';

export function engineContextFor(deps: Pick<AppDeps, 'db' | 'content' | 'config' | 'now'>, household: HouseholdSummary, helperId: number): EngineContext {
  const { now, config, content, db } = deps;
  const year = localYear(now(), config.timezone);
  const facts = cardFacts(db, helperId, household.id, year);
  return {
    today: localDate(now(), config.timezone),
    nowMs: now(),
    settings: content.settings,
    householdFacts: {
      pairing_start_date: household.pairedSince,
      in_person_visits_this_year: facts.inPersonThisYear,
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

/**
 * What the card engine may read about a household, its helper and the day: the date in the configured zone, the
 * settings, and the roster's facts (shown on the card, not asked again).
 */
import type { EngineContext } from '../core/forms/index.js';
import { localDate, localYear } from '../core/time.js';
import type { HouseholdSummary } from '../db/household-repo.js';
import { personById } from '../db/people-repo.js';
import { inPersonVisitCount } from '../db/visits-repo.js';
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
  const helper = personById(db, helperId);
  return {
    today: localDate(now(), config.timezone),
    nowMs: now(),
    settings: content.settings,
    householdFacts: {
      pairing_start_date: household.pairedSince,
      in_person_visits_this_year: inPersonVisitCount(db, household.id, `${year}-01-01`, `${year + 1}-01-01`, revising?.id),
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

import { paceFromSummary, zonedMidnight, zonedYearPeriod, type Pacing } from '../../core/visits/pacing.js';
import { localDate } from '../../core/time.js';
import type { HouseholdSummary } from '../../db/household-repo.js';
import type { Translate } from '../../i18n.js';

/** Noon of a local calendar date, so a visit date never slips across a day edge. */
export function visitDateToMs(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return zonedMidnight(y, m, d, timeZone) + 12 * 3600 * 1000;
}

/** Pacing of one household from its in-person visit dates this year. */
export function pacingFor(dates: string[], year: number, now: number, target: number, timeZone: string): Pacing {
  let last: number | null = null;
  for (const d of dates) {
    const ms = visitDateToMs(d, timeZone);
    if (last === null || ms > last) last = ms;
  }
  return paceFromSummary({ count: dates.length, lastVisitAt: last }, zonedYearPeriod(year, timeZone), now, target);
}

/** One household as two short lines that read well on a phone. */
export function householdLines(
  h: HouseholdSummary,
  p: Pacing,
  openFlags: number,
  t: Translate,
  timeZone: string,
): string {
  const first = t('households.line', { code: h.code, head: h.headName, village: h.villageName });
  const bits = [
    t('households.visits', { count: p.count, target: p.target }),
    p.lastVisitAt ? t('households.last', { date: localDate(p.lastVisitAt, timeZone) }) : t('households.never'),
  ];
  if (p.nextDueAt !== null) bits.push(t('households.next', { date: localDate(p.nextDueAt, timeZone) }));
  bits.push(t(`households.pace_${p.pace}`));
  if (openFlags > 0) bits.push(t('households.flags', { count: openFlags }));
  return `${first}\n   ${bits.join(' · ')}`;
}

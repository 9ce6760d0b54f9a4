/** The periods `/stats` offers, as action arguments, and the visit target each one implies. */
import type { I18nKey } from '../../core/i18n-keys.js';
import { DAY_MS, zonedMidnight, zonedYearPeriod, type Period } from '../../core/visits/pacing.js';
import { localDate, localYear } from '../../core/time.js';

/** y: this calendar year · l: last year · 30 / 90: the last 30 / 90 days up to today. */
export const PERIOD_KEYS = ['y', '30', '90', 'l'] as const;
export type PeriodKey = (typeof PERIOD_KEYS)[number];

export function isPeriodKey(s: string | undefined): s is PeriodKey {
  return (PERIOD_KEYS as readonly string[]).includes(s ?? '');
}

export interface ResolvedPeriod {
  key: PeriodKey;
  period: Period;
  /** the yearly target scaled to the period's length (at least 1) */
  target: number;
  /**
   * The instant pace is judged at. A rolling window (the last 30 / 90 days) is over by definition: what it should
   * have held is judged at its end, so a household with no visit in it is overdue, not "on pace" because the
   * window's ideal gap has not passed yet.
   */
  judgedAt(now: number): number;
  /** i18n key and params naming the period */
  label: { key: I18nKey; params: Record<string, string | number> };
}

/** The period behind a key, in the configured zone. Rolling periods end at tomorrow's local midnight. */
export function resolvePeriod(key: PeriodKey, now: number, timeZone: string, yearTarget: number): ResolvedPeriod {
  const year = localYear(now, timeZone);
  if (key === 'y' || key === 'l') {
    const y = key === 'y' ? year : year - 1;
    return { key, period: zonedYearPeriod(y, timeZone), target: yearTarget, label: { key: 'supervise.period.year', params: { year: y } }, judgedAt: (n) => n };
  }
  const days = Number(key);
  const [yy, mm, dd] = localDate(now, timeZone).split('-').map(Number);
  const endAt = zonedMidnight(yy, mm, dd, timeZone) + DAY_MS;
  const period = { startAt: endAt - days * DAY_MS, endAt };
  const yearLength = zonedYearPeriod(year, timeZone);
  const target = Math.max(1, Math.round((yearTarget * (period.endAt - period.startAt)) / (yearLength.endAt - yearLength.startAt)));
  return { key, period, target, label: { key: 'supervise.period.days', params: { days } }, judgedAt: () => period.endAt };
}

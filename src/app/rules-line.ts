/**
 * One line saying which period's rules apply on a date (content/rule-periods.yaml), what households are called, and
 * the figure income is compared with that year (the poverty line of the district's series to 2020, the province's
 * monitoring range from 2021), or that the district has not set it: /households and /stats show it.
 */
import { monitoringRangeFor, povertyLineFor } from '../core/forms/settings.js';
import { periodFor } from '../core/rules/periods.js';
import type { AppDeps } from './deps.js';
import { content, msg, type Piece } from './views.js';

export function rulesLine(deps: Pick<AppDeps, 'content'>, date: string): Piece | undefined {
  const { periods, settings } = deps.content;
  const p = periodFor(periods, date);
  if (!p) return undefined;
  const year = Number(date.slice(0, 4));
  const row = p.income_check === 'poverty_line' ? povertyLineFor(settings, year) : monitoringRangeFor(settings, year);
  return msg('rules.line', {
    period: content(p.name),
    term: content(p.household_term),
    threshold: content(p.threshold_term),
    figure: row ? msg('rules.figure', { yuan: row.yuan, year: row.year, region: row.region }) : msg('rules.no_figure', { year }),
  });
}

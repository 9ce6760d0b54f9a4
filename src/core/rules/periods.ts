/**
 * Periods of the rules (content/rule-periods.yaml): the 脱贫攻坚 period to 2020-12-31, the 过渡期 2021–2025, and what
 * public documents say of the years after it. A card follows the period of its visit date: its form, its words,
 * the figure its income is compared with (the year's poverty line, or the province's monitoring range). Pure.
 */
import type { Text } from '../text.js';
import { isDateString } from '../forms/dates.js';
import type { FormDefinition } from '../forms/types.js';

/** The known periods. Ids are fixed so that code can name them; dates, forms and words are data. */
export const PERIOD_IDS = ['campaign', 'transition', 'after'] as const;
export type PeriodId = (typeof PERIOD_IDS)[number];

/** What a card's income is compared with in a period. */
export type IncomeCheck = 'poverty_line' | 'monitoring_range';

export interface RulePeriod {
  id: PeriodId;
  /** first day (YYYY-MM-DD), or null: from the beginning */
  from: string | null;
  /** last day (YYYY-MM-DD), or null: open-ended */
  until: string | null;
  name: Text;
  /** the card form helpers fill for a visit in this period (a form id of content/forms) */
  card_form: string;
  /** how households are called in this period (贫困户, 脱贫户和监测对象 …) */
  household_term: Text;
  /** the name of the income figure (贫困标准, 防止返贫监测范围 …) */
  threshold_term: Text;
  income_check: IncomeCheck;
  /** source ids, e.g. `[S3][S36]` */
  source: string;
}

/** The period in force on a date (YYYY-MM-DD); null when no period covers it or the date is not a date. */
export function periodFor(periods: readonly RulePeriod[], date: string): RulePeriod | null {
  if (!isDateString(date)) return null;
  return periods.find((p) => (p.from === null || p.from <= date) && (p.until === null || date <= p.until)) ?? null;
}

type Check = { ok: true; periods: RulePeriod[] } | { ok: false; errors: string[] };

const isText = (v: unknown): v is Text =>
  !!v && typeof v === 'object' && typeof (v as Text).zh === 'string' && !!(v as Text).zh && typeof (v as Text).en === 'string' && !!(v as Text).en;

/** Validates the periods file: known ids, real dates, in order without gaps or overlaps, every text in zh and en. */
export function validatePeriods(raw: unknown, file: string): Check {
  const errors: string[] = [];
  const err = (key: string, what: string) => errors.push(`${file}: ${key}: ${what}`);
  const list = raw && typeof raw === 'object' ? (raw as { periods?: unknown }).periods : undefined;
  if (!Array.isArray(list) || list.length === 0) return { ok: false, errors: [`${file}: periods: must be a non-empty list`] };
  const seen = new Set<string>();
  list.forEach((p: Record<string, unknown>, i) => {
    const at = `periods[${i}]`;
    if (!p || typeof p !== 'object') return err(at, 'must be a mapping');
    if (!(PERIOD_IDS as readonly unknown[]).includes(p.id)) err(`${at}.id`, `must be one of ${PERIOD_IDS.join(', ')}`);
    if (seen.has(String(p.id))) err(`${at}.id`, 'duplicate');
    seen.add(String(p.id));
    for (const k of ['from', 'until'] as const) {
      if (p[k] !== null && p[k] !== undefined && !(typeof p[k] === 'string' && isDateString(p[k] as string))) err(`${at}.${k}`, 'must be YYYY-MM-DD or empty');
    }
    for (const k of ['name', 'household_term', 'threshold_term'] as const) if (!isText(p[k])) err(`${at}.${k}`, 'must have zh and en');
    if (typeof p.card_form !== 'string' || !p.card_form) err(`${at}.card_form`, 'must be a form id');
    if (p.income_check !== 'poverty_line' && p.income_check !== 'monitoring_range') err(`${at}.income_check`, 'must be poverty_line or monitoring_range');
    if (typeof p.source !== 'string' || !/\[[A-Z]{1,6}\d*p?\]/.test(p.source)) err(`${at}.source`, 'must name a source id');
  });
  if (errors.length) return { ok: false, errors };
  const periods = list.map((p: Record<string, unknown>) => ({ ...p, from: p.from ?? null, until: p.until ?? null }) as RulePeriod);
  for (let i = 1; i < periods.length; i++) {
    const before = periods[i - 1];
    const next = periods[i];
    if (before.until === null || next.from === null || next.from !== dayAfter(before.until)) {
      err(`periods[${i}].from`, `must be the day after periods[${i - 1}].until (no gap, no overlap)`);
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, periods };
}

function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The card form for a visit on `date` (YYYY-MM-DD): its period's form, else the fallback (settings.card_form). */
export function cardFormOn(c: { periods: readonly RulePeriod[]; forms: ReadonlyMap<string, FormDefinition>; card: FormDefinition }, date: string): FormDefinition {
  const p = periodFor(c.periods, date);
  return (p && c.forms.get(p.card_form)) || c.card;
}

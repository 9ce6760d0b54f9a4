/**
 * Visit pacing: "X of 6 in-person visits this year", last visit, next due date, and whether a household is
 * on pace, behind or overdue. Pure: no clock, no zone database; the caller passes "now" and the period.
 *
 * Time convention: every instant is stored as UTC epoch milliseconds and shown in the configured zone. A period is
 * the half-open interval `[startAt, endAt)`; for "the calendar year in the configured zone" build it with
 * {@link zonedYearPeriod}.
 */

/** How a visit was made (the card's visit_mode: 入户走访 / 电话联系 / 集中活动 / 其他). Only `in_person` counts. */
export type VisitMode = 'in_person' | 'phone' | 'group' | 'other';

/** Mode values that count as an in-person home visit: the code, and the card form's stored option value. */
export const IN_PERSON_MODES: ReadonlySet<string> = new Set(['in_person', '入户走访']);

/** True for an in-person home visit (`in_person` or the card's `入户走访`). */
export function isInPerson(mode: string): boolean {
  return IN_PERSON_MODES.has(mode);
}

/**
 * The district's default: at least 6 in-person home visits per household per calendar year. The 2017 district speech
 * asks for six or more 入户 visits; the period and counting only in-person visits are this product's choice (PD1 in
 * docs/content-sources.md; the district sets them in content/settings.yaml).
 */
export const DEFAULT_VISIT_TARGET = 6;

/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;

/** A pacing period: `[startAt, endAt)` in UTC epoch ms. */
export interface Period {
  startAt: number;
  endAt: number;
}

/** One visit as pacing needs it. `mode` absent means in person (the caller already filtered); see {@link IN_PERSON_MODES}. */
export interface VisitInstant {
  at: number;
  mode?: VisitMode | string;
}

/** Pace of one household. Precedence when several hold: `overdue` > `behind` > `on_pace`. */
export type Pace = 'on_pace' | 'behind' | 'overdue';

/** Everything a household list line or a stats row needs about one household's visits. */
export interface Pacing {
  /** In-person visits counted in the period (see {@link computePacing} for what counts). */
  count: number;
  target: number;
  /** `count >= target`. */
  targetMet: boolean;
  /** The latest counted visit, or null when there is none in the period. */
  lastVisitAt: number | null;
  /** When the next in-person visit is due, or null once the target is met. May lie in the past. */
  nextDueAt: number | null;
  /** Visits expected by now: `target × elapsed fraction of the period` (not rounded). */
  expectedByNow: number;
  pace: Pace;
}

/** A compact input for {@link paceFromSummary}: what a single SQL `count(*)`, `max(at)` gives. */
export interface VisitSummary {
  count: number;
  lastVisitAt: number | null;
}

/**
 * Pacing for one household from its visit list.
 *
 * A visit counts when `mode` is absent or `'in_person'`, and `period.startAt <= at < period.endAt`, and
 * `at <= now` (a future-dated visit is not counted). Then see {@link paceFromSummary} for the rules.
 */
export function computePacing(
  visits: Iterable<VisitInstant>,
  period: Period,
  now: number,
  target: number = DEFAULT_VISIT_TARGET,
): Pacing {
  let count = 0;
  let last: number | null = null;
  for (const v of visits) {
    if (!countsTowardTarget(v, period, now)) continue;
    count++;
    if (last === null || v.at > last) last = v.at;
  }
  return paceFromSummary({ count, lastVisitAt: last }, period, now, target);
}

/** True when a visit counts toward the target (in person, inside the period, not in the future). */
export function countsTowardTarget(v: VisitInstant, period: Period, now: number): boolean {
  if (v.mode !== undefined && !IN_PERSON_MODES.has(v.mode)) return false;
  return v.at >= period.startAt && v.at < period.endAt && v.at <= now;
}

/**
 * The pacing rules, given the number of counted visits and the latest one.
 *
 * Let `L = endAt − startAt`, `T = target`, the ideal gap `I = L / T`, `X = count`, `R = T − X` (remaining),
 * the elapsed fraction `f = clamp((now − startAt) / L, 0, 1)`, and the anchor `A = lastVisitAt ?? startAt`.
 *
 * - `expectedByNow = T × f`.
 * - **overdue** when `X < T` and either the period has ended (`now >= endAt`) or no counted visit for longer than
 *   the ideal gap: `now − A > I`.
 * - else **behind** when `X < floor(expectedByNow)`, or when `X = 0`: a household nobody has visited is never on pace.
 * - else **on_pace** (a household that met its target is always on pace).
 * - `nextDueAt = R > 0 ? floor(A + min(I, (endAt − A) / R)) : null`: the remaining visits spread evenly over the
 *   rest of the period after the last visit, but never later than one ideal gap after it. So an overdue household
 *   always has `nextDueAt < now`; a behind one may too (it must catch up).
 */
export function paceFromSummary(
  summary: VisitSummary,
  period: Period,
  now: number,
  target: number = DEFAULT_VISIT_TARGET,
): Pacing {
  const length = period.endAt - period.startAt;
  if (!(length > 0)) throw new RangeError('pacing period must have endAt > startAt');
  if (!(target > 0)) throw new RangeError('visit target must be positive');
  const { count } = summary;
  const idealGap = length / target;
  const elapsed = Math.min(1, Math.max(0, (now - period.startAt) / length));
  const expectedByNow = target * elapsed;
  const anchor = summary.lastVisitAt ?? period.startAt;
  const remaining = target - count;
  const targetMet = remaining <= 0;

  let pace: Pace = 'on_pace';
  if (!targetMet) {
    if (now >= period.endAt || now - anchor > idealGap) pace = 'overdue';
    else if (count === 0 || count < Math.floor(expectedByNow)) pace = 'behind';
  }
  const nextDueAt = targetMet
    ? null
    : Math.floor(anchor + Math.min(idealGap, (period.endAt - anchor) / remaining));
  return { count, target, targetMet, lastVisitAt: summary.lastVisitAt, nextDueAt, expectedByNow, pace };
}

/**
 * The calendar year `year` in an IANA time zone (default Asia/Shanghai) as UTC epoch ms: from local midnight
 * on 1 January to local midnight on 1 January of the next year. Uses `Intl` only (no I/O).
 */
export function zonedYearPeriod(year: number, timeZone = 'Asia/Shanghai'): Period {
  return { startAt: zonedMidnight(year, 1, 1, timeZone), endAt: zonedMidnight(year + 1, 1, 1, timeZone) };
}

/** UTC epoch ms of local midnight on `year-month-day` in `timeZone`. */
export function zonedMidnight(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  // Offset of the zone at the guessed instant, then correct once (enough for midnight outside DST switches).
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}

/** UTC epoch ms of local midnight of a `YYYY-MM-DD` date (as cards store `visit_date`) in `timeZone`. */
export function localDateToEpoch(date: string, timeZone = 'Asia/Shanghai'): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return zonedMidnight(Number(m[1]), Number(m[2]), Number(m[3]), timeZone);
}

/**
 * Pacing from in-person visits as the database keeps them: a count and the latest local visit date (taken as that
 * day's local midnight). The helper's list, `/stats`, the nudges and the exports all judge a household by this.
 */
export function paceOfVisits(
  visits: { count: number; lastDate: string | null },
  period: Period,
  now: number,
  target: number,
  timeZone: string,
): Pacing {
  return paceFromSummary({ count: visits.count, lastVisitAt: visits.lastDate ? localDateToEpoch(visits.lastDate, timeZone) : null }, period, now, target);
}

/** The latest of local dates (`YYYY-MM-DD` sorts as text), or null for none. */
export function latestDate(dates: readonly string[]): string | null {
  let last: string | null = null;
  for (const d of dates) if (last === null || d > last) last = d;
  return last;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at instant `at`, in ms (e.g. +8 h for Asia/Shanghai). */
function zoneOffsetMs(at: number, timeZone: string): number {
  let fmt = offsetFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(timeZone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * A pushed quiz's deadline as a trainer types it: a number of days from now ("10", "10天", "十天", "10 days"), or a day
 * ("2017-11-30", "2017/11/30", "11-30", "11/30", "11月30日", "2017年11月30日"), which ends at 23:59 local time.
 * A day without a year is the next such day from today.
 */
import { chineseNumber, hasChineseNumerals } from '../forms/chinese-number.js';
import { toHalfWidth } from '../forms/dates.js';
import { localDate, localDateTime } from '../time.js';
import { DAY_MS } from './leitner.js';

/** The latest deadline a push may have, in days from now. */
export const MAX_DEADLINE_DAYS = 90;

export type DeadlineResult = { ok: true; at: number } | { ok: false; reason: 'unreadable' | 'out_of_range' };

export function parseDeadline(input: string, now: number, timeZone: string): DeadlineResult {
  const text = toHalfWidth(input).trim().replace(/\s+/g, ' ');
  const days = /^(\d{1,3}) ?(天|日|d|days?)?$/i.exec(text);
  if (days) return inRange(now + Number(days[1]) * DAY_MS, now);
  const spoken = /^(\S{1,8}?) ?(天|日)?$/.exec(text);
  const n = spoken && hasChineseNumerals(spoken[1]) ? chineseNumber(spoken[1]) : null;
  if (n !== null && Number.isInteger(n)) return inRange(now + n * DAY_MS, now);
  const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
  const short = full ? undefined : /^(\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
  if (!full && !short) return { ok: false, reason: 'unreadable' };
  const today = localDate(now, timeZone);
  const [y, m, d] = full ? full.slice(1).map(Number) : [Number(today.slice(0, 4)), ...short!.slice(1).map(Number)];
  let at = endOfDay(y, m, d, timeZone);
  if (at === undefined) return { ok: false, reason: 'unreadable' };
  if (!full && at <= now) at = endOfDay(y + 1, m, d, timeZone) ?? at;
  return inRange(at, now);
}

function inRange(at: number, now: number): DeadlineResult {
  return at > now && at <= now + MAX_DEADLINE_DAYS * DAY_MS ? { ok: true, at } : { ok: false, reason: 'out_of_range' };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** 23:59 of a calendar day in the zone, as epoch ms; undefined for a day that does not exist (2月30日). */
function endOfDay(y: number, m: number, d: number, timeZone: string): number | undefined {
  const guess = Date.UTC(y, m - 1, d, 23, 59);
  const wanted = `${y}-${pad(m)}-${pad(d)} 23:59`;
  if (new Date(guess).toISOString().slice(0, 10) !== wanted.slice(0, 10)) return undefined;
  // the zone's offset at that moment: what the UTC instant reads as locally, minus itself
  const local = localDateTime(guess, timeZone);
  const offset = Date.parse(`${local.replace(' ', 'T')}:00Z`) - guess;
  return guess - offset;
}

/** A pushed quiz's deadline as trainers type it: days (digits, Chinese numerals, full-width), a day, what is refused. */
import { describe, expect, it } from 'vitest';
import { parseDeadline } from '../../src/core/quiz/deadline.js';

const TZ = 'Asia/Shanghai';
const now = Date.parse('2017-11-15T10:00:00+08:00');
const DAY = 86_400_000;

describe('a typed deadline', () => {
  it.each([
    ['10', now + 10 * DAY], ['10天', now + 10 * DAY], ['10 days', now + 10 * DAY], ['１０天', now + 10 * DAY],
    ['十天', now + 10 * DAY], ['十五天', now + 15 * DAY], ['两天', now + 2 * DAY], ['九十', now + 90 * DAY],
    ['2017-11-30', Date.parse('2017-11-30T23:59:00+08:00')], ['11月30日', Date.parse('2017-11-30T23:59:00+08:00')],
  ])('%s', (text, at) => {
    expect(parseDeadline(text, now, TZ)).toEqual({ ok: true, at });
  });

  it.each([['下周', 'unreadable'], ['几天', 'unreadable'], ['九十一天', 'out_of_range'], ['零天', 'out_of_range'], ['三点五天', 'unreadable'], ['十一月三十日', 'unreadable'], ['2017-02-30', 'unreadable']])(
    '%s is refused (%s)',
    (text, reason) => {
      expect(parseDeadline(text, now, TZ)).toEqual({ ok: false, reason });
    },
  );
});

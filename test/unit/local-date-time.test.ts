/**
 * localDateTime formats most instants from a cached hourly offset instead of Intl: it must give Intl's answer for
 * every instant, around daylight-saving changes, in zones offset by half and quarter hours, and far from today.
 */
import { describe, expect, it } from 'vitest';
import { localDateTime, localDateTimeViaIntl } from '../../src/core/time.js';
import { seededRandom } from '../../src/core/quiz/random.js';

const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'UTC'];
const MINUTE = 60_000;

describe('localDateTime', () => {
  it('equals Intl for instants over fifty years, and every minute around daylight-saving changes', () => {
    const r = seededRandom(15);
    for (const tz of ZONES) {
      for (let i = 0; i < 3000; i++) {
        const ms = Date.UTC(1975, 0, 1) + Math.floor(r() * 1.7e12);
        expect(localDateTime(ms, tz), `${tz} ${ms}`).toBe(localDateTimeViaIntl(ms, tz));
      }
    }
    // the changes of 2024 (New York, London, Lord Howe's half hour) and minutes on either side
    const changes: Array<[string, number]> = [
      ['America/New_York', Date.UTC(2024, 2, 10, 7)], ['America/New_York', Date.UTC(2024, 10, 3, 6)],
      ['Europe/London', Date.UTC(2024, 2, 31, 1)], ['Europe/London', Date.UTC(2024, 9, 27, 1)],
      ['Australia/Lord_Howe', Date.UTC(2024, 3, 6, 15)], ['Australia/Lord_Howe', Date.UTC(2024, 9, 5, 15, 30)],
    ];
    for (const [tz, at] of changes) {
      // each listed instant is a change: two minutes later the wall clock has not moved by two minutes
      const wall = (ms: number) => Date.parse(localDateTimeViaIntl(ms, tz).replace(' ', 'T') + 'Z');
      expect(wall(at + MINUTE) - wall(at - MINUTE), `${tz} changes at ${new Date(at).toISOString()}`).not.toBe(2 * MINUTE);
      for (let ms = at - 3 * 60 * MINUTE; ms <= at + 3 * 60 * MINUTE; ms += MINUTE - 1) {
        expect(localDateTime(ms, tz), `${tz} ${new Date(ms).toISOString()}`).toBe(localDateTimeViaIntl(ms, tz));
      }
    }
  });
});

/** Calendar helpers in a configured IANA zone; Intl only, no I/O. Formatters are built once per zone (they are slow to make). */

const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();

function formatter(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  let f = cache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    cache.set(timeZone, f);
  }
  return f;
}

function parts(f: Intl.DateTimeFormat, ms: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) if (p.type !== 'literal') out[p.type] = p.value;
  return out;
}

/** The last answer per zone, by minute: every update asks for "today" a few times and formatting is slow. */
const lastDate = new Map<string, { minute: number; date: string }>();

/** 'YYYY-MM-DD' of an instant in a zone. */
export function localDate(ms: number, timeZone: string): string {
  const minute = Math.floor(ms / 60_000);
  const hit = lastDate.get(timeZone);
  if (hit && hit.minute === minute) return hit.date;
  const p = parts(formatter(dateFormatters, timeZone, false), ms);
  const date = `${p.year}-${p.month}-${p.day}`;
  lastDate.set(timeZone, { minute, date });
  return date;
}

const HOUR_MS = 3_600_000;
const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** 'YYYY-MM-DD HH:mm' of an instant in a zone, through Intl. */
function localDateTimeIntl(ms: number, timeZone: string): string {
  const p = parts(formatter(dateTimeFormatters, timeZone, true), ms);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/**
 * A zone's offset through a whole UTC hour, by hour (bounded), or null where it changes within the hour or is not in
 * whole minutes: the same offset at the hour's first and last millisecond holds for all of it (a zone never changes
 * its offset twice within an hour). An export formats tens of thousands of instants, and Intl takes about 15 µs each.
 */
const hourOffsets = new Map<string, Map<number, number | null>>();

function offsetOf(ms: number, timeZone: string): number {
  const p = parts(formatter(dateTimeFormatters, timeZone, true), ms);
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - Math.floor(ms / 60_000) * 60_000;
}

function hourOffset(hour: number, timeZone: string): number | null {
  let byHour = hourOffsets.get(timeZone);
  if (!byHour) hourOffsets.set(timeZone, (byHour = new Map()));
  let offset = byHour.get(hour);
  if (offset === undefined) {
    const first = offsetOf(hour * HOUR_MS, timeZone);
    offset = first % 60_000 === 0 && first === offsetOf(hour * HOUR_MS + HOUR_MS - 1, timeZone) ? first : null;
    if (byHour.size >= 20_000) byHour.clear();
    byHour.set(hour, offset);
  }
  return offset;
}

/** 'YYYY-MM-DD HH:mm' of an instant in a zone. */
export function localDateTime(ms: number, timeZone: string): string {
  const offset = Number.isFinite(ms) ? hourOffset(Math.floor(ms / HOUR_MS), timeZone) : null;
  if (offset === null) return localDateTimeIntl(ms, timeZone);
  const d = new Date(ms + offset);
  const y = d.getUTCFullYear();
  if (y < 1000 || y > 9999) return localDateTimeIntl(ms, timeZone);
  return `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** The Intl formatting {@link localDateTime} shortcuts, for tests comparing the two. */
export const localDateTimeViaIntl = localDateTimeIntl;

/** The calendar year of an instant in a zone. */
export function localYear(ms: number, timeZone: string): number {
  return Number(localDate(ms, timeZone).slice(0, 4));
}

/** The hour (0–23) of an instant in a zone. */
export function localHour(ms: number, timeZone: string): number {
  return Number(localDateTime(ms, timeZone).slice(11, 13));
}

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

/** 'YYYY-MM-DD HH:mm' of an instant in a zone. */
export function localDateTime(ms: number, timeZone: string): string {
  const p = parts(formatter(dateTimeFormatters, timeZone, true), ms);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The calendar year of an instant in a zone. */
export function localYear(ms: number, timeZone: string): number {
  return Number(localDate(ms, timeZone).slice(0, 4));
}

/** The hour (0–23) of an instant in a zone. */
export function localHour(ms: number, timeZone: string): number {
  return Number(localDateTime(ms, timeZone).slice(11, 13));
}

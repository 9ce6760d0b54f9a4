/**
 * Callback data is `<prefix>:<part>:<part>…`, at most 64 bytes (Telegram's limit).
 * Parsed here only; handlers re-check every part against the current user and the current step.
 */
export function cb(prefix: string, ...parts: (string | number)[]): string {
  const data = [prefix, ...parts.map(String)].join(':');
  if (Buffer.byteLength(data) > 64) throw new Error(`callback data over 64 bytes: ${data}`);
  return data;
}

/** Splits callback data; returns undefined unless it starts with the prefix and has exactly n parts. */
export function parseCb(data: string | undefined, prefix: string, n: number): string[] | undefined {
  if (!data) return undefined;
  const parts = data.split(':');
  if (parts[0] !== prefix || parts.length !== n + 1) return undefined;
  return parts.slice(1);
}

/** A strictly positive safe integer from callback data or typed text, else undefined. */
export function parseId(s: string | undefined): number | undefined {
  if (!s || !/^\d{1,15}$/.test(s)) return undefined;
  const n = Number(s);
  return n > 0 ? n : undefined;
}

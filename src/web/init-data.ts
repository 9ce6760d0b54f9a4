/**
 * Telegram Mini App sign-in: the client hands the page `initData` (a query string signed by Telegram). It is ours
 * only if its `hash` is HMAC-SHA256 of the data-check-string (every other field as `key=value`, sorted by key, joined
 * by line feeds) under the key HMAC-SHA256("WebAppData", bot token), and its `auth_date` is recent.
 * (core.telegram.org/bots/webapps, "Validating data received via the Mini App".)
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How old a Mini App's initData may be when it asks for a session. */
export const INIT_DATA_MAX_AGE_S = 3600;

export type InitDataResult = { ok: true; telegramId: number; authDate: number } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** The data-check-string and hash of an initData string (undefined when a field repeats or hash is missing). */
function parse(initData: string): { check: string; hash: string; fields: Map<string, string> } | undefined {
  if (initData.length > 8192) return undefined;
  const fields = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(initData)) {
    if (fields.has(k)) return undefined;
    fields.set(k, v);
  }
  const hash = fields.get('hash');
  if (!hash || !/^[0-9a-f]{64}$/.test(hash)) return undefined;
  const check = [...fields]
    .filter(([k]) => k !== 'hash')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  return { check, hash, fields };
}

const secretOf = (botToken: string) => createHmac('sha256', 'WebAppData').update(botToken).digest();

/** Signs a data-check-string as Telegram does (tests build initData with it). */
export function signInitData(fields: Record<string, string>, botToken: string): string {
  const params = new URLSearchParams(fields);
  const check = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('\n');
  params.set('hash', createHmac('sha256', secretOf(botToken)).update(check).digest('hex'));
  return params.toString();
}

/** Checks initData's signature and age; the Telegram user id it vouches for. */
export function verifyInitData(initData: string, botToken: string, nowMs: number, maxAgeS = INIT_DATA_MAX_AGE_S): InitDataResult {
  const p = parse(initData);
  if (!p) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', secretOf(botToken)).update(p.check).digest();
  if (!timingSafeEqual(expected, Buffer.from(p.hash, 'hex'))) return { ok: false, reason: 'bad_signature' };
  const authDate = Number(p.fields.get('auth_date'));
  if (!Number.isSafeInteger(authDate)) return { ok: false, reason: 'malformed' };
  const age = nowMs / 1000 - authDate;
  // a little clock skew is allowed; a date from the future beyond that is not
  if (age > maxAgeS || age < -60) return { ok: false, reason: 'expired' };
  let id: unknown;
  try {
    id = (JSON.parse(p.fields.get('user') ?? 'null') as { id?: unknown } | null)?.id;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? { ok: true, telegramId: id, authDate } : { ok: false, reason: 'malformed' };
}

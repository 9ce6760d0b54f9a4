/**
 * The server secret (APP_SECRET) and the keys derived from it: invite hashes, the card chain and (later) web sessions
 * are HMACs under keys that are not in the database, so a copy of the database neither hands out access nor lets
 * anyone rewrite the cards' history undetected.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';

export interface AppKeys {
  invite: Buffer;
  chain: Buffer;
  session: Buffer;
  /** a short public fingerprint of the secret, stored in the database to notice a wrong or lost secret */
  id: string;
}

const keysByDb = new WeakMap<object, AppKeys>();

/** Where the generated secret lives when APP_SECRET is unset: beside the database, owner-only. */
export function secretFileOf(databasePath: string): string {
  return `${databasePath}.secret`;
}

/** Separate keys per purpose, so one use can never be replayed as another. */
export function deriveKeys(secret: string): AppKeys {
  const k = (purpose: string) => createHmac('sha256', secret).update(`bangfu:${purpose}`).digest();
  return { invite: k('invite'), chain: k('card-chain'), session: k('web-session'), id: k('key-id').toString('hex').slice(0, 16) };
}

export type SecretSource = { secret: string; generated: boolean; file?: string };

/**
 * APP_SECRET when set; else the file beside the database, created (0600, exclusively) on first use.
 * In-memory databases get a fresh random secret.
 */
export function resolveSecret(databasePath: string, configured: string | undefined): SecretSource {
  if (configured) return { secret: configured, generated: false };
  if (databasePath === ':memory:') return { secret: randomBytes(32).toString('hex'), generated: true };
  const file = secretFileOf(databasePath);
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), generated: false, file };
  return { secret: randomBytes(32).toString('hex'), generated: true, file };
}

/** Writes a generated secret; 'wx' fails rather than overwrite one another process just wrote. */
export function writeSecretFile(file: string, secret: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, `${secret}\n`);
  } finally {
    closeSync(fd);
  }
}

export function registerKeys(db: object, keys: AppKeys): void {
  keysByDb.set(db, keys);
}

/** The keys of an open database (openDb registers them); a missing entry is a bug, not an input problem. */
export function keysOf(db: object): AppKeys {
  const k = keysByDb.get(db);
  if (!k) throw new Error('no keys registered for this database (open it with openDb)');
  return k;
}

export function hmacHex(key: Buffer, ...parts: (string | number | null)[]): string {
  return createHmac('sha256', key).update(JSON.stringify(parts)).digest('hex');
}

/** Constant-time comparison of two hex strings of equal length. */
export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/**
 * Small per-person state in the `kv` table (dialogs' saved progress, the focused card, a trainer's question file
 * awaiting publication): one JSON value per key. Reads run on every message, so the statements are prepared once.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { kv } from './schema.js';
import { prepared } from './prepared.js';

export function readKv<T>(db: Db, key: string): T | undefined {
  const q = prepared(db, 'kv.read', () => db.select({ value: kv.value }).from(kv).where(eq(kv.key, sql.placeholder('k'))).prepare());
  const row = q.get({ k: key });
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export function writeKv(db: Db, key: string, value: unknown, now: number): void {
  const json = JSON.stringify(value);
  db.insert(kv).values({ key, value: json, updatedAt: now }).onConflictDoUpdate({ target: kv.key, set: { value: json, updatedAt: now } }).run();
  remember(db, key, json);
}

/** Deletes the key; true when it was there. */
export function deleteKv(db: Db, key: string): boolean {
  const gone = db.delete(kv).where(eq(kv.key, key)).run().changes > 0;
  remember(db, key, null);
  return gone;
}

/**
 * Per database connection, the keys `readKvRemembered` has seen, as their JSON text (null: absent), kept up to date
 * by every write and delete above; bots sharing a connection share what is remembered. A commit by any other
 * connection (a second terminal chat on the same file, a tool) forgets them all: SQLite's `data_version` tells.
 */
const remembered = new WeakMap<Db, { dataVersion: number; keys: Map<string, string | null> }>();
/** How many keys are remembered per connection before starting again (about one per chat that wrote to the bot). */
const REMEMBERED_KEYS = 20_000;

/** Keeps a remembered key in step with a write (keys never read through `readKvRemembered` are not kept). */
function remember(db: Db, key: string, json: string | null): void {
  const known = remembered.get(db)?.keys;
  if (known?.has(key)) known.set(key, json);
}

/**
 * `readKv` for a key looked up on every update and almost always absent (a chat's saved dialog): read from the
 * table once per process, then from memory. Parsed on each read, so a caller mutating what it got changes nothing.
 */
export function readKvRemembered<T>(db: Db, key: string): T | undefined {
  const json = rememberedJson(db, key);
  return json === null ? undefined : (JSON.parse(json) as T);
}

function rememberedJson(db: Db, key: string): string | null {
  // changes only with other connections' commits, not this one's (those are followed by `remember`)
  const dataVersion = prepared(db, 'kv.dataVersion', () => db.$client.prepare('PRAGMA data_version').pluck()).get() as number;
  let r = remembered.get(db);
  if (r?.dataVersion !== dataVersion) remembered.set(db, (r = { dataVersion, keys: new Map() }));
  const known = r.keys;
  let json = known.get(key);
  if (json === undefined) {
    const q = prepared(db, 'kv.read', () => db.select({ value: kv.value }).from(kv).where(eq(kv.key, sql.placeholder('k'))).prepare());
    json = q.get({ k: key })?.value ?? null;
    if (known.size >= REMEMBERED_KEYS) known.clear();
    known.set(key, json);
  }
  return json;
}

/**
 * Key-value access for a plugin that keeps its own JSON state (the dialogs' saved progress, read on every update to
 * see whether a dialog is under way: remembered, see `readKvRemembered`).
 */
export function kvStore<T>(db: Db, now: () => number): { read(key: string): T | undefined; write(key: string, value: T): void; delete(key: string): void } {
  return {
    read: (key) => readKvRemembered<T>(db, key),
    write: (key, value) => writeKv(db, key, value, now()),
    delete: (key) => void deleteKv(db, key),
  };
}


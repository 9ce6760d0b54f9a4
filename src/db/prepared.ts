import type { Db } from './client.js';

/**
 * Statements on the per-update hot path are prepared once per database and reused: building and preparing
 * SQL on every call cost more than running it (see `npm run bench`).
 */
const caches = new WeakMap<Db, Map<string, unknown>>();

export function prepared<T>(db: Db, key: string, build: () => T): T {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let p = cache.get(key) as T | undefined;
  if (p === undefined) {
    p = build();
    cache.set(key, p);
  }
  return p;
}

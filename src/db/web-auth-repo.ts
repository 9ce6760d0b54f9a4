/**
 * Sign-in links and sessions of the web dashboard. Tokens are random (32 bytes, base64url) and only their HMAC under
 * the server's session key is stored: neither a database copy nor a log holds anything that signs someone in.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import { inTransaction, type Db } from './client.js';
import { hmacHex, keysOf } from './keys.js';
import { webLinks, webSessions } from './schema.js';

const newToken = (): string => randomBytes(32).toString('base64url');
const hashOf = (db: Db, purpose: string, token: string) => hmacHex(keysOf(db).session, purpose, token);

/** A new one-time link token for a person; their older unused links stop working (only the newest one counts). */
export function createWebLink(db: Db, personId: number, now: number, ttlMs: number): { token: string; expiresAt: number } {
  const token = newToken();
  inTransaction(db, () => {
    db.update(webLinks).set({ usedAt: now }).where(and(eq(webLinks.personId, personId), isNull(webLinks.usedAt))).run();
    db.insert(webLinks).values({ tokenHash: hashOf(db, 'link', token), personId, createdAt: now, expiresAt: now + ttlMs }).run();
  });
  return { token, expiresAt: now + ttlMs };
}

/** Uses a link once: the person it was made for, or why not. The update is the check, so two uses race safely. */
export function useWebLink(db: Db, token: string, now: number): { ok: true; personId: number } | { ok: false; reason: 'unknown' | 'used' | 'expired' } {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, reason: 'unknown' };
  const h = hashOf(db, 'link', token);
  const row = db.select().from(webLinks).where(eq(webLinks.tokenHash, h)).get();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.usedAt !== null) return { ok: false, reason: 'used' };
  if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
  const claimed = db.update(webLinks).set({ usedAt: now }).where(and(eq(webLinks.tokenHash, h), isNull(webLinks.usedAt))).run().changes === 1;
  return claimed ? { ok: true, personId: row.personId } : { ok: false, reason: 'used' };
}

export interface WebSessionRow {
  personId: number;
  via: string;
  locale: string | null;
  expiresAt: number;
}

export function createWebSession(db: Db, personId: number, via: 'link' | 'miniapp', locale: string | null, now: number, ttlMs: number): { token: string; expiresAt: number } {
  const token = newToken();
  // housekeeping: ended and expired sessions are of no use to anyone
  db.delete(webSessions).where(or(lt(webSessions.expiresAt, now), lt(webSessions.endedAt, now))).run();
  db.insert(webSessions).values({ tokenHash: hashOf(db, 'session', token), personId, via, locale, createdAt: now, expiresAt: now + ttlMs }).run();
  return { token, expiresAt: now + ttlMs };
}

/** The live session behind a cookie's token (not ended, not expired). */
export function webSession(db: Db, token: string, now: number): WebSessionRow | undefined {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  return db
    .select({ personId: webSessions.personId, via: webSessions.via, locale: webSessions.locale, expiresAt: webSessions.expiresAt })
    .from(webSessions)
    .where(and(eq(webSessions.tokenHash, hashOf(db, 'session', token)), isNull(webSessions.endedAt), gt(webSessions.expiresAt, now)))
    .get();
}

export function setWebSessionLocale(db: Db, token: string, locale: string): void {
  db.update(webSessions).set({ locale }).where(eq(webSessions.tokenHash, hashOf(db, 'session', token))).run();
}

export function endWebSession(db: Db, token: string, now: number): void {
  db.update(webSessions).set({ endedAt: now }).where(eq(webSessions.tokenHash, hashOf(db, 'session', token))).run();
}

/** The CSRF token of a session: derived, not stored; a page's forms carry it and every POST must send it back. */
export function csrfTokenOf(db: Db, sessionToken: string): string {
  return hmacHex(keysOf(db).session, 'csrf', sessionToken);
}

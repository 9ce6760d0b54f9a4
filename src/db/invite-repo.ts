import { randomInt } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { inTransaction, type Db } from './client.js';
import { invites, people } from './schema.js';
import { audit } from './people-repo.js';
import { hmacHex, keysOf } from './keys.js';

/** Unambiguous alphabet (no 0/O, 1/I/L): codes are read aloud and typed on phones. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * HMAC under the server secret, not a bare hash: ten characters of this alphabet (~50 bits) could be found again
 * from a copied database by trying them all; without the secret they cannot.
 */
const hash = (db: Db, code: string) => hmacHex(keysOf(db).invite, code.trim().toUpperCase());

export type InvitePurpose = 'bind' | 'rebind';

/**
 * Creates a one-time code for a person and voids their older unused ones (only the newest code works);
 * only the code's keyed hash is stored. A `rebind` code may move a person already bound to a new account.
 */
export function createInvite(
  db: Db,
  personId: number,
  now: number,
  opts: { ttlMs?: number; purpose?: InvitePurpose } = {},
): { code: string; expiresAt: number; voided: number } {
  let code = '';
  for (let i = 0; i < 10; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  const expiresAt = now + (opts.ttlMs ?? INVITE_TTL_MS);
  return inTransaction(db, () => {
    const voided = revokeInvites(db, personId, now);
    db.insert(invites).values({ codeHash: hash(db, code), personId, createdAt: now, expiresAt, purpose: opts.purpose ?? 'bind' }).run();
    return { code, expiresAt, voided };
  });
}

export type RedeemResult =
  | { ok: true; personId: number; rebound: boolean }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'revoked' | 'already_bound' }
  /** the code's person is bound to another Telegram account and the code is no `rebind`: admins are told */
  | { ok: false; reason: 'person_bound'; personId: number };

/**
 * Binds a Telegram account to the invite's person, once. A code that is unknown, used, expired or
 * revoked, or whose person is revoked, binds nothing; nor does a plain code for a person bound elsewhere
 * (an old invite must never move an account: only a `rebind` code does).
 */
export function redeemInvite(db: Db, code: string, telegramId: number, now: number): RedeemResult {
  if (!/^[A-Za-z0-9]{4,32}$/.test(code.trim())) return { ok: false, reason: 'unknown' };
  const codeHash = hash(db, code);
  return inTransaction(db, (): RedeemResult => {
    const inv = db.select().from(invites).where(eq(invites.codeHash, codeHash)).get();
    if (!inv) return { ok: false, reason: 'unknown' };
    if (inv.revokedAt !== null) return { ok: false, reason: 'revoked' };
    if (inv.usedAt !== null) return { ok: false, reason: 'used' };
    if (inv.expiresAt <= now) return { ok: false, reason: 'expired' };
    const person = db.select().from(people).where(eq(people.id, inv.personId)).get();
    if (!person || person.revokedAt !== null) return { ok: false, reason: 'revoked' };
    const other = db.select().from(people).where(eq(people.telegramId, telegramId)).get();
    if (other && other.id !== person.id && other.revokedAt === null) return { ok: false, reason: 'already_bound' };
    const rebound = person.telegramId !== null && person.telegramId !== telegramId;
    if (rebound && inv.purpose !== 'rebind') return { ok: false, reason: 'person_bound', personId: person.id };
    if (other && other.id !== person.id) db.update(people).set({ telegramId: null }).where(eq(people.id, other.id)).run();
    db.update(people).set({ telegramId }).where(eq(people.id, person.id)).run();
    db.update(invites).set({ usedAt: now, usedByTelegramId: telegramId }).where(eq(invites.id, inv.id)).run();
    audit(db, now, rebound ? 'invite_rebound' : 'invite_redeemed', { personId: person.id, telegramId }, rebound ? `from ${person.telegramId}` : undefined);
    return { ok: true, personId: person.id, rebound };
  });
}

/** Voids every unused invite of a person. */
export function revokeInvites(db: Db, personId: number, now: number): number {
  return db
    .update(invites)
    .set({ revokedAt: now })
    .where(and(eq(invites.personId, personId), isNull(invites.usedAt), isNull(invites.revokedAt)))
    .run().changes;
}

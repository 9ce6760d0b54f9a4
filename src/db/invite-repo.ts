import { createHash, randomInt } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { inTransaction, type Db } from './client.js';
import { invites, people } from './schema.js';
import { audit } from './people-repo.js';

/** Unambiguous alphabet (no 0/O, 1/I/L): codes are read aloud and typed on phones. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

const hash = (code: string) => createHash('sha256').update(code.trim().toUpperCase()).digest('hex');

/** Creates a one-time code for a person; only its hash is stored. */
export function createInvite(db: Db, personId: number, now: number, ttlMs = INVITE_TTL_MS): { code: string; expiresAt: number } {
  let code = '';
  for (let i = 0; i < 10; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  const expiresAt = now + ttlMs;
  db.insert(invites).values({ codeHash: hash(code), personId, createdAt: now, expiresAt }).run();
  return { code, expiresAt };
}

export type RedeemResult =
  | { ok: true; personId: number }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'revoked' | 'already_bound' };

/**
 * Binds a Telegram account to the invite's person, once. A code that is unknown, used, expired or
 * revoked, or whose person is revoked, binds nothing.
 */
export function redeemInvite(db: Db, code: string, telegramId: number, now: number): RedeemResult {
  if (!/^[A-Za-z0-9]{4,32}$/.test(code.trim())) return { ok: false, reason: 'unknown' };
  return inTransaction(db, (): RedeemResult => {
    const inv = db.select().from(invites).where(eq(invites.codeHash, hash(code))).get();
    if (!inv) return { ok: false, reason: 'unknown' };
    if (inv.revokedAt !== null) return { ok: false, reason: 'revoked' };
    if (inv.usedAt !== null) return { ok: false, reason: 'used' };
    if (inv.expiresAt <= now) return { ok: false, reason: 'expired' };
    const person = db.select().from(people).where(eq(people.id, inv.personId)).get();
    if (!person || person.revokedAt !== null) return { ok: false, reason: 'revoked' };
    const other = db.select().from(people).where(eq(people.telegramId, telegramId)).get();
    if (other && other.id !== person.id && other.revokedAt === null) return { ok: false, reason: 'already_bound' };
    if (other && other.id !== person.id) db.update(people).set({ telegramId: null }).where(eq(people.id, other.id)).run();
    db.update(people).set({ telegramId }).where(eq(people.id, person.id)).run();
    db.update(invites).set({ usedAt: now, usedByTelegramId: telegramId }).where(eq(invites.id, inv.id)).run();
    audit(db, now, 'invite_redeemed', { personId: person.id, telegramId });
    return { ok: true, personId: person.id };
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

/**
 * Signing in with an invite code, whatever the channel: wrong codes are limited per account (in memory, no row per
 * attempt); a plain code for a person bound elsewhere is refused and the admins are told (through the notifier), who
 * may issue a `rebind` code. The person's language is the one they started with until they choose another.
 */
import { WindowLimiter } from '../core/rate-limit.js';
import type { Locale } from '../core/text.js';
import type { Db } from '../db/client.js';
import { redeemInvite } from '../db/invite-repo.js';
import { adminContacts, audit, personById, setLocale } from '../db/people-repo.js';
import { ok, refuse, type NotifyingDeps, type Result } from './deps.js';
import { msg, ViewBuilder } from './views.js';

/** Wrong codes an account may try per window before every attempt is refused until the window ends. */
const INVITE_ATTEMPTS = 5;
const INVITE_WINDOW_MS = 15 * 60 * 1000;

const limiters = new WeakMap<Db, WindowLimiter<number>>();
function limiterFor(db: Db): WindowLimiter<number> {
  let l = limiters.get(db);
  if (!l) limiters.set(db, (l = new WindowLimiter<number>(INVITE_ATTEMPTS, INVITE_WINDOW_MS)));
  return l;
}

export type SignInRefusal = 'unknown' | 'used' | 'expired' | 'revoked' | 'already_bound' | 'person_bound' | 'throttled';

/**
 * An invite code as people type it on a phone: full-width letters of a Chinese keyboard made plain (NFKC), spaces
 * and dashes dropped, at most 64 characters (codes are far shorter).
 */
function typedInviteCode(typed: string): string {
  return typed.normalize('NFKC').replace(/[\s-]+/g, '').slice(0, 64);
}

/**
 * Binds the account at `address` (the channel's id of the person: a Telegram user id) to the invite's person.
 */
export async function signIn(
  deps: NotifyingDeps,
  input: { code: string; address: number; locale: Locale },
): Promise<Result<{ personId: number }, SignInRefusal>> {
  const { db } = deps;
  const now = deps.now();
  const limiter = limiterFor(db);
  if (limiter.blocked(input.address, now)) return refuse('throttled');
  const r = redeemInvite(db, typedInviteCode(input.code), input.address, now);
  if (r.ok) {
    setLocale(db, r.personId, input.locale);
    return ok({ personId: r.personId });
  }
  const { first } = limiter.hit(input.address, now);
  // one audit row when an account runs out of tries, not one per wrong code (a flood would fill the log)
  if (first) audit(db, now, 'invite_throttled', { telegramId: input.address }, `${INVITE_ATTEMPTS} wrong codes`);
  if (r.reason === 'person_bound') {
    audit(db, now, 'invite_person_bound', { personId: r.personId, telegramId: input.address });
    const p = personById(db, r.personId)!;
    const view = new ViewBuilder().line(msg('security.admin_person_bound', { code: p.code, name: p.name, telegramId: input.address })).build();
    for (const a of adminContacts(db)) {
      const sent = await deps.notifier.send({ personId: a.personId, address: a.telegramId, locale: a.locale }, view);
      if (sent.status !== 'sent') deps.log.warn({ adminId: a.personId, status: sent.status }, 'could not tell an admin');
    }
  }
  return refuse(r.reason);
}

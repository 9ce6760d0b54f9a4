/**
 * Redeeming an invite, whatever the channel: wrong codes are limited per account (in memory, no row per attempt),
 * a plain code for a person bound elsewhere is refused and the admins are told, who may issue a `rebind` code.
 */
import { WindowLimiter } from '../core/rate-limit.js';
import type { MessageRef } from '../core/text.js';
import type { Db } from '../db/client.js';
import { redeemInvite, type RedeemResult } from '../db/invite-repo.js';
import { adminContacts, audit, personById } from '../db/people-repo.js';

/** Wrong codes an account may try per window before every attempt is refused until the window ends. */
export const INVITE_ATTEMPTS = 5;
export const INVITE_WINDOW_MS = 15 * 60 * 1000;

const limiters = new WeakMap<Db, WindowLimiter<number>>();
function limiterFor(db: Db): WindowLimiter<number> {
  let l = limiters.get(db);
  if (!l) limiters.set(db, (l = new WindowLimiter<number>(INVITE_ATTEMPTS, INVITE_WINDOW_MS)));
  return l;
}

/** A message for one admin, in their language (the channel renders the key). */
export interface Notice {
  telegramId: number;
  locale: string | null;
  message: MessageRef;
}

export type RedeemOutcome = (RedeemResult | { ok: false; reason: 'throttled' }) & { notices?: Notice[] };

export function redeem(deps: { db: Db; now: () => number }, input: { code: string; telegramId: number }): RedeemOutcome {
  const { db } = deps;
  const now = deps.now();
  const limiter = limiterFor(db);
  if (limiter.blocked(input.telegramId, now)) return { ok: false, reason: 'throttled' };
  const r = redeemInvite(db, input.code, input.telegramId, now);
  if (r.ok) return r;
  const { first } = limiter.hit(input.telegramId, now);
  // one audit row when an account runs out of tries, not one per wrong code (a flood would fill the log)
  if (first) audit(db, now, 'invite_throttled', { telegramId: input.telegramId }, `${INVITE_ATTEMPTS} wrong codes`);
  if (r.reason === 'person_bound') {
    audit(db, now, 'invite_person_bound', { personId: r.personId, telegramId: input.telegramId });
    const p = personById(db, r.personId)!;
    const notices = adminContacts(db).map((a) => ({
      telegramId: a.telegramId,
      locale: a.locale,
      message: { key: 'security.admin_person_bound' as const, params: { code: p.code, name: p.name, telegramId: input.telegramId } },
    }));
    return { ...r, notices };
  }
  return r;
}

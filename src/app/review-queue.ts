/**
 * The review queue: a supervisor's newest cards in their scope, newest first, each with what is open on it (flags,
 * fields sent back), so they can open a card and send one field back (src/app/review.ts). Chat reaches a card from
 * a flag or a household; the web lists them.
 */
import type { Actor } from '../core/people/roles.js';
import { newestCards, type QueuedCardRow } from '../db/review-queue-repo.js';
import { ok, type AppDeps, type Result } from './deps.js';
import { supervisorOf } from './scope.js';

/** Cards listed at most (a working day's worth for a town). */
export const REVIEW_QUEUE_SIZE = 50;

export function reviewQueue(deps: AppDeps, actor: Actor | undefined): Result<QueuedCardRow[], 'role'> {
  const sup = supervisorOf(actor);
  if (!sup.ok) return sup;
  return ok(newestCards(deps.db, sup.value.scope, REVIEW_QUEUE_SIZE));
}

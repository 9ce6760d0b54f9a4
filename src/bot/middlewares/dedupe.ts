import type { NextFunction } from 'grammy';
import { isProcessed, markProcessed } from '../../db/updates-repo.js';
import type { BotContext } from '../context.js';

/**
 * Telegram may deliver an update again (after a restart, a dropped connection). An update handled to the end
 * is recorded and skipped the second time; one interrupted mid-way runs again, and handlers are idempotent
 * against their own committed state (the step check of the card, the delivery row of a push).
 */
export async function dedupe(ctx: BotContext, next: NextFunction): Promise<void> {
  const id = ctx.update.update_id;
  if (isProcessed(ctx.deps.db, id)) {
    ctx.deps.log.debug({ updateId: id }, 'duplicate update skipped');
    return;
  }
  await next();
  // A card answer records its update in its own commit: a read then, not a second write transaction (with its fsync).
  if (!ctx.processedMarked && !isProcessed(ctx.deps.db, id)) markProcessed(ctx.deps.db, id, ctx.deps.now());
}

import type { NextFunction } from 'grammy';
import { arrivalOf } from '../../db/arrival-repo.js';
import { isProcessed, markProcessed } from '../../db/updates-repo.js';
import { expectWrite } from '../../db/durable.js';
import type { BotContext } from '../context.js';
import { dialogKey } from '../conversations/setup.js';
import { takeActor } from './identify.js';

/**
 * What every update needs before its handler, read in one statement: whether it was handled already, who sent it,
 * and whether their chat has a dialog saved (see `ctx.dialogSaved`).
 *
 * Telegram may deliver an update again (after a restart, a dropped connection). An update handled to the end
 * is recorded and skipped the second time; one interrupted mid-way runs again, and handlers are idempotent
 * against their own committed state (the step check of the card, the delivery row of a push).
 */
export async function arrival(ctx: BotContext, next: NextFunction): Promise<void> {
  const { db, log, now } = ctx.deps;
  expectWrite(db);
  const id = ctx.update.update_id;
  const chat = ctx.chat;
  const a = arrivalOf(db, id, ctx.from?.id, chat?.type === 'private' ? dialogKey(chat.id) : undefined);
  if (a.seen) {
    log.debug({ updateId: id }, 'duplicate update skipped');
    return;
  }
  takeActor(ctx, a.actor);
  ctx.dialogSaved = a.dialogSaved;
  await next();
  // A card answer records its update in its own commit: a read then, not a second write transaction (with its fsync).
  if (!ctx.processedMarked && !isProcessed(db, id)) markProcessed(db, id, now());
}

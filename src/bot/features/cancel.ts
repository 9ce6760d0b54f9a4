import { Composer } from 'grammy';
import { clearFocus } from '../../db/focus-repo.js';
import type { BotContext } from '../context.js';

export const cancelFeature = new Composer<BotContext>();

/**
 * `/cancel` leaves any open dialog and pauses the card being filled: typed text no longer goes to it, its draft stays
 * (drafts are never deleted by a command; the card's own "discard" does that, after asking).
 */
cancelFeature.command('cancel', async (ctx, next) => {
  const dialogs = Object.keys(ctx.conversation.active()).length > 0;
  if (!ctx.actor && !dialogs) return next(); // a stranger with nothing open: the stranger gate answers
  await ctx.conversation.exitAll();
  const paused = ctx.actor ? clearFocus(ctx.deps.db, ctx.actor.personId) : false;
  await ctx.reply(ctx.t(dialogs || paused ? 'cancel.done' : 'cancel.nothing'));
});

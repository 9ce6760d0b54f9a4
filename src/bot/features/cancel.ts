import { Composer } from 'grammy';
import { clearFocus } from '../../db/focus-repo.js';
import type { BotContext } from '../context.js';

export const cancelFeature = new Composer<BotContext>();

/** Hand-made dialogs not yet on the conversations plugin register here (goes when the last one moves). */
export const cancelHooks: ((ctx: BotContext) => boolean | Promise<boolean>)[] = [];

/**
 * `/cancel` leaves any open dialog and pauses the card being filled: typed text no longer goes to it, its draft stays
 * (drafts are never deleted by a command; the card's own "discard" does that, after asking).
 */
cancelFeature.command('cancel', async (ctx, next) => {
  const dialogs = Object.keys(ctx.conversation.active()).length > 0;
  if (!ctx.actor && !dialogs) return next(); // a stranger with nothing open: the stranger gate answers
  await ctx.conversation.exitAll();
  let paused = ctx.actor ? clearFocus(ctx.deps.db, ctx.actor.personId) : false;
  for (const hook of cancelHooks) paused = (await hook(ctx)) || paused;
  await ctx.reply(ctx.t(dialogs || paused ? 'cancel.done' : 'cancel.nothing'));
});

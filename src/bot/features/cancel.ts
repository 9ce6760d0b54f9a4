import { Composer } from 'grammy';
import type { BotContext } from '../context.js';

export const cancelFeature = new Composer<BotContext>();

/** Hooks that leave a dialog; each returns true when it had something open. Card drafts are never deleted. */
export const cancelHooks: ((ctx: BotContext) => boolean | Promise<boolean>)[] = [];

/** `/cancel` leaves any open dialog and pauses the card being filled (its draft stays). */
cancelFeature.command('cancel', async (ctx, next) => {
  let any = Object.keys(ctx.conversation.active()).length > 0;
  if (!ctx.actor && !any) return next(); // a stranger with nothing open: the stranger gate answers
  await ctx.conversation.exitAll();
  for (const hook of cancelHooks) any = (await hook(ctx)) || any;
  await ctx.reply(ctx.t(any ? 'cancel.done' : 'cancel.nothing'));
});

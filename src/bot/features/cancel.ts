import { Composer } from 'grammy';
import type { BotContext } from '../context.js';

export const cancelFeature = new Composer<BotContext>();

/** Hooks that leave a dialog; each returns true when it had something open. Card drafts are never deleted. */
export const cancelHooks: ((ctx: BotContext) => boolean | Promise<boolean>)[] = [];

cancelFeature.command('cancel', async (ctx) => {
  let any = false;
  for (const hook of cancelHooks) any = (await hook(ctx)) || any;
  await ctx.reply(ctx.t(any ? 'cancel.done' : 'cancel.nothing'));
});

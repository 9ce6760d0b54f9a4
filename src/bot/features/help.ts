import { Composer } from 'grammy';
import { helpView, menuView } from '../../app/menu.js';
import type { BotContext } from '../context.js';
import { onAction } from '../actions.js';
import { sendViews } from '../render/send.js';

export const helpFeature = new Composer<BotContext>();

/** What this person's roles can do, then the menu. */
async function help(ctx: BotContext): Promise<void> {
  if (ctx.actor) await sendViews(ctx, [helpView(ctx.actor), menuView(ctx.actor)]);
}

helpFeature.command('help', help);
helpFeature.use(onAction('menu', async (ctx, [item], next) => {
  if (item !== 'help') return next();
  await ctx.answerCallbackQuery();
  await help(ctx);
}));

import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { mainMenu } from '../keyboards/menu.js';
import { availableItems } from '../available.js';

export const menuFeature = new Composer<BotContext>();

/** Shows the role-aware main menu. */
export async function showMenu(ctx: BotContext): Promise<void> {
  if (!ctx.actor) return;
  await ctx.reply(ctx.t('menu.title', { name: ctx.actor.name }), {
    reply_markup: mainMenu(ctx.actor, ctx.t, availableItems),
  });
}

menuFeature.command('menu', showMenu);

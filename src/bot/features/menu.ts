import { Composer } from 'grammy';
import { menuView } from '../../app/menu.js';
import type { BotContext, ChatContext } from '../context.js';
import { sendViews } from '../render/send.js';

export const menuFeature = new Composer<BotContext>();

/** Shows the role-aware main menu. */
export async function showMenu(ctx: ChatContext): Promise<void> {
  if (ctx.actor) await sendViews(ctx, [menuView(ctx.actor)]);
}

menuFeature.command('menu', showMenu);

import { Composer } from 'grammy';
import { hasRole, supervisorScope } from '../../core/people/roles.js';
import type { BotContext } from '../context.js';
import { showMenu } from './menu.js';

export const helpFeature = new Composer<BotContext>();

/** What this user's roles can do. */
async function help(ctx: BotContext): Promise<void> {
  const actor = ctx.actor!;
  const parts = [ctx.t('help.intro')];
  if (hasRole(actor, 'helper')) parts.push(ctx.t('help.helper'));
  if (hasRole(actor, 'trainer')) parts.push(ctx.t('help.trainer'));
  const scope = supervisorScope(actor);
  if (hasRole(actor, 'supervisor')) parts.push(ctx.t('help.supervisor', { scope: ctx.t(`scope.${scope?.kind ?? 'unit'}`) }));
  if (hasRole(actor, 'admin')) parts.push(ctx.t('help.admin'));
  if (actor.roles.length === 0) parts.push(ctx.t('help.none'));
  parts.push(ctx.t('help.common'));
  await ctx.reply(parts.join('\n\n'));
  await showMenu(ctx);
}

helpFeature.command('help', help);
helpFeature.callbackQuery('m:help', async (ctx) => {
  await ctx.answerCallbackQuery();
  await help(ctx);
});

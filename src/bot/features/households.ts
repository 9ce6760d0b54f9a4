/** `/households`: my households with visits X of target this year, pace and open flags (src/app/households.ts). */
import { Composer } from 'grammy';
import { myHouseholds } from '../../app/households.js';
import { encodeAction } from '../actions.js';
import type { BotContext } from '../context.js';
import { ack, replyView } from '../render/send.js';

export const householdsFeature = new Composer<BotContext>();

async function listHouseholds(ctx: BotContext): Promise<void> {
  await ack(ctx);
  const r = myHouseholds(ctx.deps, ctx.actor);
  // a refusal as a message, as before: the menu's button was already answered
  if (!r.ok) return void (await ctx.reply(ctx.t('refuse.role')));
  await replyView(ctx, r.value.view);
}

householdsFeature.command('households', listHouseholds);
householdsFeature.callbackQuery(encodeAction('menu', ['households']), listHouseholds);

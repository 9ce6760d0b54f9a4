import { Composer } from 'grammy';
import { redeemInvite } from '../../db/invite-repo.js';
import { actorByTelegramId, audit, setLocale } from '../../db/people-repo.js';
import type { BotContext } from '../context.js';
import { showMenu } from './menu.js';
import { setChatCommands } from '../commands.js';

export const startFeature = new Composer<BotContext>();

/** `/start <code>` binds this account; `/start` alone shows the menu (or a refusal to strangers). */
startFeature.command('start', async (ctx) => {
  const code = (ctx.match ?? '').trim();
  const { db, log, now } = ctx.deps;
  if (ctx.actor && !code) return showMenu(ctx);
  if (ctx.actor && code) {
    await ctx.reply(ctx.t('start.already', { name: ctx.actor.name }));
    return showMenu(ctx);
  }
  if (!code) return void (await ctx.reply(ctx.t('start.stranger')));
  const result = redeemInvite(db, code, ctx.from!.id, now());
  if (!result.ok) {
    log.info({ updateId: ctx.update.update_id, telegramId: ctx.from!.id, reason: result.reason }, 'invite refused');
    audit(db, now(), 'invite_refused', { telegramId: ctx.from!.id }, result.reason);
    return void (await ctx.reply(ctx.t(`start.invite_${result.reason}`)));
  }
  setLocale(db, result.personId, ctx.locale);
  ctx.actor = actorByTelegramId(db, ctx.from!.id);
  await ctx.reply(ctx.t('start.bound', { name: ctx.actor!.name }));
  await setChatCommands(ctx);
  await showMenu(ctx);
});

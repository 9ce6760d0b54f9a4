import { Composer } from 'grammy';
import { redeem } from '../../app/onboarding.js';
import { actorByTelegramId, setLocale } from '../../db/people-repo.js';
import type { Locale } from '../../core/text.js';
import type { BotContext } from '../context.js';
import { showMenu } from './menu.js';
import { setChatCommands } from '../commands.js';

export const startFeature = new Composer<BotContext>();

/** `/start <code>` binds this account; `/start` alone shows the menu (or a refusal to strangers). */
startFeature.command('start', async (ctx) => {
  const code = (ctx.match ?? '').trim();
  const { db, log, i18n } = ctx.deps;
  if (ctx.actor && !code) return showMenu(ctx);
  if (ctx.actor && code) {
    await ctx.reply(ctx.t('start.already', { name: ctx.actor.name }));
    return showMenu(ctx);
  }
  if (!code) return void (await ctx.reply(ctx.t('start.stranger')));
  const result = redeem(ctx.deps, { code, telegramId: ctx.from!.id });
  if (!result.ok) {
    log.info({ updateId: ctx.update.update_id, telegramId: ctx.from!.id, reason: result.reason }, 'invite refused');
    for (const n of result.notices ?? []) {
      const locale: Locale = n.locale === 'en' ? 'en' : n.locale === 'zh-CN' ? 'zh-CN' : ctx.deps.config.defaultLocale;
      await ctx.api
        .sendMessage(n.telegramId, i18n.forLocale(locale)(n.message.key, n.message.params))
        .catch((err: unknown) => log.warn({ telegramId: n.telegramId, err: String(err) }, 'could not tell an admin'));
    }
    return void (await ctx.reply(ctx.t(`start.invite_${result.reason}`)));
  }
  setLocale(db, result.personId, ctx.locale);
  ctx.actor = actorByTelegramId(db, ctx.from!.id);
  await ctx.reply(ctx.t('start.bound', { name: ctx.actor!.name }));
  await setChatCommands(ctx);
  await showMenu(ctx);
});

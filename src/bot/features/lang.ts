import { Composer } from 'grammy';
import { languageView } from '../../app/menu.js';
import { isLocale } from '../../core/text.js';
import { setLocale } from '../../db/people-repo.js';
import type { BotContext } from '../context.js';
import { setChatCommands } from '../commands.js';
import { onAction } from '../actions.js';
import { sendViews } from '../render/send.js';

export const langFeature = new Composer<BotContext>();

const chooseLanguage = (ctx: BotContext) => sendViews(ctx, [languageView()]);

langFeature.command('lang', chooseLanguage);
langFeature.use(onAction('menu', async (ctx, [item], next) => {
  if (item !== 'lang') return next();
  await ctx.answerCallbackQuery();
  await chooseLanguage(ctx);
}));
langFeature.use(onAction('lang', async (ctx, [locale]) => {
  if (!isLocale(locale) || !ctx.actor) return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.stale') }));
  setLocale(ctx.deps.db, ctx.actor.personId, locale);
  ctx.locale = locale;
  ctx.t = ctx.deps.i18n.forLocale(locale);
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t('lang.set'));
  await setChatCommands(ctx);
}));

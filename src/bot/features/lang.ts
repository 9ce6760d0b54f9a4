import { Composer, InlineKeyboard } from 'grammy';
import { setLocale } from '../../db/people-repo.js';
import type { BotContext } from '../context.js';
import { setChatCommands } from '../commands.js';
import { parseCb } from '../callback-data.js';
import { LOCALES } from '../../i18n.js';
import type { Locale } from '../../core/text.js';

export const langFeature = new Composer<BotContext>();

async function chooseLanguage(ctx: BotContext): Promise<void> {
  const kb = new InlineKeyboard().text('中文', 'l:zh-CN').text('English', 'l:en');
  await ctx.reply(ctx.t('lang.choose'), { reply_markup: kb });
}

langFeature.command('lang', chooseLanguage);
langFeature.callbackQuery('m:lang', async (ctx) => {
  await ctx.answerCallbackQuery();
  await chooseLanguage(ctx);
});
langFeature.callbackQuery(/^l:/, async (ctx) => {
  const [locale] = parseCb(ctx.callbackQuery.data, 'l', 1) ?? [];
  if (!LOCALES.includes(locale as Locale)) return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.stale') }));
  setLocale(ctx.deps.db, ctx.actor!.personId, locale);
  ctx.locale = locale as Locale;
  ctx.t = ctx.deps.i18n.forLocale(ctx.locale);
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t('lang.set'));
  await setChatCommands(ctx);
});

import { Composer } from 'grammy';
import type { BotContext } from '../context.js';

/** Last in line: anything no feature took gets a short hint, and stale buttons are answered. */
export const unhandledFeature = new Composer<BotContext>();

unhandledFeature.on('callback_query', async (ctx) => {
  await ctx.answerCallbackQuery({ text: ctx.t('refuse.stale'), show_alert: true });
});
unhandledFeature.on('message:text', async (ctx) => {
  await ctx.reply(ctx.t('unhandled.text'));
});
unhandledFeature.on('message', async (ctx) => {
  if (ctx.chat.type !== 'private') return;
  await ctx.reply(ctx.t('unhandled.media'));
});

import type { NextFunction } from 'grammy';
import { maskPersonalNumbers } from '../../core/people/privacy.js';
import type { BotContext } from '../context.js';

/**
 * The one error boundary: a bug in any handler is logged with the update id (and no personal data)
 * and the user is told, in their language, that nothing they entered was lost. The bot keeps running.
 */
export async function errorBoundary(ctx: BotContext, next: NextFunction): Promise<void> {
  try {
    await next();
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    ctx.deps.log.error(
      { updateId: ctx.update.update_id, err: maskPersonalNumbers(e.stack ?? e.message) },
      'handler failed',
    );
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
      if (ctx.chat) await ctx.api.sendMessage(ctx.chat.id, ctx.deps.i18n.forLocale(ctx.locale ?? ctx.deps.config.defaultLocale)('errors.generic'));
    } catch (replyErr) {
      ctx.deps.log.warn({ updateId: ctx.update.update_id, err: String(replyErr) }, 'could not report the error to the user');
    }
  }
}

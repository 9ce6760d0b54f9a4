import type { NextFunction } from 'grammy';
import type { BotContext } from '../context.js';

/**
 * Telegram takes one answer per button press; a second answerCallbackQuery fails with 400 and would turn a
 * refusal into an error. The first answer goes to Telegram; a later one with a text is sent as a message instead,
 * so the user still reads it, and one without a text is dropped.
 */
export function answerOnce(ctx: BotContext, next: NextFunction): Promise<void> {
  // a message passes straight on (not through an async function of its own: one promise less per update)
  return ctx.callbackQuery ? answeringOnce(ctx, next) : next();
}

async function answeringOnce(ctx: BotContext, next: NextFunction): Promise<void> {
  const first = ctx.answerCallbackQuery.bind(ctx);
  let answered = false;
  ctx.answerCallbackQuery = (async (other?: Parameters<typeof first>[0], signal?: Parameters<typeof first>[1]) => {
    if (!answered) {
      answered = true;
      try {
        return await first(other, signal);
      } catch (err) {
        answered = false; // not delivered: a later answer (the error boundary's) may still go out
        throw err;
      }
    }
    const text = typeof other === 'string' ? other : other?.text;
    if (text && ctx.chat) await ctx.reply(text);
    return true;
  }) as typeof ctx.answerCallbackQuery;
  await next();
}

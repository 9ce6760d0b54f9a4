import type { NextFunction } from 'grammy';
import { actorByTelegramId } from '../../db/people-repo.js';
import type { Locale } from '../../core/text.js';
import type { BotContext } from '../context.js';

/** Loads the person behind the update (if any) and their language: their own choice, else Telegram's. */
export async function identify(ctx: BotContext, next: NextFunction): Promise<void> {
  const { db, i18n } = ctx.deps;
  const from = ctx.from;
  const actor = from ? actorByTelegramId(db, from.id) : undefined;
  ctx.actor = actor;
  const stored = actor?.locale;
  ctx.locale = stored === 'zh-CN' || stored === 'en' ? (stored as Locale) : i18n.fromLanguageCode(from?.language_code);
  ctx.t = i18n.forLocale(ctx.locale);
  await next();
}

/**
 * Strangers (no invite redeemed, or revoked) get a polite refusal and nothing else; only `/start <code>`
 * and the language buttons pass. Every refusal is logged with the Telegram id only.
 */
export async function strangerGate(ctx: BotContext, next: NextFunction): Promise<void> {
  if (ctx.actor) return next();
  const text = ctx.message?.text ?? '';
  if (/^\/start(@\w+)?(\s|$)/.test(text)) return next();
  if (!ctx.from || ctx.chat?.type !== 'private') return; // groups and channels: stay silent
  ctx.deps.log.info({ updateId: ctx.update.update_id, telegramId: ctx.from.id }, 'stranger refused');
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('refuse.stranger'), show_alert: true });
  else await ctx.reply(ctx.t('refuse.stranger'));
}

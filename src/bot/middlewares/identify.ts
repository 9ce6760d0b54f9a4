import type { NextFunction } from 'grammy';
import { actorByTelegramId, type ActorRow } from '../../db/people-repo.js';
import type { Locale } from '../../core/text.js';
import type { ChatContext } from '../context.js';
import type { Translate } from '../../i18n.js';

/** Loads the person behind the update (if any) and their language (inside dialogs; outside, `arrival` does it). */
export async function identify(ctx: ChatContext, next: NextFunction): Promise<void> {
  const from = ctx.from;
  takeActor(ctx, from ? actorByTelegramId(ctx.deps.db, from.id) : undefined);
  await next();
}

/** The person behind the update becomes the context's actor, with their language: their own choice, else Telegram's. */
export function takeActor(ctx: ChatContext, actor: ActorRow | undefined): void {
  const { i18n } = ctx.deps;
  ctx.actor = actor;
  const stored = actor?.locale;
  ctx.locale = stored === 'zh-CN' || stored === 'en' ? (stored as Locale) : i18n.fromLanguageCode(ctx.from?.language_code);
  ctx.t = loggingRefusals(ctx, i18n.forLocale(ctx.locale));
}

const REFUSALS = new Set(['refuse.role', 'refuse.not_yours', 'refuse.stale']);

/**
 * Every refusal a handler words (wrong role, not yours, an old or forged button) is logged once per update, with
 * ids only: the person, the Telegram account, the command or the button's prefix, never names or numbers typed.
 */
function loggingRefusals(ctx: ChatContext, t: Translate): Translate {
  let logged = false;
  return (key, params) => {
    if (!logged && REFUSALS.has(key)) {
      logged = true;
      const text = ctx.message?.text;
      ctx.deps.log.info(
        {
          updateId: ctx.update.update_id,
          personId: ctx.actor?.personId,
          telegramId: ctx.from?.id,
          reason: key.slice('refuse.'.length),
          button: ctx.callbackQuery?.data?.split(':')[0].slice(0, 8),
          command: text?.startsWith('/') ? text.split(/[\s@]/)[0].slice(0, 32) : undefined,
        },
        'refused',
      );
    }
    return t(key, params);
  };
}

/**
 * Strangers (no invite redeemed, or revoked) get a polite refusal and nothing else; only `/start <code>`
 * and the language buttons pass. Every refusal is logged with the Telegram id only.
 */
export async function strangerGate(ctx: ChatContext, next: NextFunction): Promise<void> {
  if (ctx.actor) return next();
  const text = ctx.message?.text ?? '';
  if (/^\/start(@\w+)?(\s|$)/.test(text)) return next();
  if (!ctx.from || ctx.chat?.type !== 'private') return; // groups and channels: stay silent
  ctx.deps.log.info({ updateId: ctx.update.update_id, telegramId: ctx.from.id }, 'stranger refused');
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('refuse.stranger'), show_alert: true });
  else await ctx.reply(ctx.t('refuse.stranger'));
}

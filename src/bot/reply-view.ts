/**
 * Use-case answers as Telegram replies: a view as one or more messages, and a refusal as the button's alert (or a
 * message when the person typed). Every refusal a use case can give maps to one translation here.
 */
import type { Notifier } from '../app/notifier.js';
import type { ChatView } from '../app/views.js';
import type { I18nKey } from '../core/i18n-keys.js';
import type { ChatContext } from './context.js';
import { telegramNotifier } from './notifier.js';
import { renderView } from './render/view.js';

/** Sends a view to the chat the update came from. */
export async function replyView(ctx: ChatContext, view: ChatView): Promise<void> {
  for (const m of renderView(view, ctx.t, ctx.locale)) await ctx.reply(m.text, m.keyboard ? { reply_markup: m.keyboard } : {});
}

const REFUSALS = {
  role: 'refuse.role',
  not_yours: 'refuse.not_yours',
  stale: 'refuse.stale',
} as const satisfies Record<string, I18nKey>;

export type Refusal = keyof typeof REFUSALS;

/** Tells the person why not: an alert on a button press, else a message. */
export async function refuseWith(ctx: ChatContext, reason: Refusal | I18nKey): Promise<void> {
  const text = ctx.t(reason in REFUSALS ? REFUSALS[reason as Refusal] : (reason as I18nKey));
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
  else await ctx.reply(text);
}

/** Acknowledges a button press (nothing for a typed message). */
export async function ack(ctx: ChatContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
}

/** The notifier port over this bot's Api (to reach someone other than the person in this chat). */
export function chatNotifier(ctx: ChatContext): Notifier {
  return telegramNotifier(ctx.api, ctx.deps.i18n, ctx.deps.config.defaultLocale, ctx.deps.log);
}

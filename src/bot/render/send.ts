/** Sending views to the chat an update came from: rendered in the person's language, edited in place where asked. */
import { GrammyError, InlineKeyboard } from 'grammy';
import type { ChatView, Piece } from '../../app/views.js';
import type { I18nKey } from '../../core/i18n-keys.js';
import type { ChatContext } from '../context.js';
import { inlineKeyboard, renderPiece, renderView } from './view.js';

export interface SendOptions {
  /** put the first view into the pressed button's message instead of sending it (ticks, page turns) */
  edit?: boolean;
  /** the reply keyboard (location request) goes away with the first message */
  clearControls?: boolean;
}

/** A piece in the person's language. */
export const say = (ctx: ChatContext, p: Piece): string => renderPiece(p, ctx.t, ctx.locale);

export async function sendViews(ctx: ChatContext, views: ChatView[], opts: SendOptions = {}): Promise<void> {
  for (const [i, view] of views.entries()) {
    const messages = renderView(view, ctx.t, ctx.locale);
    if (i === 0 && opts.edit && messages.length === 1 && (await editPressed(ctx, messages[0]))) continue;
    for (const [j, m] of messages.entries()) {
      const markup = m.keyboard ?? (i === 0 && j === 0 && opts.clearControls ? { remove_keyboard: true as const } : undefined);
      await ctx.reply(m.text, markup ? { reply_markup: markup } : {});
    }
  }
}

/** Edits the message whose button was pressed; false when that cannot be done (then a new message is sent). */
async function editPressed(ctx: ChatContext, m: { text: string; keyboard?: unknown }): Promise<boolean> {
  const msg = ctx.callbackQuery?.message;
  if (!msg || (m.keyboard !== undefined && !(m.keyboard instanceof InlineKeyboard))) return false;
  try {
    await ctx.api.editMessageText(msg.chat.id, msg.message_id, m.text, { reply_markup: m.keyboard as InlineKeyboard | undefined });
    return true;
  } catch (err) {
    // the same view again (a double tap) needs nothing; an old message that can no longer be edited gets a new one
    return err instanceof GrammyError && /not modified/.test(err.description);
  }
}

/** A refusal or short notice: on the pressed button when there is one, else as a message. */
export async function notice(ctx: ChatContext, p: Piece): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: say(ctx, p), show_alert: true });
  else await ctx.reply(say(ctx, p));
}

/** One view to the chat the update came from. */
export const replyView = (ctx: ChatContext, view: ChatView): Promise<void> => sendViews(ctx, [view]);

const REFUSALS = {
  role: 'refuse.role',
  not_yours: 'refuse.not_yours',
  stale: 'refuse.stale',
} as const satisfies Record<string, I18nKey>;

export type Refusal = keyof typeof REFUSALS;

/** Tells the person why not (a use case's refusal, or any text key): an alert on a button press, else a message. */
export async function refuseWith(ctx: ChatContext, reason: Refusal | I18nKey): Promise<void> {
  const key = reason in REFUSALS ? REFUSALS[reason as Refusal] : (reason as I18nKey);
  await notice(ctx, { key });
}

/** Acknowledges a button press (nothing for a typed message). */
export async function ack(ctx: ChatContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
}

/** The pressed message becomes the view when it fits one message; otherwise (or when that fails) it is sent anew. */
export const editView = (ctx: ChatContext, view: ChatView): Promise<void> => sendViews(ctx, [view], { edit: true });

/** Redraws only the buttons of the pressed message. */
export async function editButtons(ctx: ChatContext, view: ChatView): Promise<void> {
  await ctx.editMessageReplyMarkup({ reply_markup: inlineKeyboard(view, ctx.t, ctx.locale) }).catch(() => undefined);
}

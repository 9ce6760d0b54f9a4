/** Sending a use case's view in a chat: as new messages, in place of the pressed message, or as a refusal. */
import type { ChatView, Piece } from '../../app/views.js';
import type { ChatContext } from '../context.js';
import { inlineKeyboard, renderPiece, renderView } from './view.js';

export async function replyView(ctx: ChatContext, view: ChatView): Promise<void> {
  for (const m of renderView(view, ctx.t, ctx.locale)) await ctx.reply(m.text, m.keyboard ? { reply_markup: m.keyboard } : {});
}

/** The pressed message becomes the view (when it fits one message); otherwise, or when editing fails, it is sent anew. */
export async function editView(ctx: ChatContext, view: ChatView): Promise<void> {
  const messages = renderView(view, ctx.t, ctx.locale);
  const [m] = messages;
  const edited =
    messages.length === 1 && !view.askLocation && ctx.callbackQuery?.message
      ? await ctx.editMessageText(m.text, { reply_markup: inlineKeyboard(view, ctx.t, ctx.locale) }).then(
          () => true,
          () => false,
        )
      : false;
  if (!edited) await replyView(ctx, view);
}

/** Redraws only the buttons of the pressed message. */
export async function editButtons(ctx: ChatContext, view: ChatView): Promise<void> {
  await ctx.editMessageReplyMarkup({ reply_markup: inlineKeyboard(view, ctx.t, ctx.locale) }).catch(() => undefined);
}

/** A refusal: an alert on the pressed button, or a reply to a message. */
export async function sayRefusal(ctx: ChatContext, piece: Piece): Promise<void> {
  const text = renderPiece(piece, ctx.t, ctx.locale);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
  else await ctx.reply(text);
}

/**
 * `/web`: a supervisor or trainer asks for the dashboard; they get a one-time sign-in link (src/app/web-access.ts),
 * and, where the dashboard is served over https, a button that opens it as a Telegram Mini App, which also becomes
 * the chat's menu button. The link is sent without a preview: Telegram's preview would fetch it.
 */
import { Composer, InlineKeyboard } from 'grammy';
import { webLinkFor } from '../../app/web-access.js';
import { viewText } from '../../app/views.js';
import { encodeAction } from '../actions.js';
import type { BotContext } from '../context.js';
import { ack, refuseWith } from '../render/send.js';

export const webFeature = new Composer<BotContext>();

async function sendLink(ctx: BotContext): Promise<void> {
  const r = webLinkFor(ctx.deps, ctx.actor);
  if (!r.ok) return refuseWith(ctx, r.reason === 'no_server' ? 'web.no_server' : r.reason);
  await ack(ctx);
  const { miniApp, view } = r.value;
  const keyboard = miniApp ? new InlineKeyboard().webApp(ctx.t('web.btn_open'), miniApp) : undefined;
  await ctx.reply(viewText(view, ctx.t, ctx.locale).join('\n\n'), {
    link_preview_options: { is_disabled: true },
    ...(keyboard ? { reply_markup: keyboard } : {}),
  });
  if (miniApp && ctx.chat) {
    await ctx.api
      .setChatMenuButton({ chat_id: ctx.chat.id, menu_button: { type: 'web_app', text: ctx.t('menu.web'), web_app: { url: miniApp } } })
      .catch((err: unknown) => ctx.deps.log.warn({ err: String(err) }, 'setChatMenuButton failed'));
  }
  ctx.deps.log.info({ personId: ctx.actor?.personId }, 'web sign-in link sent');
}

webFeature.command('web', sendLink);
webFeature.callbackQuery(encodeAction('menu', ['web']), sendLink);

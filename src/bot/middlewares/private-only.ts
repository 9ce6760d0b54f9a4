import type { MiddlewareFn } from 'grammy';
import { WindowLimiter } from '../../core/rate-limit.js';
import type { BotContext } from '../context.js';

/** At most one pointer line per group in this window, however much is said there. */
const GROUP_NOTICE_WINDOW_MS = 10 * 60 * 1000;

/**
 * Personal data never goes to a group or channel: there, the bot redeems no invite, runs no command and takes no
 * card answer. Anyone addressing it there gets at most one short line (rate-limited per group) pointing to the
 * private chat; when it is added to a group it says that line and leaves. Private chats pass untouched.
 */
export function privateOnly(): MiddlewareFn<BotContext> {
  const notices = new WindowLimiter<number>(1, GROUP_NOTICE_WINDOW_MS);
  // a private chat passes straight on (not through an async function: one promise less per update)
  return (ctx, next) => (ctx.chat?.type === 'private' ? next() : elsewhere(ctx, notices));
}

/** A group, a channel or no chat at all: one pointer line at most, nothing else. */
async function elsewhere(ctx: BotContext, notices: WindowLimiter<number>): Promise<void> {
  const chat = ctx.chat;
  const { log, now } = ctx.deps;
  if (ctx.callbackQuery) {
    // a button in a group (forwarded or forged): answered, nothing else
    await ctx.answerCallbackQuery({ text: ctx.t('group.use_private', { link: link(ctx) }), show_alert: true });
    return;
  }
  if (!chat) return; // inline queries and the like: the bot offers nothing there
  const member = ctx.myChatMember?.new_chat_member.status;
  const added = member === 'member' || member === 'administrator';
  const addressed = added || isAddressed(ctx);
  if (!addressed) return;
  log.info({ updateId: ctx.update.update_id, chatId: chat.id, chatType: chat.type, telegramId: ctx.from?.id }, 'group chat refused');
  if (chat.type !== 'channel' && !notices.blocked(chat.id, now())) {
    notices.hit(chat.id, now());
    await ctx.api.sendMessage(chat.id, ctx.t('group.use_private', { link: link(ctx) })).catch((err: unknown) => log.warn({ err: String(err) }, 'group notice failed'));
  }
  if (added) await ctx.api.leaveChat(chat.id).catch((err: unknown) => log.warn({ err: String(err) }, 'leaving a group failed'));
}

/** A command, a mention of the bot, or a reply to one of its messages. */
function isAddressed(ctx: BotContext): boolean {
  const msg = ctx.message ?? ctx.editedMessage;
  if (!msg) return false;
  const text = msg.text ?? msg.caption ?? '';
  if (/^\//.test(text)) return true;
  if (ctx.me?.username && text.includes(`@${ctx.me.username}`)) return true;
  return msg.reply_to_message?.from?.id === ctx.me?.id;
}

function link(ctx: BotContext): string {
  return `https://t.me/${ctx.me?.username ?? ''}`;
}

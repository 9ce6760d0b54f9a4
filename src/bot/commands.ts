/** Telegram's command lists: per person (role-aware, in their language) and the defaults strangers see. */
import type { Api } from 'grammy';
import { commandNames } from '../app/menu.js';
import type { Actor } from '../core/people/roles.js';
import type { Translate, Translator } from '../i18n.js';
import type { ChatContext } from './context.js';

const commandsFor = (actor: Actor | undefined, t: Translate) => commandNames(actor).map((command) => ({ command, description: t(`commands.${command}`) }));

/** This person's role-aware command list, in their language, scoped to their chat. */
export async function setChatCommands(ctx: ChatContext): Promise<void> {
  if (!ctx.chat) return;
  try {
    await ctx.api.setMyCommands(commandsFor(ctx.actor, ctx.t), { scope: { type: 'chat', chat_id: ctx.chat.id } });
  } catch (err) {
    ctx.deps.log.warn({ err: String(err) }, 'setMyCommands for a chat failed');
  }
}

/** Default command lists for strangers and new chats: Chinese by default, English for English clients. */
export async function setDefaultCommands(api: Api, i18n: Translator, defaultLocale: 'zh-CN' | 'en'): Promise<void> {
  await api.setMyCommands(commandsFor(undefined, i18n.forLocale(defaultLocale)));
  await api.setMyCommands(commandsFor(undefined, i18n.forLocale('zh-CN')), { language_code: 'zh' });
  await api.setMyCommands(commandsFor(undefined, i18n.forLocale('en')), { language_code: 'en' });
}

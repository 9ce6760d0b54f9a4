import type { BotContext } from './context.js';
import { commandsFor } from './keyboards/menu.js';
import { availableItems } from './available.js';
import type { Api } from 'grammy';
import type { Translator } from '../i18n.js';

/** This person's role-aware command list, in their language, scoped to their chat. */
export async function setChatCommands(ctx: BotContext): Promise<void> {
  if (!ctx.chat) return;
  try {
    await ctx.api.setMyCommands(commandsFor(ctx.actor, ctx.t, availableItems), {
      scope: { type: 'chat', chat_id: ctx.chat.id },
    });
  } catch (err) {
    ctx.deps.log.warn({ err: String(err) }, 'setMyCommands for a chat failed');
  }
}

/** Default command lists for strangers and new chats: Chinese by default, English for English clients. */
export async function setDefaultCommands(api: Api, i18n: Translator, defaultLocale: 'zh-CN' | 'en'): Promise<void> {
  await api.setMyCommands(commandsFor(undefined, i18n.forLocale(defaultLocale), availableItems));
  await api.setMyCommands(commandsFor(undefined, i18n.forLocale('zh-CN'), availableItems), { language_code: 'zh' });
  await api.setMyCommands(commandsFor(undefined, i18n.forLocale('en'), availableItems), { language_code: 'en' });
}

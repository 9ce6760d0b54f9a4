/**
 * Short dialogs (a correction's reason, a review comment, the push wizard …) run on @grammyjs/conversations, their
 * progress saved in the `kv` table after every step, so a restart mid-dialog continues where it stopped. The long
 * card does not: it has its own state machine (a conversation replays every earlier step on each update).
 *
 * A dialog's context objects are built by the plugin, not by our middleware: the plugins below give each the same
 * dependencies, person, language, and Bot API transformers (retry, throttle) as the outside context.
 */
import { conversations, type Conversation } from '@grammyjs/conversations';
import type { Composer, Transformer } from 'grammy';
import { kvStore } from '../../db/kv-repo.js';
import type { BotContext, ChatContext, ChatDeps } from '../context.js';
import { identify } from '../middlewares/identify.js';

/** The context inside a dialog: everything of a chat context but the dialog controls. */
export type DialogContext = ChatContext;
export type Dialog = Conversation<BotContext, DialogContext>;

/** Bump when a dialog changes so that saved progress no longer fits it: saved dialogs are then dropped. */
const DIALOG_STATE_VERSION = 1;
/** Saved dialog progress is under this prefix plus the chat id; the plugin deletes the key when no dialog is left. */
const DIALOG_KEY_PREFIX = 'dialog:';

/** The kv key of a private chat's saved dialog: set while a dialog is under way (or saved, maybe stale). */
export const dialogKey = (chatId: number): string => DIALOG_KEY_PREFIX + String(chatId);

export function installConversations(bot: Composer<BotContext>, deps: ChatDeps, transformers: Transformer[]): void {
  bot.use(
    conversations<BotContext, DialogContext>({
      storage: {
        type: 'key',
        version: DIALOG_STATE_VERSION,
        prefix: DIALOG_KEY_PREFIX,
        // private chats only (groups are turned away before): the chat is the person
        getStorageKey: (ctx) => (ctx.chat?.type === 'private' ? String(ctx.chat.id) : undefined),
        adapter: kvStore(deps.db, deps.now),
      },
      plugins: [
        async (ctx, next) => {
          for (const t of transformers) ctx.api.config.use(t);
          ctx.deps = deps;
          ctx.locale = deps.config.defaultLocale;
          ctx.t = deps.i18n.forLocale(deps.config.defaultLocale);
          await next();
        },
        identify,
      ],
    }),
  );
}

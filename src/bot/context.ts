import type { ConversationFlavor } from '@grammyjs/conversations';
import type { Context } from 'grammy';
import type { AppDeps } from '../app/deps.js';
import type { Notifier } from '../app/notifier.js';
import type { Actor } from '../core/people/roles.js';
import type { Locale } from '../core/text.js';
import type { Translate, Translator } from '../i18n.js';
import type { OffThreadReports } from '../app/stats/off-thread.js';

/** Everything a handler may use; built once by main.ts (or a test) and passed to createBot. */
export interface BotDeps extends AppDeps {
  i18n: Translator;
  /** `/stats` pages computed in a worker thread (the running bot); unset: on this thread */
  reports?: OffThreadReports;
}

/** What handlers get: the bot's dependencies and a notifier over the bot's own Api (built by createBot). */
export interface ChatDeps extends BotDeps {
  notifier: Notifier;
}

export interface BotFlavor {
  deps: ChatDeps;
  /** the registered, non-revoked person behind this update, if any */
  actor?: Actor;
  locale: Locale;
  t: Translate;
  /** the chat has a dialog saved (read on arrival): the dialogs come before the card */
  dialogSaved?: boolean;
  /** set when a handler already recorded this update as handled inside its own transaction */
  processedMarked?: boolean;
}

/** A chat update's context as our middleware prepares it (outside and inside dialogs). */
export type ChatContext = Context & BotFlavor;
/** The outside context also controls dialogs (enter, exit). */
export type BotContext = ConversationFlavor<ChatContext>;

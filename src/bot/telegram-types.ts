/** Telegram's update shapes for the other adapters that carry updates to the bot (the webhook path, the terminal chat). */
export type { InlineKeyboardMarkup, Message, Update, User } from 'grammy/types';

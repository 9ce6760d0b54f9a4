/**
 * How a dialog waits. A person in a dialog may do anything else at any time: a command, a menu button, a card's
 * button. Those leave the dialog and go on to the rest of the bot as if no dialog were open; only what the dialog
 * asked for stays in it. `/cancel` never reaches a dialog (it leaves every dialog before).
 */
import type { Filter } from 'grammy';
import type { I18nKey } from '../../core/i18n-keys.js';
import type { Dialog, DialogContext } from './setup.js';

/** A dialog may wait this long for an answer; after that the next message goes on to the bot as usual. */
export const DIALOG_WAIT_MS = 6 * 3600 * 1000;

export type TextContext = Filter<DialogContext, 'message:text'>;

/**
 * The next typed text (not a command). Anything else that is not a command or a button (a sticker, a photo) gets
 * `hint` and the dialog waits again.
 */
export async function nextText(dialog: Dialog, hint: I18nKey): Promise<TextContext> {
  for (;;) {
    const c = await dialog.wait({ maxMilliseconds: DIALOG_WAIT_MS });
    const text = c.message?.text;
    if (text !== undefined && !text.startsWith('/')) return c as TextContext;
    if (c.message && text === undefined) {
      await c.reply(c.t(hint));
      continue;
    }
    return dialog.halt({ next: true });
  }
}

export type ActionContext = Filter<DialogContext, 'callback_query:data'>;

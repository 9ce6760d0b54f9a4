/**
 * How the training dialogs wait: the next press of one of the given buttons or typed text; a file also leaves the dialog and goes on to
 * the bot, since a trainer may send the next question file at any step.
 */
import type { ActionOp } from '../../app/actions.js';
import type { I18nKey } from '../../core/i18n-keys.js';
import { decodeAction } from '../actions.js';
import type { Dialog } from './setup.js';
import { DIALOG_WAIT_MS, type ActionContext, type TextContext } from './wait.js';

export type Choice = { kind: 'action'; ctx: ActionContext; op: ActionOp; args: string[] } | { kind: 'text'; ctx: TextContext };

/**
 * The next press of one of `ops`' buttons, or typed text when `text` is true. A command, another button or a file
 * leaves the dialog (the update goes on as if no dialog were open); anything else gets `hint` and the dialog waits.
 */
export async function nextChoice(dialog: Dialog, ops: readonly ActionOp[], hint: I18nKey, text = false): Promise<Choice> {
  for (;;) {
    const c = await dialog.wait({ maxMilliseconds: DIALOG_WAIT_MS });
    const a = c.callbackQuery ? decodeAction(c.callbackQuery.data) : undefined;
    if (a && ops.includes(a.op)) return { kind: 'action', ctx: c as ActionContext, op: a.op, args: a.args };
    const typed = c.message?.text;
    const command = typed?.startsWith('/') ?? false;
    if (text && typed !== undefined && !command) return { kind: 'text', ctx: c as TextContext };
    if (c.message && !command && !c.message.document) {
      await c.reply(c.t(hint));
      continue;
    }
    return dialog.halt({ next: true });
  }
}

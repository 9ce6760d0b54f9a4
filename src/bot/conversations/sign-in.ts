/** `/start` without a code: the bot asks for it and tries each typed code until one works or the account is throttled. */
import { tryCode } from '../features/start.js';
import type { Dialog, DialogContext } from './setup.js';
import { nextText } from './wait.js';

export async function signInDialog(dialog: Dialog, ctx: DialogContext): Promise<void> {
  await ctx.reply(ctx.t('start.ask_code'));
  for (;;) {
    const typed = await nextText(dialog, 'start.code_hint');
    const refused = await dialog.external((outer) => tryCode(outer, typed.message.text));
    // signed in, or out of tries for now (the limiter says so until its window ends)
    if (refused === undefined || refused === 'throttled' || refused === 'already_bound' || refused === 'person_bound') return;
    await typed.reply(typed.t('start.try_again'));
  }
}

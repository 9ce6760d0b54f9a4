/** Every short dialog, installed after the conversations plugin (src/bot/conversations/setup.ts). */
import { createConversation } from '@grammyjs/conversations';
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { correctionReason } from './correction-reason.js';
import { flagNote } from './flag-note.js';
import { DIALOG } from './ids.js';
import { pushWizard } from './push-wizard.js';
import { quizImportConfirm } from './quiz-import.js';
import { rulesImport } from './rules-import.js';
import { reviewComment } from './review-comment.js';
import type { DialogContext } from './setup.js';
import { signInDialog } from './sign-in.js';
import { DIALOG_WAIT_MS } from './wait.js';

export function dialogs(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const options = (id: string) => ({ id, maxMillisecondsToWait: DIALOG_WAIT_MS });
  c.use(createConversation<BotContext, DialogContext>(correctionReason, options(DIALOG.correctionReason)));
  c.use(createConversation<BotContext, DialogContext>(signInDialog, options(DIALOG.signIn)));
  c.use(createConversation<BotContext, DialogContext>(flagNote, options(DIALOG.flagNote)));
  c.use(createConversation<BotContext, DialogContext>(reviewComment, options(DIALOG.reviewComment)));
  c.use(createConversation<BotContext, DialogContext>(pushWizard, options(DIALOG.pushWizard)));
  c.use(createConversation<BotContext, DialogContext>(quizImportConfirm, options(DIALOG.quizImport)));
  c.use(createConversation<BotContext, DialogContext>(rulesImport, options(DIALOG.rulesImport)));
  return c;
}

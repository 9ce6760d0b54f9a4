/** Every short dialog, installed after the conversations plugin (src/bot/conversations/setup.ts). */
import { createConversation } from '@grammyjs/conversations';
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { correctionReason } from './correction-reason.js';
import { DIALOG } from './ids.js';
import { pushWizard } from './push-wizard.js';
import { quizImportConfirm } from './quiz-import.js';
import type { DialogContext } from './setup.js';
import { DIALOG_WAIT_MS } from './wait.js';

export function dialogs(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.use(createConversation<BotContext, DialogContext>(correctionReason, { id: DIALOG.correctionReason, maxMillisecondsToWait: DIALOG_WAIT_MS }));
  c.use(createConversation<BotContext, DialogContext>(pushWizard, { id: DIALOG.pushWizard, maxMillisecondsToWait: DIALOG_WAIT_MS }));
  c.use(createConversation<BotContext, DialogContext>(quizImportConfirm, { id: DIALOG.quizImport, maxMillisecondsToWait: DIALOG_WAIT_MS }));
  return c;
}

/**
 * Publishing a trainer's question file: the preview is on screen with "publish" and "cancel"; the dialog waits for
 * one of them (a button of an older preview is stale). A restart keeps it waiting; /cancel, a command, another
 * button or a new file leaves it, and nothing is published.
 */
import { discardQuestions, publishQuestions } from '../../app/quiz/import.js';
import { refusalPiece } from '../../app/quiz/refusals.js';
import { replyView, notice } from '../render/send.js';
import { nextChoice } from './choice.js';
import type { Dialog, DialogContext } from './setup.js';

export async function quizImportConfirm(dialog: Dialog, _ctx: DialogContext, token: string): Promise<void> {
  for (;;) {
    const next = await nextChoice(dialog, ['quiz:import'], 'quizbot.import_use_buttons');
    if (next.kind !== 'action') continue;
    const c = next.ctx;
    const [pressed, what] = next.args;
    if (pressed !== token || (what !== 'ok' && what !== 'no')) {
      await notice(c, refusalPiece('stale'));
      continue;
    }
    const r = await dialog.external(() => (what === 'ok' ? publishQuestions(c.deps, c.actor, token) : discardQuestions(c.deps, c.actor, token)));
    if (!r.ok) {
      await notice(c, refusalPiece(r.reason));
      return;
    }
    await c.answerCallbackQuery();
    await c.editMessageReplyMarkup().catch(() => undefined);
    await replyView(c, r.value.view);
    return;
  }
}

/**
 * The trainer's push wizard as a dialog: the draft (src/app/quiz/push.ts) lives in the dialog's saved progress, so a
 * restart continues at the step on screen; /cancel, a command, another button or a file leaves it.
 */
import { advancePush, type PushInput } from '../../app/quiz/push.js';
import type { PushDraft } from '../../app/quiz/push-draft.js';
import { refusalPiece } from '../../app/quiz/refusals.js';
import { notifyPushQueued } from '../../jobs/push-queue.js';
import { replyView, notice } from '../render/send.js';
import { nextChoice } from './choice.js';
import type { Dialog, DialogContext } from './setup.js';

export async function pushWizard(dialog: Dialog, _ctx: DialogContext, start: PushDraft): Promise<void> {
  let draft = start;
  for (;;) {
    const next = await nextChoice(dialog, ['push:wizard'], 'push.use_buttons', draft.step === 'deadline');
    const c = next.ctx;
    const input: PushInput = next.kind === 'action' ? { run: next.args[0], what: next.args[1], value: next.args[2] } : { text: next.ctx.message.text };
    const at = draft;
    const r = await dialog.external(() => advancePush(c.deps, c.actor, at, input));
    if (!r.ok) {
      await notice(c, refusalPiece(r.reason));
      if (r.reason === 'role') return;
      continue;
    }
    if (next.kind === 'action') {
      await next.ctx.answerCallbackQuery();
      // the step is decided: its buttons go
      await next.ctx.editMessageReplyMarkup().catch(() => undefined);
    }
    await replyView(c, r.value.view);
    if (r.value.kind === 'step') {
      draft = r.value.draft;
      continue;
    }
    if (r.value.kind === 'queued') await dialog.external(() => notifyPushQueued());
    return;
  }
}

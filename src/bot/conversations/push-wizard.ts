/**
 * The trainer's push wizard as a dialog: the draft (src/app/quiz/push.ts) lives in the dialog's saved progress, so a
 * restart continues at the step on screen; /cancel, a command, another button or a file leaves it.
 */
import { advancePush } from '../../app/quiz/push.js';
import type { PushDraft } from '../../app/quiz/push-draft.js';
import { notifyPushQueued } from '../../jobs/push-queue.js';
import type { Dialog, DialogContext } from './setup.js';
import { runSteps } from './steps.js';

export async function pushWizard(dialog: Dialog, _ctx: DialogContext, start: PushDraft): Promise<void> {
  const done = await runSteps(dialog, start, {
    op: 'push:wizard',
    hint: 'push.use_buttons',
    takesText: (d) => d.step === 'deadline',
    advance: advancePush,
  });
  if (done?.kind === 'queued') await dialog.external(() => notifyPushQueued());
}

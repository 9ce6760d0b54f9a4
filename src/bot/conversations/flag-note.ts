/** "Mark handled": the supervisor's note (it stays in the archive); a note too short is asked for again. */
import { flagNoteQuestion, handleFlag } from '../../app/flags.js';
import { refuseWith, replyView } from '../render/send.js';
import type { Dialog, DialogContext } from './setup.js';
import { nextText } from './wait.js';

export async function flagNote(dialog: Dialog, ctx: DialogContext, flagId: number): Promise<void> {
  await replyView(ctx, flagNoteQuestion());
  for (;;) {
    const answer = await nextText(dialog, 'flags.note_hint');
    const r = await dialog.external(() => handleFlag(answer.deps, answer.actor, flagId, answer.message.text));
    if (r.ok) return replyView(answer, r.value.view);
    if (r.reason === 'note_short') {
      await answer.reply(answer.t('flags.note_short'));
      continue;
    }
    return refuseWith(answer, r.reason === 'not_open' ? 'flags.not_open' : r.reason);
  }
}

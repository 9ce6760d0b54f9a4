/** "Correct the last card": the reason first (it goes into the archive), then the correction opens at its summary. */
import { openCorrection } from '../../app/card/correct.js';
import { resumeDraft } from '../features/visit.js';
import type { Dialog, DialogContext } from './setup.js';
import { nextText } from './wait.js';

export async function correctionReason(dialog: Dialog, ctx: DialogContext, cardId: number, visitDate: string): Promise<void> {
  await ctx.reply(ctx.t('visit.ask_reason', { date: visitDate }));
  for (;;) {
    const answer = await nextText(dialog, 'visit.reason_hint');
    const r = await dialog.external(() => openCorrection(answer.deps, answer.actor, cardId, answer.message.text));
    if (r.ok) {
      await answer.reply(answer.t('visit.revision_opened'));
      // the card's own engine takes over from here, on the update being handled
      await dialog.external((outer) => resumeDraft(outer, r.value.draftId));
      return;
    }
    if (r.reason === 'not_yours') return void (await answer.reply(answer.t('refuse.not_yours')));
    await answer.reply(answer.t('visit.reason_too_short'));
  }
}

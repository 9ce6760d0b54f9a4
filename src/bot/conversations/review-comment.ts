/** A supervisor's comment on the answer they send back: recorded, and the helper told with a button to fix it. */
import { reviewQuestion, sendReview, type ReviewTarget } from '../../app/review.js';
import { refuseWith, replyView } from '../render/send.js';
import type { Dialog, DialogContext } from './setup.js';
import { nextText } from './wait.js';

export async function reviewComment(dialog: Dialog, ctx: DialogContext, target: ReviewTarget): Promise<void> {
  await replyView(ctx, reviewQuestion(target));
  for (;;) {
    const answer = await nextText(dialog, 'review.comment_hint');
    // the helper is reached through the current update's Api (a dialog's own is for this chat's replies)
    const r = await dialog.external((outer) => sendReview(answer.deps, outer.deps.notifier, answer.actor, target, answer.message.text));
    if (r.ok) return replyView(answer, r.value);
    if (r.reason !== 'empty') return refuseWith(answer, r.reason);
    await answer.reply(answer.t('review.comment_hint'));
  }
}

import { InlineKeyboard } from 'grammy';
import { localYear } from '../../core/time.js';
import { flagMessage } from '../../core/visits/risk-flags.js';
import { inPersonVisitDates } from '../../db/visits-repo.js';
import type { BotContext } from '../context.js';
import { closeReviewAndTell } from '../features/review.js';
import { receiptButton } from '../features/receipt.js';
import type { Session } from './session.js';
import type { SubmitOutcome } from './submit.js';

/**
 * What the helper reads after submitting: saved, the visit counted (or not), every flag the card raised, and the
 * 明白卡 button. A correction a supervisor asked for closes that review and tells the supervisor. A failure to tell
 * someone else is logged and never hides the helper's confirmation.
 */
export async function submitReply(ctx: BotContext, s: Session, r: Extract<SubmitOutcome, { ok: true }>): Promise<void> {
  const { db, now, config, content } = ctx.deps;
  const year = localYear(now(), config.timezone);
  const count = (inPersonVisitDates(db, [s.household.id], `${year}-01-01`, `${year + 1}-01-01`).get(s.household.id) ?? []).length;
  const lines = [
    ctx.t(r.revision > 1 ? 'card.revised' : 'card.submitted', { head: s.household.headName, revision: r.revision }),
    ctx.t(r.inPerson ? 'card.counted' : 'card.not_counted', { count, target: content.settings.visits.target }),
  ];
  if (r.flags.length) {
    lines.push('', ctx.t('card.flags_title'));
    for (const f of r.flags) {
      const m = flagMessage(f.code, f.params);
      lines.push(`🚩 ${ctx.t(m.key, m.params)}`);
    }
    lines.push(ctx.t('card.flags_seen_by'));
  }
  const receipt = receiptButton(ctx, r.cardId);
  await ctx.reply(lines.join('\n'), { reply_markup: new InlineKeyboard().text(receipt.text, receipt.data) });
  if (r.revision > 1) {
    try {
      await closeReviewAndTell(ctx, { draftId: s.draft.id, revision: r.revision });
    } catch (err) {
      ctx.deps.log.error({ updateId: ctx.update.update_id, err: String(err) }, 'telling the reviewer failed');
    }
  }
}

/** Helpers' visits: pick a household, its briefing, start / continue / correct its card, resume a paused card. */
import { Composer } from 'grammy';
import { correctionTarget } from '../../app/card/correct.js';
import { briefing, householdPicker, policyCheck, resumeCard, resumeChoice, startVisit } from '../../app/card/visit.js';
import { msg } from '../../app/views.js';
import { clearFocus } from '../../db/focus-repo.js';
import type { BotContext, ChatContext } from '../context.js';
import { onAction, positiveId } from '../actions.js';
import { DIALOG } from '../conversations/ids.js';
import { notice, sendViews } from '../render/send.js';

export const visitFeature = new Composer<BotContext>();

/** `/visit`: pick one of my households. */
async function pickHousehold(ctx: BotContext): Promise<void> {
  const r = householdPicker(ctx.deps, ctx.actor);
  if (!r.ok) return notice(ctx, msg(r.reason === 'not_helper' ? 'refuse.role' : 'households.empty'));
  await sendViews(ctx, [r.value]);
}

visitFeature.command('visit', pickHousehold);
visitFeature.use(onAction('menu', async (ctx, [item], next) => {
  if (item === 'visit') return answered(ctx, pickHousehold);
  if (item === 'resume') return answered(ctx, resume);
  return next();
}));

async function answered(ctx: BotContext & { callbackQuery: object }, f: (ctx: BotContext) => Promise<void>): Promise<void> {
  await ctx.answerCallbackQuery();
  await f(ctx);
}

/** A household picked: the pre-visit briefing with its actions. */
visitFeature.use(onAction('visit:household', async (ctx, [id]) => {
  const r = briefing(ctx.deps, ctx.actor, positiveId(id) ?? 0);
  if (!r.ok) return notice(ctx, msg(r.reason === 'not_helper' ? 'refuse.role' : 'refuse.not_yours'));
  await ctx.answerCallbackQuery();
  await sendViews(ctx, [r.value]);
}));

/** The three-question policy check before a visit: answered like any practice (src/bot/features/quiz.ts). */
visitFeature.use(onAction('visit:policies', async (ctx, [id]) => {
  const r = policyCheck(ctx.deps, ctx.actor, positiveId(id) ?? 0);
  if (!r.ok) return notice(ctx, msg(r.reason === 'not_helper' ? 'refuse.role' : 'refuse.not_yours'));
  await ctx.answerCallbackQuery();
  await sendViews(ctx, [r.value.view]);
}));

/** Start a new card for a household (one open card per household and helper). */
visitFeature.use(onAction('visit:start', async (ctx, [id]) => {
  const r = startVisit(ctx.deps, ctx.actor, positiveId(id) ?? 0);
  if (!r.ok) return notice(ctx, msg(r.reason === 'not_helper' ? 'refuse.role' : 'refuse.not_yours'));
  await ctx.answerCallbackQuery();
  await resumeDraft(ctx, r.value.draftId);
}));

/** Continue a given draft. */
visitFeature.use(onAction('visit:continue', async (ctx, [id]) => {
  await ctx.answerCallbackQuery();
  await resumeDraft(ctx, positiveId(id) ?? 0);
}));

/** Makes a draft the focused one and shows where it stopped. */
export async function resumeDraft(ctx: ChatContext, draftId: number): Promise<void> {
  const r = resumeCard(ctx.deps, ctx.actor, draftId);
  if (!r.ok) return void (await ctx.reply(ctx.t(r.reason === 'closed' ? 'card.closed' : 'refuse.not_yours')));
  await sendViews(ctx, [r.value]);
}

/** `/resume`: the only open card continues at once; several: pick one. */
async function resume(ctx: BotContext): Promise<void> {
  const r = resumeChoice(ctx.deps, ctx.actor);
  if (!r.ok) return notice(ctx, msg(r.reason === 'not_helper' ? 'refuse.role' : 'visit.nothing_to_resume'));
  if ('draftId' in r.value) return resumeDraft(ctx, r.value.draftId);
  await sendViews(ctx, [r.value.pick]);
}

visitFeature.command('resume', resume);

/** "Correct the last card": the reason is asked in a dialog; the correction is a new revision, history kept. */
visitFeature.use(onAction('visit:correct', async (ctx, [id]) => {
  const target = correctionTarget(ctx.deps, ctx.actor, positiveId(id) ?? 0);
  if (!target.ok) return notice(ctx, msg('refuse.not_yours'));
  await ctx.answerCallbackQuery();
  clearFocus(ctx.deps.db, ctx.actor!.personId);
  await ctx.conversation.exitAll();
  await ctx.conversation.enter(DIALOG.correctionReason, target.value.cardId, target.value.visitDate);
}));

/**
 * Review that reaches the helper (rules in src/app/review.ts): a supervisor picks a section, then an answer, and
 * writes the comment in a dialog; the helper's button reopens exactly that answer; the submitted correction tells
 * the supervisor.
 */
import { Composer } from 'grammy';
import { openReviewedField, reviewField, reviewFields, reviewSections } from '../../app/review.js';
import { onAction, positiveId } from '../actions.js';
import type { BotContext } from '../context.js';
import { DIALOG } from '../conversations/ids.js';
import { ack, refuseWith, replyView } from '../render/send.js';
import { resumeDraft } from './visit.js';

export const reviewFeature = new Composer<BotContext>();

/** A small number from a button (a revision, a section, an answer's place). */
const indexOf = (s: string | undefined): number => (s && /^\d{1,4}$/.test(s) ? Number(s) : -1);

reviewFeature.use(
  onAction('review:card', async (ctx, [card]) => {
    const r = reviewSections(ctx.deps, ctx.actor, positiveId(card) ?? 0);
    if (!r.ok) return refuseWith(ctx, r.reason);
    await ack(ctx);
    await replyView(ctx, r.value);
  }),
  onAction('review:section', async (ctx, [card, revision, section]) => {
    const r = reviewFields(ctx.deps, ctx.actor, positiveId(card) ?? 0, indexOf(revision), indexOf(section));
    if (!r.ok) return refuseWith(ctx, r.reason);
    await ack(ctx);
    await replyView(ctx, r.value);
  }),
  onAction('review:field', async (ctx, [card, revision, item]) => {
    const r = reviewField(ctx.deps, ctx.actor, positiveId(card) ?? 0, indexOf(revision), indexOf(item));
    if (!r.ok) return refuseWith(ctx, r.reason);
    await ack(ctx);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(DIALOG.reviewComment, r.value);
  }),
  /** The helper's button: the correction draft at the reviewed answer. */
  onAction('review:open', async (ctx, [review]) => {
    const r = openReviewedField(ctx.deps, ctx.actor, positiveId(review) ?? 0);
    if (!r.ok) return refuseWith(ctx, r.reason);
    await ack(ctx);
    if (r.value.kind === 'done') return replyView(ctx, r.value.view);
    if (r.value.kind === 'opened') await replyView(ctx, r.value.view);
    await resumeDraft(ctx, r.value.draftId);
  }),
);

/**
 * `/flags`: a supervisor's open risk flags, the card behind each, and "mark handled" with a note (a dialog). The
 * rules and views are in src/app/flags.ts and src/app/dossier-view.ts; this file only routes.
 */
import { Composer } from 'grammy';
import { dossierPage } from '../../app/dossier-view.js';
import { askFlagNote, flagDetail, openFlags } from '../../app/flags.js';
import { encodeAction, onAction, positiveId } from '../actions.js';
import type { BotContext } from '../context.js';
import { DIALOG } from '../conversations/ids.js';
import { ack, refuseWith, replyView } from '../render/send.js';

export const flagsFeature = new Composer<BotContext>();

async function showPage(ctx: BotContext, page: number): Promise<void> {
  const r = openFlags(ctx.deps, ctx.actor, page);
  if (!r.ok) return refuseWith(ctx, r.reason);
  await ack(ctx);
  await replyView(ctx, r.value.view);
}

flagsFeature.command('flags', (ctx) => showPage(ctx, 0));
flagsFeature.callbackQuery(encodeAction('menu', ['flags']), (ctx) => showPage(ctx, 0));

flagsFeature.use(
  onAction('flags:page', (ctx, [page]) => (/^\d{1,4}$/.test(page) ? showPage(ctx, Number(page)) : refuseWith(ctx, 'stale'))),
  onAction('flags:open', async (ctx, [id]) => {
    const r = flagDetail(ctx.deps, ctx.actor, positiveId(id) ?? 0);
    if (!r.ok) return refuseWith(ctx, r.reason);
    await ack(ctx);
    await replyView(ctx, r.value.view);
  }),
  onAction('flags:card', async (ctx, [id]) => {
    const r = dossierPage(ctx.deps, ctx.actor, positiveId(id) ?? 0);
    if (!r.ok) return refuseWith(ctx, r.reason);
    await ack(ctx);
    await replyView(ctx, r.value.view);
  }),
  onAction('flags:handle', async (ctx, [id]) => {
    const flagId = positiveId(id) ?? 0;
    const r = askFlagNote(ctx.deps, ctx.actor, flagId);
    if (!r.ok && r.reason !== 'not_open') return refuseWith(ctx, r.reason);
    await ack(ctx);
    if (!r.ok) return void (await ctx.reply(ctx.t('flags.not_open')));
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(DIALOG.flagNote, flagId);
  }),
);

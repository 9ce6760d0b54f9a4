/**
 * `/push` in Telegram: the trainer's menu, the results of a push, and the wizard's start (the wizard itself is a
 * dialog: src/bot/conversations/push-wizard.ts).
 */
import { randomBytes } from 'node:crypto';
import { Composer } from 'grammy';
import { pushMenu, pushResults, startPush } from '../../app/quiz/push.js';
import { refusalPiece } from '../../app/quiz/refusals.js';
import { encodeAction, onAction } from '../actions.js';
import type { BotContext, ChatContext } from '../context.js';
import { DIALOG } from '../conversations/ids.js';
import { replyView, notice } from '../render/send.js';

export const pushFeature = new Composer<BotContext>();

async function menu(ctx: ChatContext): Promise<void> {
  const r = pushMenu(ctx.deps, ctx.actor);
  if (!r.ok) return notice(ctx, refusalPiece(r.reason));
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  await replyView(ctx, r.value);
}

pushFeature.command('push', menu);
pushFeature.callbackQuery(encodeAction('menu', ['push']), menu);

pushFeature.use(
  onAction('push:new', async (ctx) => {
    // a fresh run token: buttons of an earlier run of the wizard name another run and change nothing
    const r = startPush(ctx.deps, ctx.actor, randomBytes(4).toString('hex'));
    if (!r.ok) return notice(ctx, refusalPiece(r.reason));
    await ctx.answerCallbackQuery();
    await replyView(ctx, r.value.view);
    await ctx.conversation.enter(DIALOG.pushWizard, r.value.draft);
  }),
);

pushFeature.use(
  onAction('push:results', async (ctx, [push]) => {
    const r = pushResults(ctx.deps, ctx.actor, push);
    if (!r.ok) return notice(ctx, refusalPiece(r.reason));
    await ctx.answerCallbackQuery();
    await replyView(ctx, r.value);
  }),
);

/**
 * The card on Telegram: card buttons, and text, locations, photos and other messages while a card is focused, go
 * to the card use case; its reply is rendered (one message per answer; ticks and page turns edit their own message).
 */
import { Composer } from 'grammy';
import { cardStep, DUPLICATE, NOT_A_CARD, type CardInput } from '../../app/card/step.js';
import { CARD_CODES, type CardCode } from '../../app/card/views.js';
import type { BotContext } from '../context.js';
import { decodeAction, positiveId, smallInt } from '../actions.js';
import { say, sendViews } from '../render/send.js';

export const cardInputFeature = new Composer<BotContext>();

/** A card button's arguments: `[code, draft, step, arg?]`, each checked; anything else is undefined. */
function cardButton(args: string[]): Extract<CardInput, { kind: 'button' }> | undefined {
  const [code, draft, step, arg] = args;
  const draftId = positiveId(draft);
  const at = smallInt(step);
  const n = arg === undefined ? undefined : smallInt(arg, 4);
  if (!CARD_CODES.includes(code as CardCode) || draftId === undefined || at === undefined || (arg !== undefined && n === undefined)) return undefined;
  return { kind: 'button', code: code as CardCode, draftId, step: at, arg: n };
}

/** Runs the use case and renders its reply; false when the input does not belong to a card. */
async function step(ctx: BotContext, input: CardInput): Promise<boolean> {
  // the arrival middleware found the update unrecorded just before: no second look
  const r = await cardStep(ctx.deps, ctx.actor, input, ctx.update.update_id, true);
  if (r === NOT_A_CARD) return false;
  if (r !== DUPLICATE) {
    if (r.recorded) ctx.processedMarked = true;
    if (r.alert) await ctx.answerCallbackQuery({ text: say(ctx, r.alert), show_alert: true });
    await sendViews(ctx, r.views, { edit: r.edit, clearControls: r.clearControls });
  }
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  return true;
}

cardInputFeature.on('callback_query:data', async (ctx, next) => {
  const a = decodeAction(ctx.callbackQuery.data);
  if (a?.op !== 'card') return next();
  const input = cardButton(a.args);
  if (!input) return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.stale'), show_alert: true }));
  await step(ctx, input);
});

/** The location question's reply-keyboard buttons arrive as their texts. */
function control(ctx: BotContext, text: string): CardInput | undefined {
  if (text === ctx.t('card.btn_back')) return { kind: 'control', code: 'b' };
  if (text === ctx.t('card.btn_skip')) return { kind: 'control', code: 's' };
  if (text === ctx.t('card.btn_pause')) return { kind: 'control', code: 'p' };
  return undefined;
}

cardInputFeature.on('message:text', async (ctx, next) => {
  // commands belong to the features after this one (/quiz, /stats …), not to the card
  if (ctx.message.text.startsWith('/')) return next();
  const text = ctx.message.text;
  if (!(await step(ctx, control(ctx, text.trim()) ?? { kind: 'text', text }))) return next();
});

cardInputFeature.on('message:location', async (ctx, next) => {
  const loc = ctx.message.location;
  if (!(await step(ctx, { kind: 'location', lat: loc.latitude, lon: loc.longitude, forwarded: !!ctx.message.forward_origin }))) return next();
});

cardInputFeature.on('message:photo', async (ctx, next) => {
  if (!(await step(ctx, { kind: 'photo', fileId: ctx.message.photo.at(-1)!.file_id }))) return next();
});

/** Stickers, documents, voice … inside a card: say what is expected and ask again. */
cardInputFeature.on('message', async (ctx, next) => {
  if (ctx.message.text !== undefined) return next();
  if (!(await step(ctx, { kind: 'unsupported' }))) return next();
});

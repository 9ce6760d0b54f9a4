/** 明白卡 as a PNG photo (the receipt's data and who may have it: src/app/receipt.ts). */
import { Composer, InputFile } from 'grammy';
import { householdReceipt, receiptAction } from '../../app/receipt.js';
import { RECEIPT_LABEL_KEYS, renderReceiptPng, type ReceiptLabels } from '../../reports/receipt.js';
import { actionData, onAction } from '../actions.js';
import { parseId } from '../callback-data.js';
import type { BotContext } from '../context.js';
import { renderPiece } from '../render/view.js';
import { ack, refuseWith } from '../reply-view.js';

export const receiptFeature = new Composer<BotContext>();

/**
 * The button on the message that confirms a submitted card. Kept for the card's submit reply until it offers
 * `receiptAction(cardId)` in its own view.
 */
export function receiptButton(ctx: BotContext, cardId: number): { text: string; data: string } {
  const a = receiptAction(cardId);
  return { text: renderPiece(a.label, ctx.t, ctx.locale), data: actionData(a) };
}

receiptFeature.use(
  onAction('receipt', async (ctx, [card]) => {
    const r = householdReceipt(ctx.deps, ctx.actor, parseId(card) ?? 0);
    if (!r.ok) return refuseWith(ctx, r.reason);
    await ack(ctx);
    const t = ctx.deps.i18n.forLocale(r.value.locale);
    const labels = Object.fromEntries(Object.entries(RECEIPT_LABEL_KEYS).map(([k, key]) => [k, t(key)])) as unknown as ReceiptLabels;
    const png = renderReceiptPng(r.value.data, labels);
    await ctx.replyWithPhoto(new InputFile(png, r.value.fileName), { caption: renderPiece(r.value.caption, ctx.t, ctx.locale) });
  }),
);

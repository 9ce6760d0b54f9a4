/** 明白卡 as a PNG photo (the receipt's data and who may have it: src/app/receipt.ts). */
import { Composer, InputFile } from 'grammy';
import { householdReceipt } from '../../app/receipt.js';
import { RECEIPT_LABEL_KEYS, renderReceiptPng, type ReceiptLabels } from '../../reports/receipt.js';
import { onAction, positiveId } from '../actions.js';
import type { BotContext } from '../context.js';
import { renderPiece } from '../render/view.js';
import { ack, refuseWith } from '../render/send.js';

export const receiptFeature = new Composer<BotContext>();

receiptFeature.use(
  onAction('receipt', async (ctx, [card]) => {
    const r = householdReceipt(ctx.deps, ctx.actor, positiveId(card) ?? 0);
    if (!r.ok) return refuseWith(ctx, r.reason);
    await ack(ctx);
    const t = ctx.deps.i18n.forLocale(r.value.locale);
    const labels = Object.fromEntries(Object.entries(RECEIPT_LABEL_KEYS).map(([k, key]) => [k, t(key)])) as unknown as ReceiptLabels;
    const png = renderReceiptPng(r.value.data, labels);
    await ctx.replyWithPhoto(new InputFile(png, r.value.fileName), { caption: renderPiece(r.value.caption, ctx.t, ctx.locale) });
  }),
);

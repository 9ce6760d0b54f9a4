import { Composer, InputFile } from 'grammy';
import type { Answers, FieldDef, RepeatItem } from '../../core/forms/index.js';
import { displayValue } from '../../core/forms/index.js';
import { pickText } from '../../core/text.js';
import { RECEIPT_LABEL_KEYS, renderReceiptPng, type ReceiptData, type ReceiptLabels } from '../../reports/receipt.js';
import { cardById } from '../../db/cards-repo.js';
import { helperHousehold } from '../../db/household-repo.js';
import { personById, unitName } from '../../db/people-repo.js';
import type { BotContext } from '../context.js';
import { cb, parseCb, parseId } from '../callback-data.js';

/**
 * 明白卡: after a submitted visit the helper can get a PNG receipt for the household: who helps it and how to reach
 * them (the helper's own phone, in full), the policies it enjoys with amounts, the measures agreed and their deadlines.
 */
export const receiptFeature = new Composer<BotContext>();


/** The receipt of a stored card, from its `policies` and `measures` items. */
export function receiptData(
  answers: Answers,
  fields: { policies?: FieldDef; measures?: FieldDef },
  household: { headName: string; address: string },
  helper: { name: string; unit: string; phone: string },
  visitDate: string,
): ReceiptData {
  const items = (id: string) => (Array.isArray(answers[id]) ? (answers[id] as RepeatItem[]) : []);
  const sub = (f: FieldDef | undefined, id: string) => f?.fields?.find((x) => x.id === id);
  const typeField = sub(fields.policies, 'policy_type');
  return {
    householdHead: household.headName,
    address: household.address,
    helper,
    visitDate,
    policies: items('policies').map((p) => ({
      name: typeField && p.policy_type !== undefined ? pickText(displayValue(typeField, p.policy_type), 'zh-CN') : String(p.policy_type ?? ''),
      detail: typeof p.detail === 'string' ? p.detail : undefined,
      amountYuan: typeof p.amount_yuan === 'number' ? p.amount_yuan : null,
    })),
    measures: items('measures').map((m) => ({
      content: String(m.content ?? ''),
      responsible: typeof m.responsible === 'string' ? m.responsible : undefined,
      deadline: String(m.due_date ?? ''),
    })),
  };
}

/** The button on the message that confirms a submitted card. */
export function receiptButton(ctx: BotContext, cardId: number): { text: string; data: string } {
  return { text: ctx.t('receipt.btn'), data: cb('rc', cardId) };
}

receiptFeature.callbackQuery(/^rc:/, async (ctx) => {
  const { db, content } = ctx.deps;
  const id = parseId(parseCb(ctx.callbackQuery.data, 'rc', 1)?.[0]);
  const card = id ? cardById(db, id) : undefined;
  // only a helper currently paired with the household gets its receipt
  const h = card && ctx.actor ? helperHousehold(db, ctx.actor.personId, card.householdId) : undefined;
  if (!card || !h) return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.not_yours'), show_alert: true }));
  await ctx.answerCallbackQuery();
  const me = personById(db, ctx.actor!.personId)!;
  const form = content.forms.get(card.formId) ?? content.card;
  const all = form.sections.flatMap((x) => x.fields);
  const answers = card.answers;
  const phone = me.phone ?? (typeof answers.helper_phone === 'string' ? answers.helper_phone : '');
  const data = receiptData(
    answers,
    { policies: all.find((f) => f.id === 'policies'), measures: all.find((f) => f.id === 'measures') },
    { headName: h.headName, address: `${h.townName} · ${h.villageName}` },
    { name: me.name, unit: unitName(db, me.unitId) ?? '', phone },
    card.visitDate,
  );
  // the card is for the household: always in Chinese, whatever the helper's own language
  const zh = ctx.deps.i18n.forLocale('zh-CN');
  const labels = Object.fromEntries(Object.entries(RECEIPT_LABEL_KEYS).map(([k, key]) => [k, zh(key)])) as unknown as ReceiptLabels;
  const png = renderReceiptPng(data, labels);
  await ctx.replyWithPhoto(new InputFile(png, `receipt-${h.code}.png`), { caption: ctx.t('receipt.caption', { code: h.code, head: h.headName }) });
});

/**
 * 明白卡: after a submitted visit the helper can get a receipt for the household: who helps it and how to reach them
 * (the helper's own phone, in full), the policies it enjoys with amounts, the measures agreed and their deadlines.
 * Only a helper currently paired with the household gets it. The card is for the household: always in Chinese.
 */
import { displayValue, type Answers, type FieldDef, type RepeatItem } from '../core/forms/index.js';
import type { Actor } from '../core/people/roles.js';
import { pickText, type Locale } from '../core/text.js';
import { cardById } from '../db/cards-repo.js';
import { helperHousehold } from '../db/household-repo.js';
import { personById, unitName } from '../db/people-repo.js';
import type { ReceiptData } from '../reports/receipt.js';
import { ok, refuse, type AppDeps, type Result } from './deps.js';
import { msg, type Action, type Piece } from './views.js';

/** The action that asks for a card's receipt (on the message that confirms a submitted card). */
export function receiptAction(cardId: number): Action {
  return { op: 'receipt', args: [cardId], label: msg('receipt.btn') };
}

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

export interface Receipt {
  data: ReceiptData;
  /** the language the receipt itself is drawn in */
  locale: Locale;
  fileName: string;
  caption: Piece;
}

export function householdReceipt(deps: AppDeps, actor: Actor | undefined, cardId: number): Result<Receipt, 'not_yours'> {
  const { db, content } = deps;
  const card = cardById(db, cardId);
  const h = card && actor ? helperHousehold(db, actor.personId, card.householdId) : undefined;
  const me = h && actor ? personById(db, actor.personId) : undefined;
  if (!card || !h || !me) return refuse('not_yours');
  const form = content.forms.get(card.formId) ?? content.card;
  const all = form.sections.flatMap((x) => x.fields);
  const phone = me.phone ?? (typeof card.answers.helper_phone === 'string' ? card.answers.helper_phone : '');
  const data = receiptData(
    card.answers,
    { policies: all.find((f) => f.id === 'policies'), measures: all.find((f) => f.id === 'measures') },
    { headName: h.headName, address: `${h.townName} · ${h.villageName}` },
    { name: me.name, unit: unitName(db, me.unitId) ?? '', phone },
    card.visitDate,
  );
  return ok({ data, locale: 'zh-CN', fileName: `receipt-${h.code}.png`, caption: msg('receipt.caption', { code: h.code, head: h.headName }) });
}

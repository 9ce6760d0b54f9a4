/**
 * The 两不愁三保障 items and drinking water: the card field that holds each item's status, and the answer that
 * marks it failed. One list for flags, briefings, figures and exports.
 */

/** The items, in the order people say them: 不愁吃, 不愁穿, 义务教育, 基本医疗, 住房安全, 饮水安全. */
export const GUARANTEE_ITEMS = ['food', 'clothing', 'education', 'medical', 'housing', 'water'] as const;
export type GuaranteeItem = (typeof GUARANTEE_ITEMS)[number];

/** The card field holding each item's status (达标 / 不达标 / 待核实). */
export const GUARANTEE_FIELDS: Readonly<Record<GuaranteeItem, string>> = {
  food: 'food_status',
  clothing: 'clothing_status',
  education: 'education_status',
  medical: 'medical_status',
  housing: 'housing_status',
  water: 'water_status',
};

/** The answer that marks an item failed. */
export const FAILED_VALUE = '不达标';

/** The items an answers object marks as failed, in item order. */
export function failedItems(answers: Record<string, unknown>): GuaranteeItem[] {
  return GUARANTEE_ITEMS.filter((g) => answers[GUARANTEE_FIELDS[g]] === FAILED_VALUE);
}

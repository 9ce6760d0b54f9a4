/**
 * The registration system's record of a household (建档立卡: 全国扶贫开发信息系统, later 防返贫监测信息系统) as card
 * answers, so a household's first card confirms it instead of retyping it. Each cell is checked by the card's own
 * field definition (type, choices, bounds, constraint), as if the helper had typed it. Relevance is not judged here:
 * it depends on the visit's date (ages), and the card judges it then, as it does for last card's carried values.
 */
import type { MessageRef } from '../text.js';
import { compile } from './compiled.js';
import type { Scope } from './expr.js';
import { idBirthDate, idGender } from './id-number.js';
import { parseAnswer, type Input } from './parse-answer.js';
import type { EngineContext } from './state.js';
import type { Answers, FieldDef, FormDefinition, RepeatItem, ScalarValue } from './types.js';

/** The repeat the registry's members fill. */
export const REGISTRY_MEMBERS = 'members';

export type RegistryCell = { ok: true; value: ScalarValue | undefined } | { ok: false; error: MessageRef };

function fieldOf(form: FormDefinition, fieldId: string, repeat?: string): FieldDef | undefined {
  const c = compile(form);
  return repeat ? c.subs.get(repeat)?.get(fieldId) : c.byId.get(fieldId);
}

/** The first of the forms that defines the field (a form of one period may not have a field of another). */
export function registryField(forms: FormDefinition[], fieldId: string, repeat?: string): { form: FormDefinition; field: FieldDef } | undefined {
  for (const form of forms) {
    const field = fieldOf(form, fieldId, repeat);
    if (field) return { form, field };
  }
  return undefined;
}

/**
 * One cell: '' is no value. Choice cells must name a choice: a bare number is refused, since registry exports carry
 * codes that are not the card's option numbers.
 */
export function registryCell(
  forms: FormDefinition[],
  ctx: EngineContext,
  fieldId: string,
  text: string,
  answers: Answers,
  item?: RepeatItem,
): RegistryCell {
  const t = text.trim();
  if (!t) return { ok: true, value: undefined };
  const found = registryField(forms, fieldId, item ? REGISTRY_MEMBERS : undefined);
  if (!found) return { ok: true, value: undefined };
  const { form, field } = found;
  const scope: Scope = { form: compile(form), answers, previous: {}, ctx, ...(item ? { repeat: REGISTRY_MEMBERS, item, index: 1, origin: null } : {}) };
  const parts = field.type === 'select_multiple' ? t.normalize('NFKC').split(/[,;、，\s]+/) : [t.normalize('NFKC')];
  if ((field.type === 'select_one' || field.type === 'select_multiple') && parts.some((x) => /^\d+$/.test(x))) {
    return { ok: false, error: { key: 'roster.err.one_of', params: { values: (field.choices ?? []).map((ch) => ch.value).join('/') } } };
  }
  const input: Input = { kind: 'text', text: t };
  const r = parseAnswer(field, input, scope);
  if (r.ok) return { ok: true, value: r.value };
  if (field.type === 'select_one') {
    return { ok: false, error: { key: 'roster.err.one_of', params: { values: (field.choices ?? []).map((ch) => ch.value).join('/') } } };
  }
  return { ok: false, error: r.error };
}

/** Sex and birth date as the card reads them from a member's ID number (not asked, not stored twice). */
export function withIdFacts(item: RepeatItem): RepeatItem {
  const id = typeof item.id_number === 'string' ? item.id_number : '';
  const gender = id ? idGender(id) : null;
  const birth = id ? idBirthDate(id) : null;
  return { ...item, ...(gender ? { gender } : {}), ...(birth ? { birth_date: birth } : {}) };
}

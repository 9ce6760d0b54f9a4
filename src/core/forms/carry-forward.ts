/**
 * Household facts from the previous card: which values are carried, where a step's previous value is, and how a
 * stored value is re-checked against the (possibly newer) field definition.
 */
import type { CompiledForm } from './compiled.js';
import type { Step } from './navigation.js';
import type { Input } from './parse-answer.js';
import type { CardState } from './state.js';
import type { AnswerValue, Answers, FieldDef, RepeatItem, ScalarValue } from './types.js';

/** Keeps only the previous card's values of carry_forward fields (and their carry_forward sub-fields). */
export function pickPrevious(c: CompiledForm, previous: Answers | undefined): Answers {
  const out: Answers = {};
  if (!previous) return out;
  for (const f of c.top) {
    if (!f.carry_forward) continue;
    const v = previous[f.carry_forward_from ?? f.id];
    if (v === undefined || v === null) continue;
    if (f.type !== 'repeat') {
      if (!Array.isArray(v) || v.every((x) => typeof x === 'string')) out[f.id] = v as ScalarValue;
      continue;
    }
    if (!Array.isArray(v)) continue;
    const keep = (f.fields ?? []).filter((sf) => sf.carry_forward).map((sf) => sf.id);
    out[f.id] = (v as RepeatItem[]).filter((it) => it && typeof it === 'object').map((it) => {
      const item: RepeatItem = {};
      for (const k of keep) if (it[k] !== undefined) item[k] = it[k];
      return item;
    });
  }
  return out;
}

/** The previous card's value for a step, if the field carries forward. */
export function previousValueAt(c: CompiledForm, state: CardState, step: Step): AnswerValue | undefined {
  if (step.repeat === undefined) return step.field.carry_forward ? state.previous[step.field.id] : undefined;
  if (!step.field.carry_forward) return undefined;
  const origin = state.origins[step.repeat]?.[step.index!];
  if (origin === null || origin === undefined) return undefined;
  const prevItems = state.previous[step.repeat];
  return Array.isArray(prevItems) ? (prevItems[origin] as RepeatItem | undefined)?.[step.field.id] : undefined;
}

/** Turns a stored value back into the input that would produce it, to re-check it (null for location/photo). */
export function inputFromValue(field: FieldDef, value: unknown): { input: Input; draft?: string[] } | null {
  switch (field.type) {
    case 'select_one':
      return typeof value === 'string' ? { input: { kind: 'choice', value } } : null;
    case 'select_multiple':
      return Array.isArray(value) ? { input: { kind: 'done' }, draft: value.map(String) } : null;
    case 'yes_no':
      return typeof value === 'boolean' ? { input: { kind: value ? 'yes' : 'no' } } : null;
    case 'location': case 'photo': case 'note': case 'repeat': case 'calculate':
      return null;
    default:
      return typeof value === 'string' || typeof value === 'number' ? { input: { kind: 'text', text: String(value) } } : null;
  }
}

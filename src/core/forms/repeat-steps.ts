/**
 * A repeat's list step: keep the previous card's items ("no change"), check them one by one ("change"), add
 * another item, remove one, or finish the list.
 */
import type { CompiledForm } from './compiled.js';
import { isAnswered } from './expr.js';
import {
  firstPendingInRepeat, isRelevant, isRequired, nextPending, repeatItems, type Step,
} from './navigation.js';
import type { Input } from './parse-answer.js';
import { err, type StepResult } from './result.js';
import type { CardState, EngineContext } from './state.js';
import type { FieldDef, RepeatItem } from './types.js';

/** Default upper bound of items in a repeat (e.g. household members). */
export const MAX_ITEMS_DEFAULT = 30;

/** Bounds of a repeat's item count. */
export function itemBounds(field: FieldDef, required: boolean): { min: number; max: number } {
  return { min: field.min_items ?? (required ? 1 : 0), max: field.max_items ?? MAX_ITEMS_DEFAULT };
}

/** Whether the repeat still offers "keep / change" for the previous card's items. */
export function offersPreviousItems(state: CardState, repeat: string): boolean {
  const prev = state.previous[repeat];
  return state.answers[repeat] === undefined && Array.isArray(prev) && prev.length > 0;
}

/** Applies an input at a repeat's list step (`s` is already a private copy). */
export function advanceRepeatHead(c: CompiledForm, s: CardState, step: Step, input: Input, ctx: EngineContext): StepResult {
  const id = step.field.id;
  const items = repeatItems(s, id);
  const { min, max } = itemBounds(step.field, isRequired(c, s, ctx, step));
  const enter = (): StepResult => {
    s.closed = s.closed.filter((p) => p !== id);
    s.cursor = firstPendingInRepeat(c, s, ctx, id);
    return { ok: true, state: s };
  };
  switch (input.kind) {
    case 'keep':
    case 'change': {
      if (!offersPreviousItems(s, id)) return err('nothing_to_keep');
      const prev = s.previous[id] as RepeatItem[];
      s.answers[id] = prev.map((it) => (input.kind === 'keep' ? { ...it } : {}));
      s.origins[id] = prev.map((_, k) => k);
      return enter();
    }
    case 'add': {
      if (items.length >= max) return err('repeat_max', { max });
      s.answers[id] = [...items, {}];
      s.origins[id] = [...(s.origins[id] ?? items.map(() => null)), null];
      return enter();
    }
    case 'remove': {
      const k = input.index;
      if (!Number.isInteger(k) || k < 0 || k >= items.length) return err('no_item', { n: k + 1 });
      s.answers[id] = items.filter((_, j) => j !== k);
      s.origins[id] = (s.origins[id] ?? items.map(() => null)).filter((_, j) => j !== k);
      s.closed = renumberClosed(s.closed, id, k);
      return { ok: true, state: s };
    }
    case 'finish':
    case 'done':
    case 'next': {
      if (items.length < min) return err('repeat_min', { min });
      if (items.length > max) return err('repeat_max', { max });
      const missing = firstMissing(c, s, ctx, step.field);
      if (missing) return err('repeat_item_incomplete', missing);
      if (s.answers[id] === undefined) s.answers[id] = [];
      if (!s.closed.includes(id)) s.closed.push(id);
      s.cursor = nextPending(c, s, ctx, id);
      return { ok: true, state: s };
    }
    default:
      return err('repeat_choose');
  }
}

function firstMissing(c: CompiledForm, s: CardState, ctx: EngineContext, repeat: FieldDef): Record<string, string | number> | null {
  const items = repeatItems(s, repeat.id);
  for (let k = 0; k < items.length; k++) {
    for (const sf of repeat.fields ?? []) {
      if (sf.type === 'calculate' || sf.type === 'note') continue;
      const st: Step = { path: `${repeat.id}[${k}].${sf.id}`, field: sf, repeat: repeat.id, index: k };
      if (isAnswered(items[k][sf.id]) || !isRelevant(c, s, ctx, st) || !isRequired(c, s, ctx, st)) continue;
      return { n: k + 1, field_zh: sf.label.zh, field_en: sf.label.en };
    }
  }
  return null;
}

/** After removing item k, drops its closed steps and shifts later items' paths down by one. */
function renumberClosed(closed: string[], repeat: string, k: number): string[] {
  const re = new RegExp(`^${repeat}\\[(\\d+)\\]\\.(.+)$`);
  const out: string[] = [];
  for (const p of closed) {
    const m = re.exec(p);
    if (!m) out.push(p);
    else if (Number(m[1]) < k) out.push(p);
    else if (Number(m[1]) > k) out.push(`${repeat}[${Number(m[1]) - 1}].${m[2]}`);
  }
  return out;
}

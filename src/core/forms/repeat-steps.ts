/**
 * A repeat's list step: keep the previous card's items ("no change"), check them one by one ("change"), add an item
 * (also by typing its quick-entry line, or pressing one of its first field's choices), remove one (and undo that),
 * or finish the list.
 */
import { renumber, pathsOfItem, markAuto } from './answer-ops.js';
import type { CompiledForm } from './compiled.js';
import { isAnswered } from './expr.js';
import {
  firstPendingInRepeat, isRelevant, isRequired, nextPending, repeatItems, scopeFor, type Step,
} from './navigation.js';
import { matchChoice, parseAnswer, type Input } from './parse-answer.js';
import { isValidIdNumber } from './id-number.js';
import { toHalfWidth } from './dates.js';
import { err, type StepResult } from './result.js';
import { itemPath, type CardState, type EngineContext } from './state.js';
import type { FieldDef, RepeatItem, ScalarValue } from './types.js';

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

/** The sub-field a choice pressed on the list step answers: the first one asked per item, when it is a choice. */
export function firstChoiceField(repeat: FieldDef): FieldDef | undefined {
  const first = (repeat.fields ?? []).find((f) => f.type !== 'note' && f.type !== 'calculate' && f.ask !== 'across');
  return first?.type === 'select_one' ? first : undefined;
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
  const addItem = (): number => {
    s.answers[id] = [...repeatItems(s, id), {}];
    s.origins[id] = [...(s.origins[id] ?? items.map(() => null)), null];
    return repeatItems(s, id).length - 1;
  };
  switch (input.kind) {
    case 'keep':
    case 'change': {
      if (!offersPreviousItems(s, id)) return err('nothing_to_keep');
      const prev = s.previous[id] as RepeatItem[];
      s.answers[id] = prev.map((it) => (input.kind === 'keep' ? { ...it } : {}));
      s.origins[id] = prev.map((_, k) => k);
      if (input.kind === 'keep') {
        // "unchanged" leaves an optional fact that was empty empty (a policy still running has no end date)
        prev.forEach((_, k) => {
          for (const sf of step.field.fields ?? []) {
            const path = itemPath(id, k, sf.id);
            const st: Step = { path, field: sf, repeat: id, index: k };
            if (sf.carry_forward && sf.ask !== 'across' && prev[k][sf.id] === undefined && !isRequired(c, s, ctx, st)) s.closed.push(path);
          }
        });
        // the list is done once its kept items' new questions are answered (it stays open to edits from the summary)
        if (!s.closed.includes(id)) s.closed.push(id);
        const next = firstPendingInRepeat(c, s, ctx, id);
        s.cursor = next === id ? nextPending(c, s, ctx, id) : next;
        return { ok: true, state: s };
      }
      return enter();
    }
    case 'add': {
      if (items.length >= max) return err('repeat_max', { max });
      addItem();
      return enter();
    }
    case 'choice':
    case 'text': {
      if (items.length >= max) return err('repeat_max', { max });
      return input.kind === 'choice' ? addByChoice(input.value) : addByLine(input.text);
    }
    case 'remove': {
      const k = input.index;
      if (!Number.isInteger(k) || k < 0 || k >= items.length) return err('no_item', { n: k + 1 });
      const origins = s.origins[id] ?? items.map(() => null);
      s.removed = { repeat: id, index: k, item: items[k], origin: origins[k] ?? null, closed: pathsOfItem(s.closed, id, k) };
      dropItem(s, id, k);
      return { ok: true, state: s };
    }
    case 'undo': {
      const r = s.removed;
      if (!r || r.repeat !== id || r.index > items.length) return err('nothing_to_undo');
      const origins = s.origins[id] ?? items.map(() => null);
      s.answers[id] = [...items.slice(0, r.index), r.item, ...items.slice(r.index)];
      s.origins[id] = [...origins.slice(0, r.index), r.origin, ...origins.slice(r.index)];
      s.closed = [...renumber(s.closed, id, r.index, 'inserted'), ...r.closed];
      if (s.auto) s.auto = renumber(s.auto, id, r.index, 'inserted');
      s.removed = undefined;
      return { ok: true, state: s };
    }
    case 'finish':
    case 'done':
    case 'next':
      return finish();
    default:
      return err('repeat_choose');
  }

  function finish(): StepResult {
    const now = repeatItems(s, id);
    if (now.length < min) return err('repeat_min', { min });
    if (now.length > max) return err('repeat_max', { max });
    const missing = firstMissing(c, s, ctx, step.field);
    if (missing) return err('repeat_item_incomplete', missing);
    if (s.answers[id] === undefined) s.answers[id] = [];
    if (!s.closed.includes(id)) s.closed.push(id);
    s.cursor = nextPending(c, s, ctx, id);
    return { ok: true, state: s };
  }

  /** A new item whose first field is the pressed choice. */
  function addByChoice(value: string): StepResult {
    const f = firstChoiceField(step.field);
    if (!f || !(f.choices ?? []).some((ch) => ch.value === value)) return err('repeat_choose');
    const k = addItem();
    setItemValue(s, id, k, f, value);
    return enter();
  }

  /** A new item from one typed line: each part goes to the quick-entry field it fits (an ID number, a choice, a name). */
  function addByLine(text: string): StepResult {
    const ids = step.field.quick_entry;
    if (!ids?.length) return err('repeat_choose');
    const fields = ids.map((sid) => c.subs.get(id)!.get(sid)!);
    const k = addItem();
    const scope = scopeFor(c, s, ctx, id, k);
    const filled = new Set<string>();
    for (const part of toHalfWidth(text).trim().split(/[\s,，、;；]+/).filter(Boolean)) {
      const target = bySpecificity(fields).find((f) => !filled.has(f.id) && fits(f, part));
      if (!target) return err('quick_entry_part', { typed: part.length > 6 ? `${part.slice(0, 3)}…` : part });
      const r = parseAnswer(target, target.type === 'select_one' ? { kind: 'choice', value: matchChoice(target.choices ?? [], part)!.value } : { kind: 'text', text: part }, scope);
      // a word that fits no field better lands in free text (儿子 typed as a relation the list does not know): while
      // other fields are still open, the line is what was not understood, not that field's rule
      if (!r.ok && fields.some((f) => f !== target && !filled.has(f.id))) return err('quick_entry_part', { typed: part.length > 6 ? `${part.slice(0, 3)}…` : part });
      if (!r.ok) return r;
      setItemValue(s, id, k, target, r.value);
      filled.add(target.id);
    }
    return enter();
  }
}

/** Takes item k out of a repeat, with its closed steps and system-filled answers (`s` is already a private copy). */
export function dropItem(s: CardState, repeat: string, k: number): void {
  const items = repeatItems(s, repeat);
  const origins = s.origins[repeat] ?? items.map(() => null);
  s.answers[repeat] = items.filter((_, j) => j !== k);
  s.origins[repeat] = origins.filter((_, j) => j !== k);
  s.closed = renumber(s.closed, repeat, k, 'removed');
  if (s.auto) s.auto = renumber(s.auto, repeat, k, 'removed');
}

/**
 * "Back" from a list item that was just added and has nothing in it yet (an add pressed by mistake): the item goes
 * and the list is shown again, instead of walking back into the item before while the empty one stays.
 */
export function backOutOfNewItem(s: CardState, step: Step): boolean {
  if (step.repeat === undefined || step.index === undefined || step.across || step.head) return false;
  const item = repeatItems(s, step.repeat)[step.index];
  const isNew = (s.origins[step.repeat]?.[step.index] ?? null) === null;
  if (!item || !isNew || Object.values(item).some((v) => isAnswered(v))) return false;
  dropItem(s, step.repeat, step.index);
  s.closed = s.closed.filter((p) => p !== step.repeat);
  s.cursor = step.repeat;
  return true;
}

/** An ID number is recognised by its check digit, a choice by its label; anything else is the name. */
function bySpecificity(fields: FieldDef[]): FieldDef[] {
  const rank = (f: FieldDef) => (f.type === 'id_number' ? 0 : f.type === 'select_one' ? 1 : 2);
  return [...fields].sort((a, b) => rank(a) - rank(b));
}

/** Whether a typed part looks like an answer of a quick-entry field (choices match by label, never by number). */
function fits(f: FieldDef, part: string): boolean {
  if (f.type === 'id_number') return isValidIdNumber(part.toUpperCase());
  if (f.type === 'select_one') return !/^\d+$/.test(part) && matchChoice(f.choices ?? [], part) !== undefined;
  if (f.type === 'text') return !/\d{6,}/.test(part);
  return false;
}

function setItemValue(s: CardState, repeat: string, k: number, f: FieldDef, v: ScalarValue): void {
  const items = [...repeatItems(s, repeat)];
  items[k] = { ...items[k], [f.id]: v };
  s.answers[repeat] = items;
  markAuto(s, itemPath(repeat, k, f.id), false);
}

function firstMissing(c: CompiledForm, s: CardState, ctx: EngineContext, repeat: FieldDef): Record<string, string | number> | null {
  const items = repeatItems(s, repeat.id);
  for (let k = 0; k < items.length; k++) {
    for (const sf of repeat.fields ?? []) {
      if (sf.type === 'calculate' || sf.type === 'note' || sf.ask === 'across') continue;
      const st: Step = { path: `${repeat.id}[${k}].${sf.id}`, field: sf, repeat: repeat.id, index: k };
      if (isAnswered(items[k][sf.id]) || !isRelevant(c, s, ctx, st) || !isRequired(c, s, ctx, st)) continue;
      return { n: k + 1, field_zh: sf.label.zh, field_en: sf.label.en };
    }
  }
  return null;
}

/**
 * What the engine fills itself, so the helper is asked only what nobody knows yet:
 * - prefill: roster facts (household code, head's name, the helper's phone) at the start of a card;
 * - repeats that begin with one item (the head as member 1) or take last time's items without asking;
 * - autofill: answers derived from other answers (birth date and sex from the ID number, 达标 for an item nobody
 *   ticked as a problem), re-evaluated after every change so an edit upstream updates them.
 * A user's own answer is never overwritten by an autofill.
 */
import { markAuto, setAnswer } from './answer-ops.js';
import { inputFromValue } from './carry-forward.js';
import type { CompiledForm } from './compiled.js';
import { evaluate, isAnswered, truthy } from './expr.js';
import { repeatItems, scopeFor } from './navigation.js';
import { parseAnswer } from './parse-answer.js';
import { itemPath, type CardState, type EngineContext } from './state.js';
import type { FieldDef, RepeatItem, ScalarValue } from './types.js';

/** Settling repeats until nothing changes; autofills depending on autofills need a few passes. */
const MAX_PASSES = 4;

/** The value an expression gives for a field, if the field would accept it. */
function acceptable(field: FieldDef, v: unknown, c: CompiledForm, s: CardState, ctx: EngineContext, repeat?: string, index?: number): ScalarValue | undefined {
  if (v === null || v === undefined) return undefined;
  const as = inputFromValue(field, v);
  if (!as) return undefined;
  const r = parseAnswer(field, as.input, scopeFor(c, s, ctx, repeat, index), as.draft);
  return r.ok ? r.value : undefined;
}

/** Roster facts into the fields that take them (called when a card starts, and when a draft moves to a new form). */
export function applyPrefill(c: CompiledForm, s: CardState, ctx: EngineContext): void {
  for (const f of c.top) {
    if (f.prefill === undefined || f.type === 'repeat' || isAnswered(s.answers[f.id])) continue;
    if (f.carry_forward && s.previous[f.id] !== undefined) continue;
    const v = acceptable(f, evaluate(f.prefill, scopeFor(c, s, ctx)), c, s, ctx);
    if (v === undefined) continue;
    setAnswer(s, { field: f }, v);
    markAuto(s, f.id, true);
  }
}

function relevant(c: CompiledForm, s: CardState, ctx: EngineContext, f: FieldDef, repeat?: string, index?: number): boolean {
  return f.relevant === undefined || truthy(evaluate(f.relevant, scopeFor(c, s, ctx, repeat, index)));
}

/** Repeats that start themselves: last time's items kept without asking, or one first item. */
function settleRepeats(c: CompiledForm, s: CardState, ctx: EngineContext): boolean {
  let changed = false;
  for (const f of c.repeats) {
    if (s.answers[f.id] !== undefined || !relevant(c, s, ctx, f)) continue;
    const prev = s.previous[f.id];
    const hasPrevious = Array.isArray(prev) && prev.length > 0;
    if (f.auto_keep && hasPrevious) {
      s.answers[f.id] = (prev as RepeatItem[]).map((it) => ({ ...it }));
      s.origins[f.id] = (prev as RepeatItem[]).map((_, k) => k);
      if (!s.closed.includes(f.id)) s.closed.push(f.id);
      changed = true;
    } else if (f.start_with_one && !hasPrevious && !s.closed.includes(f.id)) {
      s.answers[f.id] = [{}];
      s.origins[f.id] = [null];
      changed = true;
    }
  }
  return changed;
}

/** One autofill target: evaluate, and set, update or clear the answer it fills. */
function settleOne(c: CompiledForm, s: CardState, ctx: EngineContext, f: FieldDef, repeat?: string, index?: number): boolean {
  const path = repeat === undefined ? f.id : itemPath(repeat, index!, f.id);
  const current = repeat === undefined ? s.answers[f.id] : repeatItems(s, repeat)[index!]?.[f.id];
  const auto = s.auto?.includes(path) ?? false;
  if (isAnswered(current) && !auto) return false;
  const v = relevant(c, s, ctx, f, repeat, index) ? acceptable(f, evaluate(f.autofill!, scopeFor(c, s, ctx, repeat, index)), c, s, ctx, repeat, index) : undefined;
  if (v === undefined) {
    if (!auto) return false;
    setAnswer(s, { field: f, repeat, index }, undefined);
    markAuto(s, path, false);
    return true;
  }
  markAuto(s, path, true);
  if (JSON.stringify(v) === JSON.stringify(current)) return false;
  setAnswer(s, { field: f, repeat, index }, v);
  return true;
}

/** Brings a (private) state copy to rest after a change. */
export function settle(c: CompiledForm, s: CardState, ctx: EngineContext): void {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let changed = settleRepeats(c, s, ctx);
    // only the fields with something to fill (a long card has few): the walk is done after every answer
    for (const f of c.autofilled) {
      if (f.type === 'repeat') {
        const subs = c.autofillSubs.get(f.id)!;
        const n = repeatItems(s, f.id).length;
        for (let k = 0; k < n; k++) for (const sf of subs) changed = settleOne(c, s, ctx, sf, f.id, k) || changed;
      } else if (f.autofill !== undefined) changed = settleOne(c, s, ctx, f) || changed;
    }
    if (!changed) return;
  }
}

/**
 * Where the card goes next: step order, relevance, "pending" steps, and positional back.
 *
 * Forward order visits a repeat's items before its list step (so new items are walked, then the list is shown
 * with "add another / finish"); back order shows the list step before the items.
 */
import type { CompiledForm } from './compiled.js';
import { evaluate, isAnswered, truthy, type Scope } from './expr.js';
import { itemPath, parsePath, type CardState, type EngineContext, type StepPath } from './state.js';
import type { FieldDef, RepeatItem } from './types.js';

/** One step position. */
export interface Step {
  path: StepPath;
  field: FieldDef;
  repeat?: string;
  index?: number;
  /** true for a repeat's list step */
  head?: boolean;
}

/** Builds the expression scope for a step (inside its repeat item when it has one). */
export function scopeFor(c: CompiledForm, state: CardState, ctx: EngineContext, repeat?: string, index?: number): Scope {
  const base: Scope = { form: c, answers: state.answers, previous: state.previous, ctx };
  if (repeat === undefined || index === undefined) return base;
  const item = repeatItems(state, repeat)[index];
  return item ? { ...base, repeat, item } : base;
}

/** The items of a repeat answer (empty when unanswered). */
export function repeatItems(state: CardState, repeat: string): RepeatItem[] {
  const v = state.answers[repeat];
  return Array.isArray(v) ? (v as RepeatItem[]) : [];
}

/** Resolves a path to a step, or null if it names nothing that exists now. */
export function stepAt(c: CompiledForm, state: CardState, path: StepPath): Step | null {
  const p = parsePath(path);
  if (!p) return null;
  const top = c.byId.get(p.field);
  if (!top || top.type === 'calculate') return null;
  if (p.sub === undefined) return { path, field: top, head: top.type === 'repeat' || undefined };
  const sub = c.subs.get(p.field)?.get(p.sub);
  if (!sub || sub.type === 'calculate' || p.index! >= repeatItems(state, p.field).length) return null;
  return { path, field: sub, repeat: p.field, index: p.index };
}

/** Whether a step is relevant now (for an item's field, its repeat must be relevant too). */
export function isRelevant(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step): boolean {
  if (step.repeat !== undefined) {
    const r = c.byId.get(step.repeat)!;
    if (r.relevant !== undefined && !truthy(evaluate(r.relevant, scopeFor(c, state, ctx)))) return false;
  }
  if (step.field.relevant === undefined) return true;
  return truthy(evaluate(step.field.relevant, scopeFor(c, state, ctx, step.repeat, step.index)));
}

/** Whether a field must be answered (required may be an expression, e.g. a setting). */
export function isRequired(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step): boolean {
  const r = step.field.required;
  if (r === undefined || r === false) return false;
  if (r === true) return true;
  return truthy(evaluate(r, scopeFor(c, state, ctx, step.repeat, step.index)));
}

/** The stored answer of a step (undefined when unanswered). */
export function answerAt(state: CardState, step: Step): unknown {
  if (step.repeat === undefined) return state.answers[step.field.id];
  return repeatItems(state, step.repeat)[step.index!]?.[step.field.id];
}

function* forwardFrom(c: CompiledForm, state: CardState, topIdx: number): Generator<Step> {
  for (let i = topIdx; i < c.top.length; i++) {
    const f = c.top[i];
    if (f.type === 'calculate') continue;
    if (f.type !== 'repeat') {
      yield { path: f.id, field: f };
      continue;
    }
    const items = repeatItems(state, f.id);
    for (let k = 0; k < items.length; k++) {
      for (const sf of f.fields ?? []) if (sf.type !== 'calculate') yield { path: itemPath(f.id, k, sf.id), field: sf, repeat: f.id, index: k };
    }
    yield { path: f.id, field: f, head: true };
  }
}

/** Every step in forward order. */
export function allSteps(c: CompiledForm, state: CardState): Generator<Step> {
  return forwardFrom(c, state, 0);
}

/** Whether a step still waits for the user. */
export function isPending(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step): boolean {
  if (state.closed.includes(step.path)) return false;
  if (!step.head && step.field.type !== 'note' && isAnswered(answerAt(state, step))) return false;
  return isRelevant(c, state, ctx, step);
}

/**
 * The next step waiting for the user after `from` (forward order), else the first one from the start of the
 * form, else null (everything done: show the summary).
 */
export function nextPending(c: CompiledForm, state: CardState, ctx: EngineContext, from: StepPath | null): StepPath | null {
  let startIdx = 0;
  if (from !== null) {
    const p = parsePath(from);
    startIdx = p ? c.topIndex.get(p.field) ?? 0 : 0;
    let passed = false;
    for (const s of forwardFrom(c, state, startIdx)) {
      if (!passed) {
        passed = s.path === from;
        continue;
      }
      if (isPending(c, state, ctx, s)) return s.path;
    }
  }
  for (const s of forwardFrom(c, state, 0)) if (isPending(c, state, ctx, s)) return s.path;
  return null;
}

function lastRelevantSubOf(c: CompiledForm, state: CardState, ctx: EngineContext, repeat: string, index: number): Step | null {
  const subs = (c.byId.get(repeat)!.fields ?? []).filter((f) => f.type !== 'calculate');
  for (let j = subs.length - 1; j >= 0; j--) {
    const s: Step = { path: itemPath(repeat, index, subs[j].id), field: subs[j], repeat, index };
    if (isRelevant(c, state, ctx, s)) return s;
  }
  return null;
}

function backBeforeTop(c: CompiledForm, state: CardState, ctx: EngineContext, topIdx: number): StepPath | null {
  for (let i = topIdx - 1; i >= 0; i--) {
    const f = c.top[i];
    if (f.type === 'calculate') continue;
    const s: Step = { path: f.id, field: f, head: f.type === 'repeat' || undefined };
    if (isRelevant(c, state, ctx, s)) return f.id;
  }
  return null;
}

/**
 * Positional back: the previous relevant step. From a repeat's list step with items it is the last item's last
 * field; from the first field of the first item it is the step before the repeat; otherwise the step before.
 */
export function previousStep(c: CompiledForm, state: CardState, ctx: EngineContext, path: StepPath): StepPath | null {
  const p = parsePath(path);
  if (!p) return null;
  const topIdx = c.topIndex.get(p.field) ?? 0;
  const repeat = c.byId.get(p.field)!;
  if (p.sub === undefined) {
    if (repeat.type === 'repeat') {
      const items = repeatItems(state, p.field);
      for (let k = items.length - 1; k >= 0; k--) {
        const s = lastRelevantSubOf(c, state, ctx, p.field, k);
        if (s) return s.path;
      }
    }
    return backBeforeTop(c, state, ctx, topIdx);
  }
  const subs = (repeat.fields ?? []).filter((f) => f.type !== 'calculate');
  const at = subs.findIndex((f) => f.id === p.sub);
  for (let j = at - 1; j >= 0; j--) {
    const s: Step = { path: itemPath(p.field, p.index!, subs[j].id), field: subs[j], repeat: p.field, index: p.index };
    if (isRelevant(c, state, ctx, s)) return s.path;
  }
  for (let k = p.index! - 1; k >= 0; k--) {
    const s = lastRelevantSubOf(c, state, ctx, p.field, k);
    if (s) return s.path;
  }
  return p.index === 0 ? backBeforeTop(c, state, ctx, topIdx) : p.field;
}

/** The first step still waiting inside a repeat's items, else the repeat's list step. */
export function firstPendingInRepeat(c: CompiledForm, state: CardState, ctx: EngineContext, repeat: string): StepPath {
  for (const s of forwardFrom(c, state, c.topIndex.get(repeat)!)) {
    if (s.repeat !== repeat) break;
    if (isPending(c, state, ctx, s)) return s.path;
  }
  return repeat;
}

/**
 * The card engine: pure functions from (definition, state, input, context) to a new state. No I/O; the bot layer
 * loads the draft row, calls `advance`, commits the returned state, then replies with `currentPrompt`.
 * Inputs never mutate the given state; an invalid input returns an error and the caller keeps the old state.
 */
import { err, type StepResult } from './result.js';
import { compile, type CompiledForm } from './compiled.js';
import { inputFromValue, pickPrevious, previousValueAt } from './carry-forward.js';
import { isAnswered } from './expr.js';
import {
  answerAt, isRelevant, isRequired, nextPending, previousStep, scopeFor, stepAt, type Step,
} from './navigation.js';
import { parseAnswer, type Input } from './parse-answer.js';
import { advanceRepeatHead } from './repeat-steps.js';
import type { CardState, EngineContext, StepPath } from './state.js';
import type { Answers, FormDefinition, RepeatItem, ScalarValue } from './types.js';

export type { StepResult } from './result.js';

/** Starts a new card; `previous` is the last submitted card's answers (carry_forward fields are offered again). */
export function startCard(form: FormDefinition, ctx: EngineContext, previous?: Answers): CardState {
  const c = compile(form);
  const state: CardState = {
    formId: form.id,
    formVersion: form.version,
    cursor: null,
    answers: {},
    previous: pickPrevious(c, previous),
    origins: {},
    closed: [],
    confirmedWarnings: [],
    startedAtMs: ctx.nowMs,
  };
  state.cursor = nextPending(c, state, ctx, null);
  return state;
}

/**
 * A copy that is safe to change at the top level: answers, origins and lists are new objects; repeat item arrays
 * are shared and copied on write by `setAnswer` (so the cost does not grow with the number of answers' contents).
 */
export function copyState(s: CardState): CardState {
  return { ...s, answers: { ...s.answers }, origins: { ...s.origins }, closed: [...s.closed], confirmedWarnings: [...s.confirmedWarnings] };
}

/** Stores (or with undefined, removes) the answer of a step in a state copy. */
export function setAnswer(s: CardState, step: Step, value: ScalarValue | undefined): void {
  if (step.repeat === undefined) {
    if (value === undefined) delete s.answers[step.field.id];
    else s.answers[step.field.id] = value;
    return;
  }
  const items = [...(s.answers[step.repeat] as RepeatItem[])];
  const item = { ...items[step.index!] };
  if (value === undefined) delete item[step.field.id];
  else item[step.field.id] = value;
  items[step.index!] = item;
  s.answers[step.repeat] = items;
}

function moveOn(c: CompiledForm, s: CardState, ctx: EngineContext, from: StepPath): CardState {
  s.draft = undefined;
  s.changing = undefined;
  s.cursor = nextPending(c, s, ctx, from);
  return s;
}

/** Applies one input to the current step. */
export function advance(form: FormDefinition, state: CardState, input: Input, ctx: EngineContext): StepResult {
  const c = compile(form);
  if (state.formId !== form.id || state.formVersion !== form.version) return err('form_changed');
  if (state.cursor === null) return err('card_complete');
  const step = stepAt(c, state, state.cursor);
  if (!step) return err('bad_step');
  const s = copyState(state);
  if (input.kind === 'back') {
    const prev = previousStep(c, state, ctx, step.path);
    if (prev === null) return err('no_back');
    s.cursor = prev;
    s.draft = undefined;
    s.changing = undefined;
    return { ok: true, state: s };
  }
  if (step.head) return advanceRepeatHead(c, s, step, input, ctx);
  if (step.field.type === 'note') {
    if (!['next', 'keep', 'skip', 'done'].includes(input.kind)) return err('press_next');
    if (!s.closed.includes(step.path)) s.closed.push(step.path);
    return { ok: true, state: moveOn(c, s, ctx, step.path) };
  }
  const scope = scopeFor(c, state, ctx, step.repeat, step.index);
  const current = answerAt(state, step);
  switch (input.kind) {
    case 'skip': {
      if (isRequired(c, state, ctx, step)) return err('required');
      setAnswer(s, step, undefined);
      if (!s.closed.includes(step.path)) s.closed.push(step.path);
      return { ok: true, state: moveOn(c, s, ctx, step.path) };
    }
    case 'keep': {
      if (isAnswered(current)) return { ok: true, state: moveOn(c, s, ctx, step.path) };
      const prev = previousValueAt(c, state, step);
      const as = prev === undefined ? null : inputFromValue(step.field, prev);
      if (!as) return err('nothing_to_keep');
      const r = parseAnswer(step.field, as.input, scope, as.draft);
      if (!r.ok) return err('previous_invalid');
      setAnswer(s, step, r.value);
      s.closed = s.closed.filter((p) => p !== step.path);
      return { ok: true, state: moveOn(c, s, ctx, step.path) };
    }
    case 'change': {
      if (previousValueAt(c, state, step) === undefined && !isAnswered(current)) return err('nothing_to_change');
      s.changing = step.path;
      return { ok: true, state: s };
    }
    case 'toggle': {
      if (step.field.type !== 'select_multiple') return err('not_here');
      if (!(step.field.choices ?? []).some((ch) => ch.value === input.value)) return err('unknown_choice', { typed: input.value });
      const base = s.draft ?? (Array.isArray(current) ? (current as string[]) : []);
      const next = base.includes(input.value) ? base.filter((v) => v !== input.value) : [...base, input.value];
      if (step.field.max_selected !== undefined && next.length > step.field.max_selected) {
        return err('choose_max', { max: step.field.max_selected });
      }
      s.draft = next;
      return { ok: true, state: s };
    }
    default: {
      if (['add', 'finish', 'remove', 'next'].includes(input.kind)) return err('not_here');
      const draft = input.kind === 'done' ? s.draft ?? (Array.isArray(current) ? (current as string[]) : []) : undefined;
      const r = parseAnswer(step.field, input, scope, draft);
      if (!r.ok) return r;
      setAnswer(s, step, r.value);
      s.closed = s.closed.filter((p) => p !== step.path);
      return { ok: true, state: moveOn(c, s, ctx, step.path) };
    }
  }
}

/**
 * Moves the cursor to a step to edit it (from the summary, or a field a supervisor sent back). A repeat id opens
 * its list (add / remove / finish). After the edit the card continues with whatever is still pending.
 */
export function jumpTo(form: FormDefinition, state: CardState, path: StepPath, ctx: EngineContext): StepResult {
  const c = compile(form);
  const step = stepAt(c, state, path);
  if (!step) return err('bad_path');
  if (!isRelevant(c, state, ctx, step)) return err('not_relevant');
  const s = copyState(state);
  s.cursor = path;
  s.closed = s.closed.filter((p) => p !== path);
  s.draft = undefined;
  s.changing = undefined;
  return { ok: true, state: s };
}

/**
 * Moves a draft to a new version of its form: answers of fields that still exist and still pass their checks are
 * kept, the rest dropped; the cursor goes to the first step still pending.
 */
export function migrateState(newForm: FormDefinition, state: CardState, ctx: EngineContext): CardState {
  const c = compile(newForm);
  const s: CardState = { ...copyState(state), formId: newForm.id, formVersion: newForm.version, answers: {}, origins: {} };
  s.previous = pickPrevious(c, state.previous);
  for (const f of c.top) {
    const v = state.answers[f.id];
    if (v === undefined || f.type === 'calculate' || f.type === 'note') continue;
    if (f.type === 'repeat') {
      if (!Array.isArray(v)) continue;
      s.answers[f.id] = (v as RepeatItem[]).map(() => ({}));
      s.origins[f.id] = [...(state.origins[f.id] ?? (v as RepeatItem[]).map(() => null))];
      (v as RepeatItem[]).forEach((item, k) => {
        for (const sf of f.fields ?? []) keepIfValid(c, s, { path: `${f.id}[${k}].${sf.id}`, field: sf, repeat: f.id, index: k }, item[sf.id], ctx);
      });
    } else keepIfValid(c, s, { path: f.id, field: f }, v, ctx);
  }
  s.closed = state.closed.filter((p) => stepAt(c, s, p) !== null);
  s.confirmedWarnings = [];
  s.draft = undefined;
  s.changing = undefined;
  s.cursor = nextPending(c, s, ctx, null);
  return s;
}

function keepIfValid(c: CompiledForm, s: CardState, step: Step, v: unknown, ctx: EngineContext): void {
  if (v === undefined || step.field.type === 'calculate' || step.field.type === 'note') return;
  if (step.field.type === 'location' || step.field.type === 'photo') {
    if (v && typeof v === 'object' && !Array.isArray(v)) setAnswer(s, step, v as ScalarValue);
    return;
  }
  const as = inputFromValue(step.field, v);
  if (!as) return;
  const r = parseAnswer(step.field, as.input, scopeFor(c, s, ctx, step.repeat, step.index), as.draft);
  if (r.ok) setAnswer(s, step, r.value);
}

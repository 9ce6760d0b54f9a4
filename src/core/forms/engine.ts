/**
 * The card engine: pure functions from (definition, state, input, context) to a new state. No I/O; the bot layer
 * loads the draft row, calls `advance`, commits the returned state, then replies with `currentPrompt`.
 * Inputs never mutate the given state; an invalid input returns an error and the caller keeps the old state.
 */
import { copyState, markAuto, setAnswer } from './answer-ops.js';
import { err, type StepResult } from './result.js';
import { compile, type CompiledForm } from './compiled.js';
import { inputFromValue, pickPrevious, previousValueAt } from './carry-forward.js';
import { isAnswered } from './expr.js';
import {
  acrossCells, answerAt, checklistChoices, checklistFields, isPending, isRelevant, isRequired, nextPending, previousStep, repeatItems, scopeFor, stepAt, type Step,
} from './navigation.js';
import { matchChoice, parseAnswer, type Input } from './parse-answer.js';
import { toHalfWidth } from './dates.js';
import { advanceRepeatHead, backOutOfNewItem } from './repeat-steps.js';
import { applyPrefill, settle } from './settle.js';
import type { CardState, EngineContext, StepPath } from './state.js';
import type { Answers, FieldDef, FormDefinition, RepeatItem, ScalarValue, SectionDef } from './types.js';

export type { StepResult } from './result.js';
export { copyState, setAnswer } from './answer-ops.js';

/**
 * Starts a new card; `previous` is the last submitted card's answers (carry_forward fields are offered again), or
 * for a household's first card the registry's record (`from: 'registry'`), offered the same way.
 * Roster facts (`ctx.householdFacts`) prefill what the system knows.
 */
export function startCard(form: FormDefinition, ctx: EngineContext, previous?: Answers, from?: 'registry'): CardState {
  const c = compile(form);
  const state: CardState = {
    formId: form.id,
    formVersion: form.version,
    cursor: null,
    answers: {},
    previous: pickPrevious(c, previous),
    ...(from ? { previousFrom: from } : {}),
    origins: {},
    closed: [],
    auto: [],
    confirmedWarnings: [],
    startedAtMs: ctx.nowMs,
  };
  applyPrefill(c, state, ctx);
  settle(c, state, ctx);
  state.cursor = nextPending(c, state, ctx, null);
  return state;
}

function moveOn(c: CompiledForm, s: CardState, ctx: EngineContext, from: StepPath): CardState {
  s.draft = undefined;
  s.changing = undefined;
  settle(c, s, ctx);
  s.cursor = nextPending(c, s, ctx, from);
  return s;
}

/**
 * Settles a state whose cursor was set before the engine filled what it could (a new list item whose ID number
 * gave the sex and birth date): a cursor on a step that is no longer waiting moves on.
 */
function settleCursor(c: CompiledForm, s: CardState, ctx: EngineContext): void {
  settle(c, s, ctx);
  const at = s.cursor === null ? null : stepAt(c, s, s.cursor);
  if (at && !at.head && !isPending(c, s, ctx, at)) s.cursor = nextPending(c, s, ctx, at.path);
}

/** The user answered a step: their answer, not the system's, from now on. */
function answered(s: CardState, step: Step, value: ScalarValue | undefined): void {
  setAnswer(s, step, value);
  markAuto(s, step.path, false);
  s.closed = s.closed.filter((p) => p !== step.path);
  // "none of these" is an answer, though an empty list is no value: the step is done
  if (Array.isArray(value) && value.length === 0) s.closed.push(step.path);
}

/** Applies one input to the current step. */
export function advance(form: FormDefinition, state: CardState, input: Input, ctx: EngineContext): StepResult {
  const c = compile(form);
  if (state.formId !== form.id || state.formVersion !== form.version) return err('form_changed');
  if (state.cursor === null) return err('card_complete');
  const step = stepAt(c, state, state.cursor);
  if (!step) return err('bad_step');
  const s = copyState(state);
  // "undo" is offered only right after a removal; anything else forgets what was removed
  if (input.kind !== 'undo') s.removed = undefined;
  if (input.kind === 'back') {
    if (backOutOfNewItem(s, step)) {
      s.draft = undefined;
      s.changing = undefined;
      settle(c, s, ctx);
      return { ok: true, state: s };
    }
    const prev = previousStep(c, state, ctx, step.path);
    if (prev === null) return err('no_back');
    s.cursor = prev;
    s.draft = undefined;
    s.changing = undefined;
    return { ok: true, state: s };
  }
  if (step.confirm) return advanceConfirm(c, s, step, input, ctx);
  if (step.across) return advanceAcross(c, s, step, input, ctx);
  if (step.checklist) return advanceChecklist(c, s, step, input, ctx);
  if (step.head) {
    const r = advanceRepeatHead(c, s, step, input, ctx);
    if (r.ok) settleCursor(c, r.state, ctx);
    return r;
  }
  const scope = scopeFor(c, state, ctx, step.repeat, step.index);
  const current = answerAt(state, step);
  switch (input.kind) {
    case 'skip': {
      if (isRequired(c, state, ctx, step)) return err('required');
      answered(s, step, undefined);
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
      answered(s, step, r.value);
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
      if (['add', 'finish', 'remove', 'next', 'undo'].includes(input.kind)) return err('not_here');
      const draft = input.kind === 'done' ? s.draft ?? (Array.isArray(current) ? (current as string[]) : []) : undefined;
      const r = parseAnswer(step.field, input, scope, draft);
      if (!r.ok) return r;
      answered(s, step, r.value);
      return { ok: true, state: moveOn(c, s, ctx, step.path) };
    }
  }
}

/** "The same as last time?" for a section: keep every carried fact at once, or check them one by one. */
function advanceConfirm(c: CompiledForm, s: CardState, step: Step, input: Input, ctx: EngineContext): StepResult {
  if (input.kind === 'change') {
    if (!s.closed.includes(step.path)) s.closed.push(step.path);
    return { ok: true, state: moveOn(c, s, ctx, step.path) };
  }
  if (input.kind !== 'keep' && input.kind !== 'done') return err('confirm_choose');
  keepCarried(c, s, ctx, step.confirm!);
  return { ok: true, state: moveOn(c, s, ctx, step.path) };
}

/**
 * Takes last time's value of each carried fact of a section, in form order, so that a fact that applies only because
 * of an earlier one (production costs, once there is production income) is kept too. Returns the facts kept.
 */
export function keepCarried(c: CompiledForm, s: CardState, ctx: EngineContext, section: SectionDef): FieldDef[] {
  const kept: FieldDef[] = [];
  for (const f of c.confirmable.get(section.id) ?? []) {
    if (s.previous[f.id] === undefined || !isRelevant(c, s, ctx, { path: f.id, field: f })) continue;
    const as = inputFromValue(f, s.previous[f.id]);
    const r = as ? parseAnswer(f, as.input, scopeFor(c, s, ctx), as.draft) : null;
    // a fact last time's rules allowed and today's do not stays to be asked
    if (!r?.ok) continue;
    answered(s, { path: f.id, field: f }, r.value);
    kept.push(f);
  }
  return kept;
}

/**
 * The cells ticked ("yes") before the user touches an across question: this card's answers, else last time's, else
 * the field's `across_default`.
 */
export function acrossDefault(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step): string[] {
  const items = repeatItems(state, step.repeat!);
  return acrossCells(c, state, ctx, step)
    .filter((x) => {
      const f = step.across![x.field];
      const prev = previousValueAt(c, state, { path: `${step.repeat}[${x.item}].${f.id}`, field: f, repeat: step.repeat, index: x.item });
      return (items[x.item][f.id] ?? prev ?? f.across_default ?? false) === true;
    })
    .map((x) => x.key);
}

/** "Each member's insurance and allowances": cells ticked or not, then done (yes / no when only one cell is asked). */
function advanceAcross(c: CompiledForm, s: CardState, step: Step, input: Input, ctx: EngineContext): StepResult {
  const cells = acrossCells(c, s, ctx, step);
  let ticked: string[];
  switch (input.kind) {
    case 'toggle': {
      // a one-field question names cells by item alone
      const key = input.value.includes('.') ? input.value : `${input.value}.0`;
      if (!cells.some((x) => x.key === key)) return err('no_item', { n: Number(key.split('.')[0]) + 1 });
      const base = s.draft ?? acrossDefault(c, s, ctx, step);
      s.draft = base.includes(key) ? base.filter((v) => v !== key) : [...base, key];
      return { ok: true, state: s };
    }
    case 'done':
    case 'keep':
      ticked = s.draft ?? acrossDefault(c, s, ctx, step);
      break;
    case 'yes':
    case 'no':
      if (cells.length !== 1) return err('choose_many');
      ticked = input.kind === 'yes' ? [cells[0].key] : [];
      break;
    case 'text': {
      // one field: the numbers of the items it holds for ("1 3"), or none ("无")
      if (step.across!.length !== 1) return err('choose_many');
      const t = input.text.trim();
      if (/^(无|没有|都没有|none|0)$/i.test(t)) ticked = [];
      else {
        const nums = t.split(/[\s,，、]+/).filter(Boolean);
        if (!nums.every((x) => /^\d{1,2}$/.test(x) && cells.some((cell) => cell.item === Number(x) - 1))) return err('choose_many');
        ticked = nums.map((x) => `${Number(x) - 1}.0`);
      }
      break;
    }
    default:
      return err('choose_many');
  }
  for (const x of cells) {
    const f = step.across![x.field];
    answered(s, { path: `${step.repeat}[${x.item}].${f.id}`, field: f, repeat: step.repeat, index: x.item }, ticked.includes(x.key));
  }
  return { ok: true, state: moveOn(c, s, ctx, step.path) };
}

/**
 * The ticks a checklist starts with before the user touches it: this card's answers, else last time's (a section
 * checked one by one shows what it was), else nothing ticked.
 */
export function checklistDefault(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step): string[] {
  const out: string[] = [];
  for (const f of checklistFields(c, state, ctx, step)) {
    const v = state.answers[f.id] ?? (f.carry_forward ? state.previous[f.id] : undefined);
    if (f.type === 'yes_no' && v === true) out.push(f.id);
    else if (f.type === 'select_multiple' && Array.isArray(v)) for (const x of v) out.push(`${f.id}=${String(x)}`);
  }
  return out;
}

/** The ticks a checklist offers now: those of the fields that apply. */
export function checklistOptions(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step) {
  return checklistChoices(checklistFields(c, state, ctx, step));
}

/**
 * "以下哪些情况属实？": ticks, then done (or the ticks typed as numbers or names). Each field that applies gets its
 * answer from the ticks, checked as if it had been asked alone; one refused answer refuses the whole.
 */
function advanceChecklist(c: CompiledForm, s: CardState, step: Step, input: Input, ctx: EngineContext): StepResult {
  const choices = checklistOptions(c, s, ctx, step);
  let ticked: string[];
  switch (input.kind) {
    case 'toggle': {
      if (!choices.some((ch) => ch.value === input.value)) return err('unknown_choice', { typed: input.value });
      const base = s.draft ?? checklistDefault(c, s, ctx, step);
      s.draft = base.includes(input.value) ? base.filter((v) => v !== input.value) : [...base, input.value];
      return { ok: true, state: s };
    }
    case 'done':
    case 'keep':
      ticked = s.draft ?? checklistDefault(c, s, ctx, step);
      break;
    case 'text': {
      // numbers or names, as the buttons read or as the option alone ("粮食作物" for "种：粮食作物"); "无": none
      ticked = [];
      if (/^(无|没有|都没有|都不是|none)$/i.test(input.text.trim())) break;
      for (const part of toHalfWidth(input.text).split(/[,;、\s]+/).filter(Boolean)) {
        // an option alone must name one tick: "其他" is an option of several fields
        const alone = choices.filter((ch) => {
          const zh = toHalfWidth(ch.label.zh);
          return zh === part || zh.slice(zh.indexOf(':') + 1) === part;
        });
        const hit = matchChoice(choices, part) ?? (alone.length === 1 ? alone[0] : undefined);
        if (!hit) return err('unknown_choice', { typed: part.length > 8 ? `${part.slice(0, 6)}…` : part });
        if (!ticked.includes(hit.value)) ticked.push(hit.value);
      }
      break;
    }
    default:
      return err('choose_many');
  }
  for (const f of checklistFields(c, s, ctx, step)) {
    const value = f.type === 'yes_no'
      ? ticked.includes(f.id)
      : ticked.filter((t) => t.startsWith(`${f.id}=`)).map((t) => t.slice(f.id.length + 1));
    const as = inputFromValue(f, value)!;
    const r = parseAnswer(f, as.input, scopeFor(c, s, ctx), as.draft);
    if (!r.ok) return r;
    answered(s, { path: f.id, field: f }, r.value);
  }
  // a tick can make another field of the checklist apply (a cooperative once crops are grown): asked here again
  settle(c, s, ctx);
  if (isPending(c, s, ctx, step)) {
    s.draft = undefined;
    return { ok: true, state: s };
  }
  return { ok: true, state: moveOn(c, s, ctx, step.path) };
}

/**
 * A photo sent while the card is open but not asked for: kept as the card's first unanswered photo evidence (the
 * signed paper card). Null when the card has no such field (the caller says photos are not needed here).
 */
export function attachPhoto(form: FormDefinition, state: CardState, fileId: string, ctx: EngineContext): StepResult | null {
  const c = compile(form);
  const f = c.top.find((x) => x.type === 'photo' && !isAnswered(state.answers[x.id]) && isRelevant(c, state, ctx, { path: x.id, field: x }));
  if (!f) return null;
  const s = copyState(state);
  answered(s, { path: f.id, field: f }, { fileId, atMs: ctx.nowMs });
  return { ok: true, state: s };
}

/**
 * Moves the cursor to a step to edit it (from the summary, or a field a supervisor sent back). A repeat id opens
 * its list (add / remove / finish). After the edit the card continues with whatever is still pending.
 */
export function jumpTo(form: FormDefinition, state: CardState, path: StepPath, ctx: EngineContext, opts: { change?: boolean } = {}): StepResult {
  const c = compile(form);
  const step = stepAt(c, state, path);
  if (!step) return err('bad_path');
  if (!isRelevant(c, state, ctx, step)) return err('not_relevant');
  const s = copyState(state);
  s.cursor = path;
  s.closed = s.closed.filter((p) => p !== path);
  s.draft = undefined;
  // the person chose this answer to change it: its choices at once, not "unchanged / change" first
  s.changing = opts.change ? path : undefined;
  s.removed = undefined;
  return { ok: true, state: s };
}

/**
 * Moves a draft to a new version of its form: answers of fields that still exist and still pass their checks are
 * kept, the rest dropped; the cursor goes to the first step still pending.
 */
export function migrateState(newForm: FormDefinition, state: CardState, ctx: EngineContext): CardState {
  const c = compile(newForm);
  const s: CardState = { ...copyState(state), formId: newForm.id, formVersion: newForm.version, answers: {}, origins: {}, auto: [] };
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
  s.removed = undefined;
  applyPrefill(c, s, ctx);
  settle(c, s, ctx);
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

/**
 * Where the card goes next: step order, relevance, "pending" steps, and positional back.
 *
 * Forward order, per section: its fields, with the confirmation of the section's carried-forward facts ("the same as
 * last time?") just before the first of them. A repeat is walked item by item, then its list step ("add another / finish"), then its questions asked once
 * over all items. Notes and calculate fields are not steps. Back is positional: the previous step in that order that
 * applies now and was not filled by the engine.
 */
import { WALK, type CompiledForm } from './compiled.js';
import { evaluate, isAnswered, truthy, type Scope } from './expr.js';
import { acrossPath, checklistPath, itemPath, parsePath, sectionPath, type CardState, type EngineContext, type StepPath } from './state.js';
import type { Choice, FieldDef, RepeatItem, SectionDef } from './types.js';

/** One step position. */
export interface Step {
  path: StepPath;
  /** the field asked; for a section confirmation, a note standing for the section */
  field: FieldDef;
  repeat?: string;
  index?: number;
  /** a repeat's list step */
  head?: boolean;
  /** repeat sub-fields asked over all items (one, or a group asked as a grid); `field` is the first */
  across?: FieldDef[];
  /** the section whose carried-forward facts this step confirms */
  confirm?: SectionDef;
  /** the fields a checklist asks as one multi-select; `field` is a select_multiple standing for them */
  checklist?: FieldDef[];
}

/** Builds the expression scope for a step (inside its repeat item when it has one). */
export function scopeFor(c: CompiledForm, state: CardState, ctx: EngineContext, repeat?: string, index?: number): Scope {
  const base: Scope = { form: c, answers: state.answers, previous: state.previous, ctx };
  if (repeat === undefined || index === undefined) return base;
  const item = repeatItems(state, repeat)[index];
  return item ? { ...base, repeat, item, index, origin: state.origins[repeat]?.[index] ?? null } : base;
}

/** The items of a repeat answer (empty when unanswered). */
export function repeatItems(state: CardState, repeat: string): RepeatItem[] {
  const v = state.answers[repeat];
  return Array.isArray(v) ? (v as RepeatItem[]) : [];
}

function confirmStep(section: SectionDef): Step {
  return { path: sectionPath(section.id), field: { id: section.id, type: 'note', label: section.title }, confirm: section };
}

/** A checklist tick's value: the yes/no field's id, or `field=option` for an option of a multi-choice field. */
export function checklistChoices(fields: FieldDef[]): Choice[] {
  const out: Choice[] = [];
  for (const f of fields) {
    if (f.type === 'yes_no') out.push({ value: f.id, label: f.short_label ?? f.label });
    else for (const ch of f.choices ?? []) {
      const label = f.short_label ? { zh: `${f.short_label.zh}：${ch.label.zh}`, en: `${f.short_label.en}: ${ch.label.en}` } : ch.label;
      out.push({ value: `${f.id}=${ch.value}`, label });
    }
  }
  return out;
}

function checklistStep(c: CompiledForm, id: string): Step {
  const fields = c.checklists.get(id)!;
  const first = fields[0];
  const field: FieldDef = {
    id, type: 'select_multiple', required: true, label: first.checklist_label ?? first.label, choices: checklistChoices(fields),
    ...(first.how_to_ask ? { how_to_ask: first.how_to_ask } : {}),
  };
  return { path: checklistPath(id), field, checklist: fields };
}

/** The fields of a checklist that apply now. */
export function checklistFields(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step): FieldDef[] {
  return step.checklist!.filter((f) => fieldRelevant(c, state, ctx, f));
}

/** Resolves a path to a step, or null if it names nothing that exists now. */
export function stepAt(c: CompiledForm, state: CardState, path: StepPath): Step | null {
  const p = parsePath(path);
  if (!p) return null;
  if (p.section) {
    const s = c.def.sections.find((x) => x.id === p.field);
    return s && c.confirmable.has(s.id) ? confirmStep(s) : null;
  }
  if (p.checklist) return c.checklists.has(p.field) ? checklistStep(c, p.field) : null;
  const top = c.byId.get(p.field);
  if (!top || top.type === 'calculate' || top.type === 'note') return null;
  if (p.sub === undefined) return { path, field: top, head: top.type === 'repeat' || undefined };
  const sub = c.subs.get(p.field)?.get(p.sub);
  if (!sub || sub.type === 'calculate' || sub.type === 'note') return null;
  if (p.across) {
    const group = c.across.get(p.field)?.find((g) => g[0].id === sub.id);
    return group ? { path, field: sub, repeat: p.field, across: group } : null;
  }
  if (p.index! >= repeatItems(state, p.field).length) return null;
  return { path, field: sub, repeat: p.field, index: p.index };
}

function fieldRelevant(c: CompiledForm, state: CardState, ctx: EngineContext, field: FieldDef, repeat?: string, index?: number): boolean {
  if (field.relevant === undefined) return true;
  return truthy(evaluate(field.relevant, scopeFor(c, state, ctx, repeat, index)));
}

/** Whether a step applies now (for an item's field, its repeat must apply too). */
export function isRelevant(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step): boolean {
  if (step.confirm) return confirmable(c, state, ctx, step.confirm).length > 0;
  if (step.repeat !== undefined && !fieldRelevant(c, state, ctx, c.byId.get(step.repeat)!)) return false;
  if (step.across) return acrossCells(c, state, ctx, step).length > 0;
  if (step.checklist) return checklistFields(c, state, ctx, step).length > 0;
  return fieldRelevant(c, state, ctx, step.field, step.repeat, step.index);
}

/** The carried-forward facts of a section that apply now and have a value from the previous card. */
function confirmable(c: CompiledForm, state: CardState, ctx: EngineContext, section: SectionDef): FieldDef[] {
  return (c.confirmable.get(section.id) ?? []).filter((f) => state.previous[f.id] !== undefined && fieldRelevant(c, state, ctx, f));
}

/** One cell of an across question: item k's answer to the group's field j. */
export interface AcrossCell {
  item: number;
  field: number;
  key: string;
}

/** The cells an across question asks about (item × field, where the field applies to the item), item by item. */
export function acrossCells(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step): AcrossCell[] {
  const out: AcrossCell[] = [];
  const n = repeatItems(state, step.repeat!).length;
  for (let k = 0; k < n; k++) {
    step.across!.forEach((f, j) => {
      if (fieldRelevant(c, state, ctx, f, step.repeat, k)) out.push({ item: k, field: j, key: `${k}.${j}` });
    });
  }
  return out;
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

/** The steps the field at `c.top[i]` stands for, in forward order (none for notes and calculations). */
function* stepsAt(c: CompiledForm, state: CardState, i: number): Generator<Step> {
  const f = c.top[i];
  const section = c.confirmAt.get(f.id);
  if (section) yield confirmStep(section);
  if (f.type === 'calculate' || f.type === 'note') return;
  // a checklist's fields are asked together where its first field stands
  if (f.checklist !== undefined) {
    if (c.checklistAt.get(f.id) === f.checklist) yield checklistStep(c, f.checklist);
    return;
  }
  if (f.type !== 'repeat') {
    yield { path: f.id, field: f };
    return;
  }
  const items = repeatItems(state, f.id);
  for (let k = 0; k < items.length; k++) {
    for (const sf of f.fields ?? []) {
      if (sf.type !== 'calculate' && sf.type !== 'note' && sf.ask !== 'across') yield { path: itemPath(f.id, k, sf.id), field: sf, repeat: f.id, index: k };
    }
  }
  yield { path: f.id, field: f, head: true };
  for (const g of c.across.get(f.id) ?? []) yield { path: acrossPath(f.id, g[0].id), field: g[0], repeat: f.id, across: g };
}

function* forwardFrom(c: CompiledForm, state: CardState, topIdx: number): Generator<Step> {
  for (let i = topIdx; i < c.top.length; i++) yield* stepsAt(c, state, i);
}

/**
 * Whether the field at `c.top[i]` stands for no step that waits, known without walking its steps: a note or a
 * calculation, or a plain question (no confirmation before it, not in a checklist, not a list) already answered.
 */
// copied once: read through an import they cost a property lookup each under tsx
const NO_STEP: number = WALK.none;
const PLAIN_STEP: number = WALK.plain;

function settledAt(c: CompiledForm, state: CardState, i: number): boolean {
  const kind = c.walkKind[i];
  return kind === NO_STEP || (kind === PLAIN_STEP && isAnswered(state.answers[c.top[i].id]));
}

/**
 * How many of the form's plain questions, in form order, are answered: read in one pass over the answers' own keys
 * in the order they were first given (the form's when a card is filled in order; other keys are passed over), up to
 * the first unanswered one. One pass of the key order costs far less than looking each field up in an object of a
 * hundred answers; answers given out of order only make the count shorter.
 */
function answeredPlainPrefix(c: CompiledForm, answers: CardState['answers']): number {
  const ids = c.plainIds;
  let j = 0;
  for (const k in answers) {
    if (k !== ids[j]) continue;
    if (!isAnswered(answers[k])) break;
    j++;
  }
  return j;
}

/** Every step in forward order (from the field at `topIdx` of `c.top` on, when given). */
export function allSteps(c: CompiledForm, state: CardState, topIdx = 0): Generator<Step> {
  return forwardFrom(c, state, topIdx);
}

/** Whether a step still waits for the user. */
export function isPending(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step): boolean {
  if (state.closed.includes(step.path)) return false;
  // a fact kept as "none of these" (an empty multi-choice) is done though it holds no value
  if (step.confirm) return confirmable(c, state, ctx, step.confirm).some((f) => !isAnswered(state.answers[f.id]) && !state.closed.includes(f.id));
  if (step.across) {
    if (step.repeat !== undefined && !fieldRelevant(c, state, ctx, c.byId.get(step.repeat)!)) return false;
    const items = repeatItems(state, step.repeat!);
    return acrossCells(c, state, ctx, step).some((x) => !isAnswered(items[x.item][step.across![x.field].id]));
  }
  if (step.checklist) {
    return checklistFields(c, state, ctx, step).some((f) => !isAnswered(state.answers[f.id]) && !state.closed.includes(f.id));
  }
  if (!step.head && isAnswered(answerAt(state, step))) return false;
  // optional evidence is not a question: a photo sent any time while the card is open is kept (attachPhoto)
  if (step.field.type === 'photo' && !isRequired(c, state, ctx, step)) return false;
  return isRelevant(c, state, ctx, step);
}

/** Index in `c.top` where a path's forward walk starts. */
function topIndexOf(c: CompiledForm, path: StepPath): number {
  const p = parsePath(path);
  if (!p) return 0;
  if (p.section) {
    const first = c.confirmable.get(p.field)?.[0];
    return first ? (c.topIndex.get(first.id) ?? 0) : 0;
  }
  if (p.checklist) {
    const first = c.checklists.get(p.field)?.[0];
    return first ? (c.topIndex.get(first.id) ?? 0) : 0;
  }
  return c.topIndex.get(p.field) ?? 0;
}

/**
 * The next step waiting for the user after `from` (forward order), else the first one from the start of the
 * form, else null (everything done: show the summary).
 */
export function nextPending(c: CompiledForm, state: CardState, ctx: EngineContext, from: StepPath | null): StepPath | null {
  let passed = false;
  if (from !== null) {
    for (const s of forwardFrom(c, state, topIndexOf(c, from))) {
      if (!passed) {
        passed = s.path === from;
        continue;
      }
      if (isPending(c, state, ctx, s)) return s.path;
    }
  }
  // nothing waits after `from`: the steps after it were all just looked at, so the wrap-around stops at it.
  // Answered plain questions are passed over without building their steps (the end of a long card walks them all).
  const known = answeredPlainPrefix(c, state.answers);
  for (let i = 0; i < c.top.length; i++) {
    const rank = c.plainRank[i];
    if ((rank >= 0 && rank < known) || settledAt(c, state, i)) {
      if (passed && c.top[i].id === from) return null;
      continue;
    }
    for (const s of stepsAt(c, state, i)) {
      if (isPending(c, state, ctx, s)) return s.path;
      if (passed && s.path === from) return null;
    }
  }
  return null;
}

/** A step "back" may land on: it applies now and the user answered it (not the engine). */
function isBackTarget(c: CompiledForm, state: CardState, ctx: EngineContext, s: Step): boolean {
  if (state.auto?.includes(s.path)) return false;
  if (s.field.type === 'photo' && !isRequired(c, state, ctx, s)) return false;
  return isRelevant(c, state, ctx, s);
}

/** Positional back: the previous step in forward order that applies now and was not filled by the engine. */
export function previousStep(c: CompiledForm, state: CardState, ctx: EngineContext, path: StepPath): StepPath | null {
  let prev: StepPath | null = null;
  for (const s of forwardFrom(c, state, 0)) {
    if (s.path === path) return prev;
    if (isBackTarget(c, state, ctx, s)) prev = s.path;
  }
  // an item field asked across, or a field of a checklist (reached by an edit), goes back like its question
  const p = parsePath(path);
  const group = p && p.sub === undefined && !p.section && !p.checklist ? c.byId.get(p.field)?.checklist : undefined;
  if (group !== undefined) return previousStep(c, state, ctx, checklistPath(group));
  if (p?.sub !== undefined && p.index !== undefined) {
    const group = c.across.get(p.field)?.find((g) => g.some((f) => f.id === p.sub));
    if (group) return previousStep(c, state, ctx, acrossPath(p.field, group[0].id));
  }
  return null;
}

/**
 * Whether `previousStep` would find a step: asked for every question shown (its "back" button). Relevance is judged
 * only until the first earlier target; after that only the path is looked for, which is the cheap part of the walk.
 */
export function hasPreviousStep(c: CompiledForm, state: CardState, ctx: EngineContext, path: StepPath): boolean {
  let target = false;
  for (const s of forwardFrom(c, state, 0)) {
    if (s.path === path) return false;
    if (isBackTarget(c, state, ctx, s)) {
      target = true;
      break;
    }
  }
  // a target comes first: the path only has to be in the forward order, which it can be no earlier than where
  // its own field stands, so the rest of the walk starts there (not from the top of the form)
  if (target) for (const s of forwardFrom(c, state, topIndexOf(c, path))) if (s.path === path) return true;
  return previousStep(c, state, ctx, path) !== null;
}

/** The first step still waiting inside a repeat's items, else the repeat's list step. */
export function firstPendingInRepeat(c: CompiledForm, state: CardState, ctx: EngineContext, repeat: string): StepPath {
  for (const s of forwardFrom(c, state, c.topIndex.get(repeat)!)) {
    if (s.confirm) continue;
    if (s.repeat !== repeat || s.across) break;
    if (isPending(c, state, ctx, s)) return s.path;
  }
  return repeat;
}

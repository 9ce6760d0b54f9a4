/** What the current step asks: everything the bot needs to render one question (no text decisions here). */
import type { Text } from '../text.js';
import { compile, type CompiledForm } from './compiled.js';
import { computeFigures, type ComputedFigure } from './compute.js';
import { previousValueAt } from './carry-forward.js';
import { addDays } from './dates.js';
import { displayValue, itemLabel, itemSummary } from './display.js';
import { acrossDefault, checklistDefault, checklistOptions, copyState, keepCarried } from './engine.js';
import { evaluate, isAnswered } from './expr.js';
import {
  acrossCells, allSteps, answerAt, checklistChoices, isRelevant, isRequired, hasPreviousStep, repeatItems, scopeFor, stepAt, type Step,
} from './navigation.js';
import { MONEY_MAX_DEFAULT } from './parse-answer.js';
import { firstChoiceField, itemBounds, offersPreviousItems } from './repeat-steps.js';
import type { CardState, EngineContext, StepPath } from './state.js';
import type { AnswerValue, Choice, FieldType, FormDefinition, RepeatItem, SectionDef } from './types.js';

/** A repeat's list step: the items so far and what can be done. */
export interface RepeatList {
  items: Array<{ index: number; summary: Text }>;
  canAdd: boolean;
  canFinish: boolean;
  min: number;
  max: number;
  /** the previous card's items, offered as "keep all (no change)" / "check one by one" */
  previousItems?: Text[];
  /** pressing one of these adds an item with it as the first answer (a policy's type, a problem's category) */
  firstChoices?: Choice[];
  /** labels of the fields one typed line fills (name, relation, ID number) */
  quickEntry?: Text[];
  /** the item just removed, which "undo" puts back */
  removed?: { index: number; summary: Text };
}

/**
 * A question over all items of a repeat, one or several yes/no fields at once: a tick is "yes". Cells key
 * `item.field`; a field that does not apply to an item has no cell.
 */
export interface AcrossQuestion {
  question: Text;
  /** the fields asked (short names for buttons) */
  fields: Text[];
  items: Array<{ index: number; label: Text; cells: Array<{ field: number; key: string; ticked: boolean }> }>;
}

/** A button that answers the question with a computed value. */
export interface Suggestion {
  value: string;
  label: Text;
}

/** One question to render. */
export interface Prompt {
  done: false;
  path: StepPath;
  /** a field, a repeat's list, a section's "same as last time?", or a question over all items */
  kind: 'field' | 'list' | 'confirm' | 'across';
  fieldId: string;
  type: FieldType;
  section: { id: string; title: Text; index: number; count: number };
  label: Text;
  hint?: Text;
  howToAsk?: Text;
  howToFill?: Text;
  required: boolean;
  canSkip: boolean;
  canBack: boolean;
  choices?: Choice[];
  /** select_multiple and across: the ticks so far (unconfirmed toggles, else the current answer) */
  selected?: string[];
  /** the answer already given on this card (after "back" or a jump), offered as "keep" */
  current?: AnswerValue;
  currentDisplay?: Text;
  /** the previous card's value of a carry_forward field, offered as "unchanged / change" */
  previous?: AnswerValue;
  previousDisplay?: Text;
  /** where the previous values come from: the registry's record (a first card) rather than the last card */
  previousFrom?: 'registry';
  /** show "unchanged" (keep current or previous) and "change" buttons */
  offerKeep: boolean;
  /** numeric bounds for integer/decimal/money; selection bounds for select_multiple */
  min?: number;
  max?: number;
  /** repeat item context for an item's field, e.g. "member 2" */
  repeat?: { id: string; label: Text; index: number; itemLabel: Text; count: number };
  /** for a repeat's list step */
  list?: RepeatList;
  /** for a section's confirmation: last time's facts */
  confirm?: { items: Array<{ label: Text; display: Text }> };
  across?: AcrossQuestion;
  suggestions?: Suggestion[];
  /** the section's notes, shown with its first question */
  notes: Text[];
  /** what the roster filled in this section (not asked, only shown), with its first question */
  known: Array<{ label: Text; display: Text }>;
  /** section k of n (1-based), and the question's number within its section: stable, never a jumping total */
  progress: { section: number; sections: number; question: number };
  /** computed figures to show (household net income, per-capita net vs poverty line …) */
  computed: ComputedFigure[];
}

/** The card is at its end: show the summary. */
export interface DonePrompt {
  done: true;
}

function sectionOfStep(c: CompiledForm, step: Step): SectionDef {
  if (step.checklist) return c.sectionOf.get(step.checklist[0].id)!;
  return step.confirm ?? c.sectionOf.get(step.repeat ?? step.field.id)!;
}

/** Builds the prompt of the current step, or `{ done: true }` when the summary is due. */
export function currentPrompt(form: FormDefinition, state: CardState, ctx: EngineContext): Prompt | DonePrompt {
  const c = compile(form);
  const step = state.cursor === null ? null : stepAt(c, state, state.cursor);
  if (!step) return { done: true };
  const f = step.field;
  const section = sectionOfStep(c, step);
  const required = !step.confirm && isRequired(c, state, ctx, step);
  const plain = !step.head && !step.across && !step.confirm;
  const current = plain ? answerAt(state, step) : undefined;
  const previous = plain ? previousValueAt(c, state, step) : undefined;
  const answered = isAnswered(current);
  const question = questionNumber(c, state, ctx, step, section);
  const p: Prompt = {
    done: false,
    path: step.path,
    kind: step.confirm ? 'confirm' : step.across ? 'across' : step.head ? 'list' : 'field',
    fieldId: f.id,
    type: f.type,
    section: { id: section.id, title: section.title, index: c.sectionIndex.get(section.id)!, count: form.sections.length },
    label: step.across ? (f.across_label ?? f.label) : f.label,
    required,
    canSkip: !required && plain && f.type !== 'note',
    canBack: hasPreviousStep(c, state, ctx, step.path),
    offerKeep: plain && state.changing !== step.path && (answered || previous !== undefined),
    notes: question === 1 ? (c.notes.get(section.id) ?? []).map((n) => n.label) : [],
    known: question === 1 ? knownIn(state, section) : [],
    progress: { section: c.sectionIndex.get(section.id)! + 1, sections: form.sections.length, question },
    computed: computeFigures(form, state, ctx, true),
  };
  if (state.previousFrom) p.previousFrom = state.previousFrom;
  if (f.hint) p.hint = f.hint;
  if (f.how_to_ask) p.howToAsk = f.how_to_ask;
  if (f.how_to_fill) p.howToFill = f.how_to_fill;
  if (f.choices && plain) p.choices = f.choices;
  if (answered) {
    p.current = current as AnswerValue;
    p.currentDisplay = displayValue(f, current);
  }
  if (previous !== undefined) {
    p.previous = previous;
    p.previousDisplay = displayValue(f, previous);
  }
  if (f.type === 'select_multiple' && plain) {
    p.selected = state.draft ?? (Array.isArray(current) ? (current as string[]) : []);
    if (f.min_selected !== undefined) p.min = f.min_selected;
    if (f.max_selected !== undefined) p.max = f.max_selected;
  }
  if (step.checklist) {
    p.choices = checklistOptions(c, state, ctx, step);
    p.selected = state.draft ?? checklistDefault(c, state, ctx, step);
  }
  if ((f.type === 'integer' || f.type === 'decimal' || f.type === 'money') && plain) {
    p.min = typeof f.min === 'number' ? f.min : 0;
    p.max = typeof f.max === 'number' ? f.max : f.type === 'money' ? MONEY_MAX_DEFAULT : 1_000_000;
  }
  if (step.repeat !== undefined && step.index !== undefined) {
    const r = c.byId.get(step.repeat)!;
    const item = repeatItems(state, r.id)[step.index];
    // "成员 2：张秀兰、配偶": who the question is about, as far as the item says yet
    p.repeat = { id: r.id, label: r.label, index: step.index, itemLabel: item ? itemSummary(r, item, step.index) : itemLabel(r, step.index), count: repeatItems(state, r.id).length };
  }
  if (step.head) p.list = repeatList(c, state, ctx, step, required);
  if (step.confirm) {
    // what "all unchanged" would keep: the facts that apply once the earlier ones are kept too
    const trial = copyState(state);
    const kept = keepCarried(c, trial, ctx, step.confirm);
    p.confirm = { items: kept.map((x) => ({ label: x.label, display: displayValue(x, state.previous[x.id]) })) };
  }
  if (step.across) p.across = acrossQuestion(c, state, ctx, step);
  if (f.suggest?.length && plain) p.suggestions = suggestions(c, state, ctx, step);
  return p;
}

function repeatList(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step, required: boolean): RepeatList {
  const items = repeatItems(state, step.field.id);
  const { min, max } = itemBounds(step.field, required);
  const list: RepeatList = {
    items: items.map((it, k) => ({ index: k, summary: itemSummary(step.field, it, k) })),
    canAdd: items.length < max,
    canFinish: items.length >= min,
    min,
    max,
  };
  if (offersPreviousItems(state, step.field.id)) {
    list.previousItems = (state.previous[step.field.id] as RepeatItem[]).map((it, k) => itemSummary(step.field, it, k));
  }
  const first = firstChoiceField(step.field);
  if (first && list.canAdd) list.firstChoices = first.choices;
  if (step.field.quick_entry?.length && list.canAdd) list.quickEntry = step.field.quick_entry.map((id) => c.subs.get(step.field.id)!.get(id)!.label);
  if (state.removed?.repeat === step.field.id) {
    list.removed = { index: state.removed.index, summary: itemSummary(step.field, state.removed.item, state.removed.index) };
  }
  return list;
}

function acrossQuestion(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step): AcrossQuestion {
  const r = c.byId.get(step.repeat!)!;
  const ticked = new Set(state.draft ?? acrossDefault(c, state, ctx, step));
  const items = repeatItems(state, r.id);
  const out: AcrossQuestion = {
    question: step.field.across_label ?? step.field.label,
    fields: step.across!.map((f) => f.short_label ?? f.label),
    items: [],
  };
  for (const x of acrossCells(c, state, ctx, step)) {
    let row = out.items.find((i) => i.index === x.item);
    if (!row) out.items.push((row = { index: x.item, label: itemSummary(r, items[x.item], x.item), cells: [] }));
    row.cells.push({ field: x.field, key: x.key, ticked: ticked.has(x.key) });
  }
  return out;
}

/** The section's answers the roster gave (prefilled, not asked). */
function knownIn(state: CardState, section: SectionDef): Array<{ label: Text; display: Text }> {
  return section.fields
    .filter((f) => f.prefill !== undefined && state.auto?.includes(f.id) && isAnswered(state.answers[f.id]))
    .map((f) => ({ label: f.label, display: displayValue(f, state.answers[f.id]) }));
}

/** Suggested answers, computed now (today's date, the head's name …), each with how it reads. */
function suggestions(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step): Suggestion[] {
  const out: Suggestion[] = [];
  const scope = scopeFor(c, state, ctx, step.repeat, step.index);
  for (const e of step.field.suggest ?? []) {
    const v = evaluate(e, scope);
    if (v === null || v === undefined || v === '') continue;
    const value = String(v);
    if (out.some((s) => s.value === value)) continue;
    let label = displayValue(step.field, value);
    if (step.field.type === 'date') {
      if (value === ctx.today) label = { zh: `今天 ${value}`, en: `Today ${value}` };
      else if (value === addDays(ctx.today, -1)) label = { zh: `昨天 ${value}`, en: `Yesterday ${value}` };
    }
    out.push({ value, label });
  }
  return out;
}

/**
 * The question's number within its section, counting the questions the user answers (not those the engine filled).
 * A list and its items share one number (items show which member or policy they are about), so adding an item
 * never moves the numbers of what follows.
 */
function questionNumber(c: CompiledForm, state: CardState, ctx: EngineContext, step: Step, section: SectionDef): number {
  const position = (s: Step) => (s.index !== undefined ? s.repeat! : s.path);
  const here = position(step);
  const seen: string[] = [];
  // a section's steps all stand among its own fields (top is in section order): the walk starts at its first one
  const first = section.fields.length ? (c.topIndex.get(section.fields[0].id) ?? 0) : 0;
  for (const s of allSteps(c, state, first)) {
    if (sectionOfStep(c, s).id !== section.id) continue;
    const key = position(s);
    if (key === here) return seen.length + 1;
    if (!seen.includes(key) && !state.auto?.includes(s.path) && isRelevant(c, state, ctx, s)) seen.push(key);
  }
  return seen.length + 1;
}

/** What a step's answer reads as now ("走访方式：电话联系"), to echo a typed answer; null when it has none. */
export function answerEcho(form: FormDefinition, state: CardState, path: StepPath): { label: Text; display: Text } | null {
  const c = compile(form);
  const step = stepAt(c, state, path);
  if (step?.checklist) return checklistEcho(c, state, step);
  if (!step || step.head || step.across || step.confirm) return null;
  const v = answerAt(state, step);
  return isAnswered(v) ? { label: step.field.label, display: displayValue(step.field, v) } : null;
}

/** What typed ticks of a checklist were read as: its section and the ticks, or （无）. */
function checklistEcho(c: CompiledForm, state: CardState, step: Step): { label: Text; display: Text } | null {
  if (!step.checklist!.some((f) => state.answers[f.id] !== undefined)) return null;
  const ticked = checklistChoices(step.checklist!).filter((ch) => {
    const [id, option] = ch.value.split('=');
    const v = state.answers[id];
    return option === undefined ? v === true : Array.isArray(v) && (v as unknown[]).includes(option);
  });
  const display = ticked.length
    ? { zh: ticked.map((t) => t.label.zh).join('、'), en: ticked.map((t) => t.label.en).join(', ') }
    : { zh: '（无）', en: '(none)' };
  return { label: sectionOfStep(c, step).title, display };
}

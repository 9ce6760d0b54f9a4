/** What the current step asks: everything the bot needs to render one question (no text decisions here). */
import type { Text } from '../text.js';
import { compile, type CompiledForm } from './compiled.js';
import { computeFigures, type ComputedFigure } from './compute.js';
import { previousValueAt } from './carry-forward.js';
import { displayValue, itemLabel, itemSummary } from './display.js';
import { isAnswered } from './expr.js';
import {
  allSteps, answerAt, isRelevant, isRequired, previousStep, repeatItems, stepAt, type Step,
} from './navigation.js';
import { MONEY_MAX_DEFAULT } from './parse-answer.js';
import { itemBounds, offersPreviousItems } from './repeat-steps.js';
import type { CardState, EngineContext, StepPath } from './state.js';
import type { AnswerValue, Choice, FieldType, FormDefinition, RepeatItem } from './types.js';

/** A repeat's list step: the items so far and what can be done. */
export interface RepeatList {
  items: Array<{ index: number; summary: Text }>;
  canAdd: boolean;
  canFinish: boolean;
  min: number;
  max: number;
  /** the previous card's items, offered as "keep all (no change)" / "check one by one" */
  previousItems?: Text[];
}

/** One question to render. */
export interface Prompt {
  done: false;
  path: StepPath;
  fieldId: string;
  type: FieldType;
  section: { id: string; title: Text };
  label: Text;
  hint?: Text;
  howToAsk?: Text;
  howToFill?: Text;
  required: boolean;
  canSkip: boolean;
  canBack: boolean;
  choices?: Choice[];
  /** select_multiple: the ticks so far (unconfirmed toggles, else the current answer) */
  selected?: string[];
  /** the answer already given on this card (after "back" or a jump), offered as "keep" */
  current?: AnswerValue;
  currentDisplay?: Text;
  /** the previous card's value of a carry_forward field, offered as "unchanged / change" */
  previous?: AnswerValue;
  previousDisplay?: Text;
  /** show "unchanged" (keep current or previous) and "change" buttons */
  offerKeep: boolean;
  /** numeric bounds for integer/decimal/money; selection bounds for select_multiple */
  min?: number;
  max?: number;
  /** repeat item context for an item's field, e.g. "member 2" */
  repeat?: { id: string; label: Text; index: number; itemLabel: Text; count: number };
  /** for a repeat's list step */
  list?: RepeatList;
  progress: { step: number; total: number };
  /** computed figures to show (household net income, per-capita net vs poverty line …) */
  computed: ComputedFigure[];
}

/** The card is at its end: show the summary. */
export interface DonePrompt {
  done: true;
}

/** Builds the prompt of the current step, or `{ done: true }` when the summary is due. */
export function currentPrompt(form: FormDefinition, state: CardState, ctx: EngineContext): Prompt | DonePrompt {
  const c = compile(form);
  const step = state.cursor === null ? null : stepAt(c, state, state.cursor);
  if (!step) return { done: true };
  const f = step.field;
  const section = c.sectionOf.get(step.repeat ?? f.id)!;
  const required = isRequired(c, state, ctx, step);
  const current = step.head ? undefined : answerAt(state, step);
  const previous = step.head ? undefined : previousValueAt(c, state, step);
  const answered = isAnswered(current);
  const p: Prompt = {
    done: false,
    path: step.path,
    fieldId: f.id,
    type: f.type,
    section: { id: section.id, title: section.title },
    label: f.label,
    required,
    canSkip: !required && !step.head && f.type !== 'note',
    canBack: previousStep(c, state, ctx, step.path) !== null,
    offerKeep: state.changing !== step.path && (answered || previous !== undefined),
    progress: progress(c, state, ctx, step.path),
    computed: computeFigures(form, state, ctx, true),
  };
  if (f.hint) p.hint = f.hint;
  if (f.how_to_ask) p.howToAsk = f.how_to_ask;
  if (f.how_to_fill) p.howToFill = f.how_to_fill;
  if (f.choices) p.choices = f.choices;
  if (answered) {
    p.current = current as AnswerValue;
    p.currentDisplay = displayValue(f, current);
  }
  if (previous !== undefined) {
    p.previous = previous;
    p.previousDisplay = displayValue(f, previous);
  }
  if (f.type === 'select_multiple') {
    p.selected = state.draft ?? (Array.isArray(current) ? (current as string[]) : []);
    if (f.min_selected !== undefined) p.min = f.min_selected;
    if (f.max_selected !== undefined) p.max = f.max_selected;
  }
  if (f.type === 'integer' || f.type === 'decimal' || f.type === 'money') {
    p.min = typeof f.min === 'number' ? f.min : 0;
    p.max = typeof f.max === 'number' ? f.max : f.type === 'money' ? MONEY_MAX_DEFAULT : 1_000_000;
  }
  if (step.repeat !== undefined) {
    const r = c.byId.get(step.repeat)!;
    p.repeat = { id: r.id, label: r.label, index: step.index!, itemLabel: itemLabel(r, step.index!), count: repeatItems(state, r.id).length };
  }
  if (step.head) p.list = repeatList(c, state, ctx, step, required);
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
  void ctx;
  return list;
}

/** Position of a step among the relevant steps (1-based) and the approximate total. */
function progress(c: CompiledForm, state: CardState, ctx: EngineContext, path: StepPath): { step: number; total: number } {
  let total = 0;
  let at = 0;
  for (const s of allSteps(c, state)) {
    if (!isRelevant(c, state, ctx, s)) continue;
    total++;
    if (s.path === path) at = total;
  }
  return { step: at, total };
}

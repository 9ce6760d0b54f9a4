/**
 * The summary before submitting: every relevant answer with its display value, computed figures, missing required
 * answers, and the cross-field rules (errors must be fixed, warnings confirmed).
 */
import type { Text } from '../text.js';
import { compile } from './compiled.js';
import { cardPovertyLine, computeFigures, type ComputedFigure } from './compute.js';
import { displayValue, itemLabel } from './display.js';
import { evaluate, isAnswered, truthy } from './expr.js';
import { isRelevant, isRequired, type Step } from './navigation.js';
import { itemBounds } from './repeat-steps.js';
import type { PovertyLineLookup } from './settings.js';
import type { CardState, EngineContext, StepPath } from './state.js';
import type { AnswerValue, Answers, FieldType, FormDefinition, RepeatItem } from './types.js';

/** One answered item on the summary. */
export interface SummaryItem {
  path: StepPath;
  fieldId: string;
  sectionId: string;
  label: Text;
  type: FieldType;
  value: AnswerValue;
  /** the value as shown (worked out when first read) */
  readonly display: Text;
  repeat?: { id: string; index: number; itemLabel: Text };
}

/**
 * A summary item whose shown value is worked out when first read: the overview shown after the last answer needs
 * only how many there are, and a long card's display values were much of its time.
 */
class Item implements SummaryItem {
  path: StepPath;
  fieldId: string;
  label: Text;
  type: FieldType;
  repeat?: SummaryItem['repeat'];
  #field: Step['field'];
  #shown: Text | undefined;
  constructor(step: Step, public sectionId: string, public value: AnswerValue) {
    this.path = step.path;
    this.fieldId = step.field.id;
    this.label = step.field.label;
    this.type = step.field.type;
    this.#field = step.field;
  }
  get display(): Text {
    return (this.#shown ??= displayValue(this.#field, this.value));
  }
  /** as a plain object (the shown value included), for JSON and deep comparisons */
  toJSON(): SummaryItem {
    return { path: this.path, fieldId: this.fieldId, sectionId: this.sectionId, label: this.label, type: this.type, value: this.value, display: this.display, ...(this.repeat ? { repeat: this.repeat } : {}) };
  }
}

/** A cross-field rule that fires on this card. */
export interface RuleResult {
  id: string;
  level: 'error' | 'warning';
  message: Text;
  fields: string[];
  confirmed: boolean;
}

/** Everything the summary screen shows. */
export interface Summary {
  items: SummaryItem[];
  computed: ComputedFigure[];
  povertyLine: PovertyLineLookup | null;
  /** required relevant steps without an answer (and repeats with too few items) */
  missing: Array<{ path: StepPath; label: Text }>;
  errors: RuleResult[];
  warnings: RuleResult[];
  /** true when nothing is pending or missing, no error fires and every warning is confirmed */
  canSubmit: boolean;
}

/**
 * The answers as they will be stored: answers of steps that are no longer relevant are dropped (relevance is
 * re-evaluated in form order on the answers kept so far).
 */
export function finalAnswers(form: FormDefinition, state: CardState, ctx: EngineContext): Answers {
  const c = compile(form);
  const work: CardState = { ...state, answers: {} };
  for (const f of c.top) {
    const v = state.answers[f.id];
    if (v === undefined || f.type === 'calculate') continue;
    if (!isRelevant(c, work, ctx, { path: f.id, field: f })) continue;
    if (f.type !== 'repeat') {
      work.answers[f.id] = v;
      continue;
    }
    const src = v as RepeatItem[];
    const kept: RepeatItem[] = src.map(() => ({}));
    work.answers[f.id] = kept;
    src.forEach((item, k) => {
      for (const sf of f.fields ?? []) {
        if (item[sf.id] === undefined) continue;
        if (isRelevant(c, work, ctx, { path: `${f.id}[${k}].${sf.id}`, field: sf, repeat: f.id, index: k })) kept[k][sf.id] = item[sf.id];
      }
    });
  }
  return work.answers;
}

/** Builds the summary of a card. */
export function summarize(form: FormDefinition, state: CardState, ctx: EngineContext): Summary {
  const c = compile(form);
  const answers = finalAnswers(form, state, ctx);
  const work: CardState = { ...state, answers };
  const items: SummaryItem[] = [];
  const missing: Summary['missing'] = [];
  const check = (step: Step, value: unknown, sectionId: string, repeat?: SummaryItem['repeat']) => {
    if (step.field.type === 'note') return;
    if (!isRelevant(c, work, ctx, step)) return;
    // "none of these" is an answer too: an empty multi-choice shows as （无）
    if (isAnswered(value) || (step.field.type === 'select_multiple' && Array.isArray(value))) {
      const item = new Item(step, sectionId, value as AnswerValue);
      // set, not spread in: a spread per answer was a good part of the summary's time on a long card
      if (repeat) item.repeat = repeat;
      items.push(item);
    } else if (isRequired(c, work, ctx, step)) missing.push({ path: step.path, label: step.field.label });
  };
  for (const f of c.top) {
    if (f.type === 'calculate') continue;
    const sectionId = c.sectionOf.get(f.id)!.id;
    if (f.type !== 'repeat') {
      check({ path: f.id, field: f }, answers[f.id], sectionId);
      continue;
    }
    const head: Step = { path: f.id, field: f, head: true };
    if (!isRelevant(c, work, ctx, head)) continue;
    const list = Array.isArray(answers[f.id]) ? (answers[f.id] as RepeatItem[]) : [];
    const { min } = itemBounds(f, isRequired(c, work, ctx, head));
    if (list.length < min || (answers[f.id] === undefined && !state.closed.includes(f.id))) {
      missing.push({ path: f.id, label: f.label });
    }
    list.forEach((item, k) => {
      for (const sf of f.fields ?? []) {
        if (sf.type === 'calculate') continue;
        const st: Step = { path: `${f.id}[${k}].${sf.id}`, field: sf, repeat: f.id, index: k };
        check(st, item[sf.id], sectionId, { id: f.id, index: k, itemLabel: itemLabel(f, k) });
      }
    });
  }
  const scope = { form: c, answers, previous: state.previous, ctx };
  const fired: RuleResult[] = (form.rules ?? [])
    .filter((r) => truthy(evaluate(r.when, scope)))
    .map((r) => ({ id: r.id, level: r.level, message: r.message, fields: r.fields, confirmed: state.confirmedWarnings.includes(r.id) }));
  const errors = fired.filter((r) => r.level === 'error');
  const warnings = fired.filter((r) => r.level === 'warning');
  return {
    items,
    computed: computeFigures(form, work, ctx),
    povertyLine: cardPovertyLine(form, work, ctx),
    missing,
    errors,
    warnings,
    canSubmit: state.cursor === null && missing.length === 0 && errors.length === 0 && warnings.every((w) => w.confirmed),
  };
}

/** Whether the card can be submitted now. */
export function canSubmit(form: FormDefinition, state: CardState, ctx: EngineContext): boolean {
  return summarize(form, state, ctx).canSubmit;
}

/** Records that the user confirmed every warning currently shown on the summary. */
export function confirmWarnings(form: FormDefinition, state: CardState, ctx: EngineContext): CardState {
  const ids = summarize(form, state, ctx).warnings.map((w) => w.id);
  return { ...state, confirmedWarnings: [...new Set([...state.confirmedWarnings, ...ids])] };
}

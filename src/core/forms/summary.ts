/**
 * The summary before submitting: every relevant answer with its display value, computed figures, missing required
 * answers, and the cross-field rules (errors must be fixed, warnings confirmed).
 */
import type { Text } from '../text.js';
import { compile, type CompiledForm } from './compiled.js';
import { cardPovertyLine, computeFigures, type ComputedFigure } from './compute.js';
import { displayValue, itemLabel } from './display.js';
import { evaluate, isAnswered, truthy, type Scope } from './expr.js';
import { itemBounds } from './repeat-steps.js';
import type { PovertyLineLookup } from './settings.js';
import type { CardState, EngineContext, StepPath } from './state.js';
import type { AnswerValue, Answers, FieldDef, FieldType, FormDefinition, RepeatItem } from './types.js';

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
  fieldId: string;
  label: Text;
  type: FieldType;
  repeat?: SummaryItem['repeat'];
  #field: FieldDef;
  #shown: Text | undefined;
  constructor(public path: StepPath, field: FieldDef, public sectionId: string, public value: AnswerValue) {
    this.fieldId = field.id;
    this.label = field.label;
    this.type = field.type;
    this.#field = field;
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
  /** the answers shown, in form order (made when first read: the overview needs only `answered`) */
  items: SummaryItem[];
  /** how many answers `items` holds */
  answered: number;
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
  return keptAnswers(compile(form), state, ctx);
}

const relevantIn = (f: FieldDef, scope: Scope): boolean => f.relevant === undefined || truthy(evaluate(f.relevant, scope));

function requiredIn(f: FieldDef, scope: Scope): boolean {
  const r = f.required;
  if (r === undefined || r === false) return false;
  return r === true || truthy(evaluate(r, scope));
}

/** The scope of repeat item k (as `scopeFor` builds it over these answers). */
function itemScope(top: Scope, state: CardState, repeat: string, item: RepeatItem | undefined, k: number): Scope {
  return item ? { ...top, repeat, item, index: k, origin: state.origins[repeat]?.[k] ?? null } : top;
}

/** What the summary does with a top-level field, decided while the answers are kept (see `summarize`). */
const enum Plan {
  /** not shown: a calculation or a note, or a field that does not apply */
  Skip = 0,
  /** its kept answer is shown */
  Shown = 1,
  /** applies without a shown answer: missing if required */
  Unanswered = 2,
  /** its relevance reads later answers: judged again on the final answers */
  Judge = 3,
  /** a repeat that applies */
  List = 4,
}

/** Per top-level field: the plan, and the kept answer. */
interface Planned {
  plan: Uint8Array;
  values: unknown[];
}

/**
 * `finalAnswers` on a compiled form. A step's relevance is judged as `isRelevant` judges it on the answers kept so
 * far (an item's field: its repeat's relevance, then its own in the item); one scope serves a whole item, since the
 * kept item is filled in place. With `out`, also plans the summary (`summarize`).
 */
function keptAnswers(c: CompiledForm, state: CardState, ctx: EngineContext, out?: Planned): Answers {
  const answers: Answers = {};
  const top: Scope = { form: c, answers, previous: state.previous, ctx };
  for (let i = 0; i < c.top.length; i++) {
    const f = c.top[i];
    if (f.type === 'calculate') continue;
    const v = state.answers[f.id];
    const early = c.early[i];
    if (v === undefined) {
      // a field whose relevance reads only earlier answers is judged the same on these as on the final answers
      if (out && f.type !== 'note') out.plan[i] = !early ? Plan.Judge : !relevantIn(f, top) ? Plan.Skip : f.type === 'repeat' ? Plan.List : Plan.Unanswered;
      continue;
    }
    if (!relevantIn(f, top)) {
      // a note is never on the summary (the plain definition skips it too), whatever value a hand-made state holds
      if (out && !early && f.type !== 'note') out.plan[i] = Plan.Judge;
      continue;
    }
    if (f.type !== 'repeat') {
      answers[f.id] = v;
      if (out && f.type !== 'note') {
        out.values[i] = v;
        out.plan[i] = !early ? Plan.Judge : shown(f, v) ? Plan.Shown : Plan.Unanswered;
      }
      continue;
    }
    if (out) out.plan[i] = early ? Plan.List : Plan.Judge;
    const src = v as RepeatItem[];
    const kept: RepeatItem[] = src.map(() => ({}));
    answers[f.id] = kept;
    // a repeat whose relevance reads only earlier answers stays relevant while its own items are kept
    const again = !early;
    const subs = f.fields ?? [];
    src.forEach((item, k) => {
      let scope: Scope | undefined;
      for (const sf of subs) {
        if (item[sf.id] === undefined) continue;
        if (again && !relevantIn(f, top)) continue;
        if (sf.relevant !== undefined && !truthy(evaluate(sf.relevant, (scope ??= itemScope(top, state, f.id, kept[k], k))))) continue;
        kept[k][sf.id] = item[sf.id];
      }
    });
  }
  return answers;
}

/**
 * The common case, without building the final answers: every field's relevance reads only earlier answers and no
 * answer is dropped. Then the final answers hold what the state holds under every name an expression can read
 * (`c.namesKnown`), and each field judged on the state's answers was judged on them. Plans the summary as
 * `keptAnswers` does; false as soon as either does not hold.
 */
function quickPlan(c: CompiledForm, state: CardState, ctx: EngineContext, out: Planned): boolean {
  if (!c.namesKnown) return false;
  const answers = state.answers;
  const top: Scope = { form: c, answers, previous: state.previous, ctx };
  for (let i = 0; i < c.top.length; i++) {
    const f = c.top[i];
    if (f.type === 'calculate') continue;
    if (!c.early[i]) return false;
    const v = answers[f.id];
    const relevant = relevantIn(f, top);
    // an answer the final answers would drop
    if (v !== undefined && !relevant) return false;
    if (f.type === 'note' || !relevant) continue;
    if (f.type !== 'repeat') {
      out.values[i] = v;
      out.plan[i] = shown(f, v) ? Plan.Shown : Plan.Unanswered;
      continue;
    }
    out.plan[i] = Plan.List;
    if (v === undefined) continue;
    if (!Array.isArray(v)) return false;
    const early = c.earlySub.get(f.id)!;
    const subs = f.fields ?? [];
    for (let k = 0; k < v.length; k++) {
      const item = v[k] as RepeatItem;
      let scope: Scope | undefined;
      for (let j = 0; j < subs.length; j++) {
        const sf = subs[j];
        if (item[sf.id] === undefined) continue;
        if (!early[j]) return false;
        if (sf.relevant !== undefined && !truthy(evaluate(sf.relevant, (scope ??= itemScope(top, state, f.id, item, k))))) return false;
      }
    }
  }
  return true;
}

/** Whether a value shows as an answer: "none of these" (an empty multi-choice) is an answer too, shown as （无）. */
function shown(f: FieldDef, v: unknown): boolean {
  return isAnswered(v) || (f.type === 'select_multiple' && Array.isArray(v));
}

/**
 * Builds the summary of a card: every step that applies on the final answers (as `isRelevant` judges it), with its
 * answer or as missing. A field whose relevance reads only earlier answers (`c.early`) was judged on the same
 * answers while they were kept, so most of the card is decided in that one walk; the rest is judged again here.
 * test/unit/forms-summary-oracle.test.ts compares this with the step-by-step definition on random forms.
 */
export function summarize(form: FormDefinition, state: CardState, ctx: EngineContext): Summary {
  const c = compile(form);
  const planned: Planned = { plan: new Uint8Array(c.top.length), values: new Array<unknown>(c.top.length) };
  let answers = state.answers;
  if (!quickPlan(c, state, ctx, planned)) {
    planned.plan.fill(Plan.Skip);
    answers = keptAnswers(c, state, ctx, planned);
  }
  const { plan, values } = planned;
  const work: CardState = { ...state, answers };
  const top: Scope = { form: c, answers, previous: state.previous, ctx };
  // where each shown answer is (field, item, sub-field; item -1 at top level): the items are made when first read
  const at: number[] = [];
  const missing: Summary['missing'] = [];
  for (let i = 0; i < c.top.length; i++) {
    let p = plan[i];
    if (p === Plan.Skip) continue;
    const f = c.top[i];
    if (p === Plan.Judge) {
      if (!relevantIn(f, top)) continue;
      p = f.type === 'repeat' ? Plan.List : shown(f, (values[i] = answers[f.id])) ? Plan.Shown : Plan.Unanswered;
    }
    if (p === Plan.Shown) at.push(i, -1, -1);
    else if (p === Plan.Unanswered) {
      if (requiredIn(f, top)) missing.push({ path: f.id, label: f.label });
    } else listSummary(c, state, work, top, i, at, missing);
  }
  const fired: RuleResult[] = [];
  for (const r of form.rules ?? []) {
    if (truthy(evaluate(r.when, top))) fired.push({ id: r.id, level: r.level, message: r.message, fields: r.fields, confirmed: state.confirmedWarnings.includes(r.id) });
  }
  const errors = fired.filter((r) => r.level === 'error');
  const warnings = fired.filter((r) => r.level === 'warning');
  let items: SummaryItem[] | undefined;
  return {
    get items() {
      return (items ??= makeItems(c, answers, values, at));
    },
    set items(v: SummaryItem[]) {
      items = v;
    },
    answered: at.length / 3,
    computed: computeFigures(form, work, ctx),
    povertyLine: cardPovertyLine(form, work, ctx),
    missing,
    errors,
    warnings,
    canSubmit: state.cursor === null && missing.length === 0 && errors.length === 0 && warnings.every((w) => w.confirmed),
  };
}

/** The summary's items, from where the shown answers are (`summarize`). */
function makeItems(c: CompiledForm, answers: Answers, values: unknown[], at: number[]): SummaryItem[] {
  const out: SummaryItem[] = [];
  let repeat: SummaryItem['repeat'];
  for (let n = 0; n < at.length; n += 3) {
    const [i, k, j] = [at[n], at[n + 1], at[n + 2]];
    const f = c.top[i];
    if (k < 0) {
      out.push(new Item(f.id, f, c.sectionIdAt[i], values[i] as AnswerValue));
      continue;
    }
    const sf = f.fields![j];
    const it = new Item(`${f.id}[${k}].${sf.id}`, sf, c.sectionIdAt[i], (answers[f.id] as RepeatItem[])[k][sf.id]);
    // one description per list item, shared by its answers
    if (repeat?.id !== f.id || repeat.index !== k) repeat = { id: f.id, index: k, itemLabel: itemLabel(f, k) };
    it.repeat = repeat;
    out.push(it);
  }
  return out;
}

/** A repeat that applies: too few items (or never finished) is missing; then each item's fields that apply. */
function listSummary(c: CompiledForm, state: CardState, work: CardState, top: Scope, i: number, at: number[], missing: Summary['missing']): void {
  const f = c.top[i];
  const v = work.answers[f.id];
  const list = Array.isArray(v) ? (v as RepeatItem[]) : [];
  const { min } = itemBounds(f, requiredIn(f, top));
  if (list.length < min || (v === undefined && !state.closed.includes(f.id))) missing.push({ path: f.id, label: f.label });
  const early = c.earlySub.get(f.id)!;
  const src = state.answers[f.id] as RepeatItem[] | undefined;
  const subs = f.fields ?? [];
  for (let k = 0; k < list.length; k++) {
    const item = list[k];
    let scope: Scope | undefined;
    for (let j = 0; j < subs.length; j++) {
      const sf = subs[j];
      if (sf.type === 'calculate' || sf.type === 'note') continue;
      const value = item[sf.id];
      // the repeat applies (its list step was judged on these answers); then the field's own relevance, known from
      // the keeping when it reads only earlier answers and had one
      const rel = early[j] && src![k][sf.id] !== undefined ? value !== undefined : relevantIn(sf, (scope ??= itemScope(top, work, f.id, item, k)));
      if (!rel) continue;
      if (shown(sf, value)) at.push(i, k, j);
      else if (requiredIn(sf, (scope ??= itemScope(top, work, f.id, item, k)))) missing.push({ path: `${f.id}[${k}].${sf.id}`, label: sf.label });
    }
  }
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

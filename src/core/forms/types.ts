/**
 * Form definition types: the dynamic information card (and any other card) is data, in the spirit of XLSForm.
 * A definition is validated once by `validateFormDefinition` and then used read-only by the engine.
 */
import type { Text } from '../text.js';

/**
 * A condition or computation: a small JSON/YAML expression tree, evaluated by `evaluate` (never `eval`).
 * Literals are strings, numbers, booleans or null; operators are one-key objects, e.g.
 * `{ eq: [ { field: cause_main }, 因病 ] }`. See `expr.ts` for the full operator list.
 */
export type Expr = string | number | boolean | null | Expr[] | { [op: string]: unknown };

/** Every field type the engine knows. `note` and `calculate` take no answer from the user. */
export const FIELD_TYPES = [
  'text', 'integer', 'decimal', 'money', 'date', 'select_one', 'select_multiple', 'yes_no', 'phone', 'id_number',
  'location', 'photo', 'note', 'repeat', 'calculate',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** One option of a choice field. `value` is what is stored (the registry's own wording). */
export interface Choice {
  value: string;
  label: Text;
  /** What people type for it (儿子 for the registry's 之子): understood when typed, never shown. */
  aliases?: string[];
}

/** A constraint on the answer: `expr` sees the new value as `{ self: true }`; `message` is shown when it is false. */
export interface Constraint {
  expr: Expr;
  message: Text;
}

/**
 * One field of a form. Numbers:
 * - `money` is stored as a JSON number of **yuan** with at most 2 decimals (e.g. 1234.5); sums are done in integer fen.
 * - `decimal` is the same parser for areas (mu, m²) and distances (km).
 * - `date` is stored as `YYYY-MM-DD`; `location` as `{ lat, lon, atMs }`; `photo` as `{ fileId, atMs }`.
 */
export interface FieldDef {
  id: string;
  type: FieldType;
  label: Text;
  hint?: Text;
  how_to_ask?: Text;
  how_to_fill?: Text;
  /** true/false, or an expression (e.g. `{ setting: evidence.require_location_start }`). Default false. */
  required?: boolean | Expr;
  relevant?: Expr;
  constraint?: Constraint;
  choices?: Choice[];
  /** integer/decimal/money: numeric bounds; date: `YYYY-MM-DD` or an expression giving one. */
  min?: number | string | Expr;
  max?: number | string | Expr;
  /** date: refuse a date after today. */
  not_future?: boolean;
  /** date (birth dates): refuse a date giving an age above this at the visit date. */
  max_age_years?: number;
  /** text: maximum length (default 500). */
  max_length?: number;
  /** select_multiple: bounds on how many options may be ticked. */
  min_selected?: number;
  max_selected?: number;
  /** calculate: the expression and how its value is shown. */
  calculate?: Expr;
  value_type?: 'money' | 'integer' | 'decimal' | 'yes_no' | 'text';
  /** calculate: show this figure on prompts (when it has a value). */
  display?: boolean;
  /** Household facts: offered as "unchanged / change" from the previous card. */
  carry_forward?: boolean;
  /** Carry forward from a different field id of the previous card (e.g. review last card's `measures`). */
  carry_forward_from?: string;
  /** location: refuse a location that is not live/current (a forwarded location is always refused). */
  live_only?: boolean;
  /**
   * What the system already knows (a roster fact such as `{ fact: head_name }`): shown, not asked. A field that does
   * not carry forward takes it on every card; a carry_forward field only when the previous card has no value.
   */
  prefill?: Expr;
  /**
   * Answered without asking while this evaluates to a value the field accepts (re-evaluated as other answers change;
   * null means "ask"): a birth date read from the ID number, 达标 for an item nobody ticked as a problem.
   */
  autofill?: Expr;
  /** Buttons that answer with a computed value (today's date, the head's name); typing stays possible. */
  suggest?: Expr[];
  /** repeat sub-field of type yes_no: asked once over all items after the list ("which members …?"). */
  ask?: 'across';
  /** across: the question over all items, e.g. "每人的医保、养老保险和低保"; a group takes its first field's. */
  across_label?: Text;
  /** across: fields of one repeat with the same group are asked as one grid (members × fields). */
  across_group?: string;
  /** across: the tick a cell starts with when neither this card nor the last one has a value (default false). */
  across_default?: boolean;
  /** a short name for grid buttons ("医保"); in a checklist, the prefix of a multi-choice field's options ("种"). */
  short_label?: Text;
  /**
   * Top-level yes_no and select_multiple fields of one section with the same checklist id are asked as one
   * multi-select ("以下哪些情况属实？"): a ticked yes/no is 是 and an unticked one 否; a multi-choice field's options
   * are ticks of their own. Every field still gets its own answer (summary, export, edits); nothing is stored twice.
   */
  checklist?: string;
  /** checklist: the question (on the group's first field). */
  checklist_label?: Text;
  /** repeat: sub-field ids that one typed line at the list step fills (name, relation, ID number in one message). */
  quick_entry?: string[];
  /** repeat: begin with one item when there is nothing to carry forward (the head as member 1). */
  start_with_one?: boolean;
  /** repeat: take the previous card's items without asking (last time's measures, each to be reviewed). */
  auto_keep?: boolean;
  /** repeat: the fields of one item, bounds and how an item is named (`{n}` = 1-based number). */
  fields?: FieldDef[];
  min_items?: number;
  max_items?: number;
  item_label?: Text;
  /** repeat: sub-field ids whose values name an item in lists (default: the first two). */
  item_summary?: string[];
}

/** A titled group of fields; sections only structure the card (briefing, summary headings). */
export interface SectionDef {
  id: string;
  title: Text;
  fields: FieldDef[];
}

/** A cross-field rule: when `when` is true the card has an error (must be fixed) or a warning (must be confirmed). */
export interface CrossRule {
  id: string;
  level: 'error' | 'warning';
  when: Expr;
  message: Text;
  /** Field ids the rule is about (for "edit" links); top-level ids or repeat ids. */
  fields: string[];
}

/** A whole form definition as loaded from YAML. */
export interface FormDefinition {
  id: string;
  version: number;
  title: Text;
  /** The field holding the visit date: ages are computed at this date (today if unanswered). */
  visit_date_field?: string;
  sections: SectionDef[];
  rules: CrossRule[];
}

/** A location answer. */
export interface LocationValue {
  lat: number;
  lon: number;
  atMs: number;
}

/** A photo answer (a Telegram file id or any channel's file reference). */
export interface PhotoValue {
  fileId: string;
  atMs: number;
}

/** One repeat item: sub-field id → value. */
export type RepeatItem = Record<string, ScalarValue>;

/** A non-repeat answer value. */
export type ScalarValue = string | number | boolean | string[] | LocationValue | PhotoValue;

/** Any stored answer: scalars, or a list of items for a repeat. */
export type AnswerValue = ScalarValue | RepeatItem[];

/** All answers of a card: top-level field id → value. */
export type Answers = Record<string, AnswerValue>;

/**
 * Evaluates condition/computation trees. Operators (one-key objects):
 *
 * - values: `{ field: id }` (in a repeat item, its own sub-fields first, then top level; calculate fields are
 *   computed), `{ self: true }` (the value under constraint), `{ previous: id }` (previous card), `{ fact: name }`
 *   (household facts from context), `{ setting: dotted.path }`, `{ today: true }`
 * - logic: `and`, `or` (lists), `not`, `if: [cond, then, else]`
 * - compare: `eq`, `ne`, `gt`, `gte`, `lt`, `lte` (`[a, b]`; numbers, or strings such as dates; null → false),
 *   `in: [a, [v1, v2]]`, `has: [multi, v]`, `answered: e`, `empty: e`
 * - arithmetic (null in → null out): `add`, `sub`, `mul`, `div`, `min`, `max`, `round: [x, digits]`;
 *   `sum: [...]` treats empty as 0
 * - repeats: `count`, `any`, `all`, `sum_over`, `first` with `{ repeat: id, where?: e, value?: e }`
 * - dates: `age: e` (whole years at the visit date), `days_between: [a, b]` (b − a), `year_of: e`
 * - `count_selected: e`, `poverty_line: {}` (yuan for the visit year and region), `monitoring_range: {}` (the same for
 *   the monitoring range)
 * - repeat items: `item_index: true` (0-based), `from_previous: true` (the item came from the previous card),
 *   `previous_item: id` (that item's value on the previous card)
 * - ID numbers (GB 11643, 18 characters): `id_birth_date: e` ('YYYY-MM-DD'), `id_gender: e` ('男' / '女');
 *   null when the number is not a valid one
 * - `add_days: [date, n]` ('YYYY-MM-DD' n days later; n may be negative)
 */
import type { Answers, Expr, RepeatItem } from './types.js';
import type { EngineContext } from './state.js';
import { monitoringRangeFor, povertyLineFor, settingAt } from './settings.js';
import type { CompiledForm } from './compiled.js';
import { addDays, ageAt, daysBetween, isDateString } from './dates.js';
import { idBirthDate, idGender } from './id-number.js';

/** Everything an expression can see. */
export interface Scope {
  form: CompiledForm;
  answers: Answers;
  previous: Answers;
  ctx: EngineContext;
  /** when evaluating inside a repeat item */
  repeat?: string;
  item?: RepeatItem;
  /** the item's position, and the previous card's item it came from (null: new on this card) */
  index?: number;
  origin?: number | null;
  self?: unknown;
  depth?: number;
}

/** Whether a value counts as "true" in a condition. */
export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && v !== undefined && v !== false && v !== 0 && v !== '';
}

/** Whether a value counts as answered (not null, not empty text, not an empty list). */
export function isAnswered(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  return !(Array.isArray(v) && v.length === 0);
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const clean = (n: number): number => Math.round(n * 1e6) / 1e6;

function compare(a: unknown, b: unknown, op: string): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === 'gt' ? x > y : op === 'gte' ? x >= y : op === 'lt' ? x < y : x <= y;
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return (a ?? null) === (b ?? null);
}

/** The visit date used for ages and the poverty-line year: the form's visit date field, else today. */
export function visitDate(scope: Scope): string {
  const f = scope.form.def.visit_date_field;
  const v = f ? scope.answers[f] : undefined;
  return typeof v === 'string' && isDateString(v) ? v : scope.ctx.today;
}

function fieldValue(scope: Scope, id: string): unknown {
  if (scope.repeat && scope.item && scope.form.subs.get(scope.repeat)?.has(id)) {
    const sub = scope.form.subs.get(scope.repeat)!.get(id)!;
    if (sub.type === 'calculate') return evalNested(sub.calculate ?? null, scope);
    return scope.item[id] ?? null;
  }
  const f = scope.form.byId.get(id);
  if (f?.type === 'calculate') return evalNested(f.calculate ?? null, { ...scope, repeat: undefined, item: undefined });
  return scope.answers[id] ?? null;
}

function evalNested(e: Expr, scope: Scope): unknown {
  const depth = (scope.depth ?? 0) + 1;
  if (depth > 40) throw new Error('expression nesting too deep (calculate cycle?)');
  return evaluate(e, { ...scope, depth });
}

function items(scope: Scope, repeat: string): RepeatItem[] {
  const v = scope.answers[repeat];
  return Array.isArray(v) ? (v as RepeatItem[]) : [];
}

function overItems(scope: Scope, arg: Record<string, unknown>): Array<{ item: RepeatItem; s: Scope }> {
  const repeat = arg.repeat as string;
  const out: Array<{ item: RepeatItem; s: Scope }> = [];
  for (const item of items(scope, repeat)) {
    const s: Scope = { ...scope, repeat, item };
    if (arg.where === undefined || truthy(evaluate(arg.where as Expr, s))) out.push({ item, s });
  }
  return out;
}

/** An operator's list argument evaluated (a plain function: a closure per evaluation cost more than the operator). */
function evalList(arg: unknown, scope: Scope): unknown[] {
  if (!Array.isArray(arg)) return [];
  const out = new Array<unknown>(arg.length);
  for (let i = 0; i < arg.length; i++) out[i] = evaluate(arg[i] as Expr, scope);
  return out;
}

/** Evaluates an expression tree in a scope. Unknown shapes evaluate to null (the validator rejects them first). */
export function evaluate(e: Expr, scope: Scope): unknown {
  if (e === null || typeof e !== 'object') return e;
  if (Array.isArray(e)) return evalList(e, scope);
  let op = '';
  for (const k in e) {
    op = k;
    break;
  }
  const arg = (e as Record<string, unknown>)[op];
  switch (op) {
    case 'field': return fieldValue(scope, arg as string);
    case 'self': return scope.self ?? null;
    case 'previous': return scope.previous[arg as string] ?? null;
    case 'fact': return scope.ctx.householdFacts?.[arg as string] ?? null;
    case 'setting': return settingAt(scope.ctx.settings, arg as string);
    case 'today': return scope.ctx.today;
    case 'and': return (arg as Expr[]).every((a) => truthy(evaluate(a, scope)));
    case 'or': return (arg as Expr[]).some((a) => truthy(evaluate(a, scope)));
    case 'not': return !truthy(evaluate(arg as Expr, scope));
    case 'if': {
      const [c, a, b] = arg as Expr[];
      return truthy(evaluate(c, scope)) ? evaluate(a, scope) : evaluate(b, scope);
    }
    case 'eq': { const [a, b] = evalList(arg, scope); return same(a, b); }
    case 'ne': { const [a, b] = evalList(arg, scope); return !same(a, b); }
    case 'gt': case 'gte': case 'lt': case 'lte': { const [a, b] = evalList(arg, scope); return compare(a, b, op); }
    case 'in': {
      const [a, list] = evalList(arg, scope);
      return Array.isArray(list) && list.includes(a);
    }
    case 'has': {
      const [a, v] = evalList(arg, scope);
      return Array.isArray(a) && a.includes(v);
    }
    case 'answered': return isAnswered(evaluate(arg as Expr, scope));
    case 'empty': return !isAnswered(evaluate(arg as Expr, scope));
    case 'add': case 'sub': case 'mul': case 'div': case 'min': case 'max': {
      const ns = evalList(arg, scope).map(num);
      if (ns.some((n) => n === null)) return null;
      const [first, ...rest] = ns as number[];
      if (op === 'min') return Math.min(first, ...rest);
      if (op === 'max') return Math.max(first, ...rest);
      if (op === 'div') return rest[0] === 0 ? null : first / rest[0];
      return clean(rest.reduce((acc, n) => (op === 'add' ? acc + n : op === 'sub' ? acc - n : acc * n), first));
    }
    case 'sum': return clean(evalList(arg, scope).reduce<number>((acc, v) => acc + (num(v) ?? 0), 0));
    case 'round': {
      const [x, d] = evalList(arg, scope);
      const n = num(x);
      const f = 10 ** (num(d) ?? 0);
      return n === null ? null : Math.round(n * f) / f;
    }
    case 'count': return overItems(scope, arg as Record<string, unknown>).length;
    case 'any': return overItems(scope, arg as Record<string, unknown>).length > 0;
    case 'all': {
      const a = arg as Record<string, unknown>;
      return items(scope, a.repeat as string).length === overItems(scope, a).length;
    }
    case 'sum_over': {
      const a = arg as Record<string, unknown>;
      return clean(overItems(scope, a).reduce((acc, { s }) => acc + (num(evaluate(a.value as Expr, s)) ?? 0), 0));
    }
    case 'first': {
      const a = arg as Record<string, unknown>;
      const hit = overItems(scope, a)[0];
      return hit ? evaluate(a.value as Expr, hit.s) : null;
    }
    case 'count_selected': {
      const v = evaluate(arg as Expr, scope);
      return Array.isArray(v) ? v.length : 0;
    }
    case 'age': {
      const b = evaluate(arg as Expr, scope);
      return typeof b === 'string' && isDateString(b) ? ageAt(b, visitDate(scope)) : null;
    }
    case 'days_between': {
      const [a, b] = evalList(arg, scope);
      return typeof a === 'string' && typeof b === 'string' && isDateString(a) && isDateString(b) ? daysBetween(a, b) : null;
    }
    case 'year_of': {
      const v = evaluate(arg as Expr, scope);
      return typeof v === 'string' && isDateString(v) ? Number(v.slice(0, 4)) : null;
    }
    case 'item_index': return scope.index ?? null;
    case 'from_previous': return scope.origin !== undefined && scope.origin !== null;
    case 'previous_item': {
      const prev = scope.repeat !== undefined && scope.origin !== undefined && scope.origin !== null ? scope.previous[scope.repeat] : undefined;
      return Array.isArray(prev) ? ((prev[scope.origin!] as RepeatItem | undefined)?.[arg as string] ?? null) : null;
    }
    case 'id_birth_date': {
      const v = evaluate(arg as Expr, scope);
      return typeof v === 'string' ? idBirthDate(v) : null;
    }
    case 'id_gender': {
      const v = evaluate(arg as Expr, scope);
      return typeof v === 'string' ? idGender(v) : null;
    }
    case 'add_days': {
      const [d, n] = evalList(arg, scope);
      return typeof d === 'string' && isDateString(d) && num(n) !== null ? addDays(d, num(n)!) : null;
    }
    case 'poverty_line': {
      const line = povertyLineFor(scope.ctx.settings, Number(visitDate(scope).slice(0, 4)), scope.ctx.region);
      return line ? line.yuan : null;
    }
    case 'monitoring_range': {
      const range = monitoringRangeFor(scope.ctx.settings, Number(visitDate(scope).slice(0, 4)), scope.ctx.region);
      return range ? range.yuan : null;
    }
    default: return null;
  }
}

/** Known operators and the shape of their argument (used by the validator). */
export const OPERATORS: Record<string, 'ref' | 'setting' | 'any' | 'list' | 'pair' | 'triple' | 'one' | 'repeat'> = {
  field: 'ref', self: 'any', previous: 'ref', fact: 'setting', setting: 'setting', today: 'any',
  and: 'list', or: 'list', not: 'one', if: 'triple',
  eq: 'pair', ne: 'pair', gt: 'pair', gte: 'pair', lt: 'pair', lte: 'pair', in: 'pair', has: 'pair',
  answered: 'one', empty: 'one', add: 'list', sub: 'list', mul: 'list', div: 'pair', min: 'list', max: 'list',
  sum: 'list', round: 'pair', count: 'repeat', any: 'repeat', all: 'repeat', sum_over: 'repeat', first: 'repeat',
  count_selected: 'one', age: 'one', days_between: 'pair', year_of: 'one', poverty_line: 'any', monitoring_range: 'any',
  item_index: 'any', from_previous: 'any', previous_item: 'ref', id_birth_date: 'one', id_gender: 'one', add_days: 'pair',
};

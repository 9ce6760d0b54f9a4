/**
 * Turns one user input into a typed answer for a field, or a MessageRef that says what is accepted.
 * Type checks come first, then bounds, then the field's own constraint.
 */
import type { KeysUnder } from '../i18n-keys.js';
import type { MessageRef } from '../text.js';
import { maskPersonalNumbers } from '../people/privacy.js';
import type { Choice, Expr, FieldDef, ScalarValue } from './types.js';
import { evaluate, truthy, type Scope } from './expr.js';
import { addDays, ageAt, isDateString, normalizeDate, toHalfWidth } from './dates.js';
import { visitDate } from './expr.js';
import { isValidIdNumber } from './id-number.js';
import { chineseNumber, hasChineseNumerals } from './chinese-number.js';

export { isValidIdNumber };

/** One user input to the engine. */
export type Input =
  | { kind: 'text'; text: string }
  | { kind: 'choice'; value: string }
  | { kind: 'toggle'; value: string }
  | { kind: 'done' }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'keep' }
  | { kind: 'change' }
  | { kind: 'skip' }
  | { kind: 'back' }
  | { kind: 'next' }
  | { kind: 'add' }
  | { kind: 'finish' }
  | { kind: 'remove'; index: number }
  | { kind: 'undo' }
  | { kind: 'location'; lat: number; lon: number; forwarded?: boolean; live?: boolean }
  | { kind: 'photo'; fileId: string };

type Parsed = { ok: true; value: ScalarValue } | { ok: false; error: MessageRef };

const fail = (key: KeysUnder<'form.err'>, params?: Record<string, string | number>): Parsed => ({
  ok: false,
  error: params ? { key: `form.err.${key}`, params } : { key: `form.err.${key}` },
});

/** Default bounds of money fields (yuan). */
export const MONEY_MAX_DEFAULT = 10_000_000;

/** Finds a choice by value, by zh/en label, or by its 1-based number as typed. */
export function matchChoice(choices: Choice[], typed: string): Choice | undefined {
  const t = toHalfWidth(typed).trim();
  const lower = t.toLowerCase();
  const byValue = choices.find((c) => c.value === t || c.label.zh === t || c.label.en.toLowerCase() === lower || c.aliases?.includes(t));
  if (byValue) return byValue;
  if (/^\d{1,2}$/.test(t)) return choices[Number(t) - 1];
  return undefined;
}

/** Units people type after a number; the field says what the number is, so they are dropped. */
const UNIT_RE = /(块钱|块|元|yuan|rmb|亩|mu|平方米|平米|㎡|m²|m2|km|公里|分钟|min(ute)?s?|个月|months?|天|days?|人|口|次|岁|周岁)$/i;

/**
 * A typed number: full-width digits, thousands separators, a unit (`45分钟`, `6个月`, `80平方米`) and the Chinese
 * multipliers 万 and 千 (`1.2万` is 12000), or Chinese numerals (`七十五`, `两千五`; see chinese-number.ts). At most
 * `decimals` decimals in the result.
 */
function parseNumber(text: string, decimals: number): number | null {
  let t = toHalfWidth(text).trim().replace(/[,，\s]/g, '').replace(/^(约|大约|大概)/, '');
  t = t.replace(UNIT_RE, '');
  const arabic = parseArabic(t, decimals);
  if (arabic !== null || !hasChineseNumerals(t)) return arabic;
  const n = chineseNumber(t);
  if (n === null) return null;
  const rounded = Math.round(n * 10 ** decimals) / 10 ** decimals;
  return rounded === n ? n : null;
}

function parseArabic(text: string, decimals: number): number | null {
  let t = text;
  let factor = 1;
  if (/万$/.test(t)) factor = 10_000;
  else if (/千$/.test(t)) factor = 1_000;
  if (factor !== 1) t = t.slice(0, -1);
  const places = factor === 1 ? decimals : decimals + 4;
  const re = places === 0 ? /^[+-]?\d{1,12}$/ : new RegExp(`^[+-]?\\d{1,12}(\\.\\d{1,${places}})?$`);
  if (!re.test(t)) return null;
  const n = Math.round(Number(t) * factor * 10 ** decimals) / 10 ** decimals;
  // 1.23456万 = 12345.6: fine for money (2 decimals), not for an integer field
  return Math.abs(n * 10 ** decimals - Number(t) * factor * 10 ** decimals) < 1e-6 ? n : null;
}

function textOf(input: Input): string | null {
  return input.kind === 'text' ? input.text : input.kind === 'choice' ? input.value : null;
}

/**
 * Parses an input for a field. `draft` is the list of ticks when a select_multiple is confirmed with "done".
 * Returns the value to store or an error MessageRef; never throws on bad user input.
 */
export function parseAnswer(field: FieldDef, input: Input, scope: Scope, draft?: string[]): Parsed {
  const r = parseByType(field, input, scope, draft);
  if (!r.ok || !field.constraint) return r;
  const ok = truthy(evaluate(field.constraint.expr, { ...scope, self: r.value }));
  return ok ? r : fail('constraint', { zh: field.constraint.message.zh, en: field.constraint.message.en });
}

function boundOf(b: number | string | Expr | undefined, scope: Scope): unknown {
  if (b === undefined) return undefined;
  return typeof b === 'object' ? evaluate(b as Expr, scope) : b;
}

function parseByType(field: FieldDef, input: Input, scope: Scope, draft?: string[]): Parsed {
  const text = textOf(input);
  switch (field.type) {
    case 'text': {
      if (text === null) return fail('text_expected');
      const t = text.trim();
      const max = field.max_length ?? 500;
      if (!t) return fail('text_empty');
      return t.length > max ? fail('text_too_long', { max }) : { ok: true, value: t };
    }
    case 'integer': case 'decimal': case 'money': {
      const isMoney = field.type === 'money';
      const min = typeof field.min === 'number' ? field.min : 0;
      const max = typeof field.max === 'number' ? field.max : isMoney ? MONEY_MAX_DEFAULT : 1_000_000;
      const key = field.type === 'integer' ? 'not_integer' : isMoney ? 'not_money' : 'not_decimal';
      if (text === null) return fail(key, { min, max });
      const n = parseNumber(text, field.type === 'integer' ? 0 : 2);
      if (n === null) return fail(key, { min, max });
      if (n < min || n > max) return fail(field.type === 'integer' ? 'integer_range' : isMoney ? 'money_range' : 'decimal_range', { min, max });
      return { ok: true, value: n };
    }
    case 'date': return parseDate(field, text, scope);
    case 'phone': {
      if (text === null) return fail('not_phone');
      const t = toHalfWidth(text).replace(/[\s-]/g, '').replace(/^\+?86/, '');
      return /^1[3-9]\d{9}$/.test(t) ? { ok: true, value: t } : fail('not_phone');
    }
    case 'id_number': {
      if (text === null) return fail('not_id_number');
      const t = toHalfWidth(text).trim().toUpperCase();
      return isValidIdNumber(t) ? { ok: true, value: t } : fail('not_id_number');
    }
    case 'yes_no': {
      if (input.kind === 'yes') return { ok: true, value: true };
      if (input.kind === 'no') return { ok: true, value: false };
      const t = (text ?? '').trim().toLowerCase();
      if (['是', '有', 'yes', 'y', '1', 'true'].includes(t)) return { ok: true, value: true };
      if (['否', '没有', '无', 'no', 'n', '0', 'false'].includes(t)) return { ok: true, value: false };
      return fail('yes_no');
    }
    case 'select_one': {
      const c = text === null ? undefined : matchChoice(field.choices ?? [], text);
      return c ? { ok: true, value: c.value } : fail('choose_one');
    }
    case 'select_multiple': return parseMulti(field, input, draft);
    case 'location': {
      if (input.kind !== 'location') return fail('location_needed');
      if (input.forwarded) return fail('location_forwarded');
      if (field.live_only && input.live === false) return fail('location_not_live');
      const { lat, lon } = input;
      if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return fail('location_invalid');
      return { ok: true, value: { lat, lon, atMs: scope.ctx.nowMs } };
    }
    case 'photo':
      if (input.kind !== 'photo' || !input.fileId) return fail('photo_needed');
      return { ok: true, value: { fileId: input.fileId, atMs: scope.ctx.nowMs } };
    default:
      return fail('not_here');
  }
}

function parseDate(field: FieldDef, text: string | null, scope: Scope): Parsed {
  const d = text === null ? null : spokenDate(text, scope.ctx.today, !!field.not_future) ?? normalizeDate(text);
  // the example is today, so the hint never shows a date from another year
  if (!d) return fail('not_date', { example: scope.ctx.today });
  if (field.not_future && d > scope.ctx.today) return fail('date_future', { today: scope.ctx.today });
  if (field.max_age_years !== undefined && ageAt(d, visitDate(scope)) > field.max_age_years) {
    return fail('age_too_high', { max: field.max_age_years });
  }
  const min = boundOf(field.min, scope);
  const max = boundOf(field.max, scope);
  if (typeof min === 'string' && d < min) return fail('date_before', { min });
  if (typeof max === 'string' && d > max) return fail('date_after', { max });
  return { ok: true, value: d };
}

/**
 * Dates as people say them: 今天 / 昨天 / 前天, or a month and day without the year (`11月10日`, `11-10`), which
 * means this year (last year for a date that cannot be in the future and would be).
 */
function spokenDate(text: string, today: string, notFuture: boolean): string | null {
  const t = toHalfWidth(text).trim().toLowerCase();
  const back: Record<string, number> = { 今天: 0, 今日: 0, today: 0, 昨天: 1, 昨日: 1, yesterday: 1, 前天: 2 };
  // own keys only: `in` also finds "constructor", "toString" … of the prototype (a typed "constructor" crashed here)
  if (Object.hasOwn(back, t)) return addDays(today, -back[t]);
  const m = /^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$/.exec(t);
  if (!m) return null;
  const md = `${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}`;
  const year = Number(today.slice(0, 4));
  const d = `${year}-${md}`;
  if (!isDateString(d)) return null;
  return notFuture && d > today ? (isDateString(`${year - 1}-${md}`) ? `${year - 1}-${md}` : null) : d;
}

/** What the user typed, masked and cut to fit an error message (no ID number or pasted essay echoed back whole). */
function shortened(typed: string): string {
  const chars = Array.from(maskPersonalNumbers(typed));
  return chars.length > 30 ? `${chars.slice(0, 30).join('')}…` : chars.join('');
}

function parseMulti(field: FieldDef, input: Input, draft?: string[]): Parsed {
  let picked: string[];
  if (input.kind === 'done') picked = draft ?? [];
  else if (input.kind === 'text') {
    picked = [];
    for (const part of toHalfWidth(input.text).split(/[,;、\s]+/).filter(Boolean)) {
      const c = matchChoice(field.choices ?? [], part);
      if (!c) return fail('unknown_choice', { typed: shortened(part) });
      if (!picked.includes(c.value)) picked.push(c.value);
    }
  } else return fail('choose_many');
  const order = (field.choices ?? []).map((c) => c.value);
  picked = picked.filter((v) => order.includes(v)).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const min = field.min_selected ?? 0;
  const max = field.max_selected ?? order.length;
  if (picked.length < min) return fail('choose_min', { min });
  if (picked.length > max) return fail('choose_max', { max });
  return { ok: true, value: picked };
}

/** Calculate fields (household net income, per-capita net income, poverty line …) evaluated on the answers. */
import type { Text } from '../text.js';
import { compile } from './compiled.js';
import { displayValue } from './display.js';
import { evaluate, truthy, visitDate, type Scope } from './expr.js';
import { povertyLineFor, type PovertyLineLookup } from './settings.js';
import type { CardState, EngineContext } from './state.js';
import type { Answers, FieldDef, FormDefinition } from './types.js';

/** One computed figure with its display text. */
export interface ComputedFigure {
  id: string;
  label: Text;
  valueType: NonNullable<FieldDef['value_type']>;
  value: number | string | boolean;
  display: Text;
}

function roundFor(f: FieldDef, v: unknown): number | string | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    if (f.value_type === 'integer') return Math.round(v);
    if (f.value_type === 'money' || f.value_type === 'decimal') return Math.round(v * 100) / 100;
    return v;
  }
  if (f.value_type === 'yes_no') return truthy(v);
  return typeof v === 'string' || typeof v === 'boolean' ? v : null;
}

/**
 * Evaluates the top-level calculate fields that are relevant and have a value. With `displayedOnly`, only those
 * marked `display: true` (the figures shown on prompts).
 */
export function computeFigures(form: FormDefinition, state: CardState, ctx: EngineContext, displayedOnly = false): ComputedFigure[] {
  const c = compile(form);
  const scope: Scope = { form: c, answers: state.answers, previous: state.previous, ctx };
  const out: ComputedFigure[] = [];
  for (const f of c.top) {
    if (f.type !== 'calculate' || (displayedOnly && !f.display)) continue;
    if (f.relevant !== undefined && !truthy(evaluate(f.relevant, scope))) continue;
    const v = roundFor(f, evaluate(f.calculate ?? null, scope));
    if (v === null) continue;
    out.push({ id: f.id, label: f.label, valueType: f.value_type ?? 'text', value: v, display: displayValue(f, v) });
  }
  return out;
}

/** The poverty line that applies to this card (visit year, context region), or null if none is configured. */
export function cardPovertyLine(form: FormDefinition, state: CardState, ctx: EngineContext): PovertyLineLookup | null {
  const scope: Scope = { form: compile(form), answers: state.answers, previous: state.previous, ctx };
  return povertyLineFor(ctx.settings, Number(visitDate(scope).slice(0, 4)), ctx.region);
}

/** The computed figures of a stored card (its answers hold no calculate fields). */
export function figuresOfAnswers(form: FormDefinition, answers: Answers, ctx: EngineContext): ComputedFigure[] {
  const state: CardState = { formId: form.id, formVersion: form.version, cursor: null, answers, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: 0 };
  return computeFigures(form, state, ctx);
}

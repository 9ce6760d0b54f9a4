/**
 * Lookup tables derived from a (validated) form definition, built once per definition object and cached.
 */
import type { FieldDef, FormDefinition, SectionDef } from './types.js';

/** Fast access to a form's fields. */
export interface CompiledForm {
  def: FormDefinition;
  /** top-level fields in form order (calculate fields included) */
  top: FieldDef[];
  topIndex: Map<string, number>;
  byId: Map<string, FieldDef>;
  sectionOf: Map<string, SectionDef>;
  /** repeat id → (sub-field id → sub-field) */
  subs: Map<string, Map<string, FieldDef>>;
  /** fields that take an answer or a step (not calculate), top level, in order */
  stepFields: FieldDef[];
}

const cache = new WeakMap<FormDefinition, CompiledForm>();

/** Returns the cached lookup tables of a form definition. */
export function compile(def: FormDefinition): CompiledForm {
  const hit = cache.get(def);
  if (hit) return hit;
  const top: FieldDef[] = [];
  const sectionOf = new Map<string, SectionDef>();
  for (const s of def.sections) {
    for (const f of s.fields) {
      top.push(f);
      sectionOf.set(f.id, s);
    }
  }
  const subs = new Map<string, Map<string, FieldDef>>();
  for (const f of top) {
    if (f.type === 'repeat') subs.set(f.id, new Map((f.fields ?? []).map((sf) => [sf.id, sf])));
  }
  const compiled: CompiledForm = {
    def,
    top,
    topIndex: new Map(top.map((f, i) => [f.id, i])),
    byId: new Map(top.map((f) => [f.id, f])),
    sectionOf,
    subs,
    stepFields: top.filter((f) => f.type !== 'calculate'),
  };
  cache.set(def, compiled);
  return compiled;
}

/** The field at a parsed path (a repeat's sub-field when `sub` is given). */
export function fieldAt(c: CompiledForm, field: string, sub?: string): FieldDef | undefined {
  return sub === undefined ? c.byId.get(field) : c.subs.get(field)?.get(sub);
}

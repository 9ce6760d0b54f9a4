/**
 * Lookup tables derived from a (validated) form definition, built once per definition object and cached.
 */
import { earlyRelevance } from './reach.js';
import type { FieldDef, FormDefinition, SectionDef } from './types.js';

/** Fast access to a form's fields. */
export interface CompiledForm {
  def: FormDefinition;
  /** top-level fields in form order (calculate fields included) */
  top: FieldDef[];
  /** the section id of each field of `top` */
  sectionIdAt: string[];
  topIndex: Map<string, number>;
  byId: Map<string, FieldDef>;
  sectionOf: Map<string, SectionDef>;
  /** repeat id → (sub-field id → sub-field) */
  subs: Map<string, Map<string, FieldDef>>;
  /** fields that take an answer or a step (not calculate), top level, in order */
  stepFields: FieldDef[];
  /** section id → its position (0-based) */
  sectionIndex: Map<string, number>;
  /** the first carried field of each confirmable section → that section (its confirmation step comes before it) */
  confirmAt: Map<string, SectionDef>;
  /**
   * Sections whose carried-forward facts are confirmed together ("the same as last time?"): those with at least two
   * carry_forward fields outside repeats (a repeat confirms its own items on its list step).
   */
  confirmable: Map<string, FieldDef[]>;
  /** repeat id → its questions asked once over all items: groups of sub-fields (one grid each), in field order */
  across: Map<string, FieldDef[][]>;
  /** checklist id → its fields (top level, form order); asked as one multi-select at the first one's place */
  checklists: Map<string, FieldDef[]>;
  /** the first field of each checklist → the checklist id */
  checklistAt: Map<string, string>;
  /** notes of each section, shown with the section's first question (notes are not questions) */
  notes: Map<string, FieldDef[]>;
  /**
   * Per field of `top`: its relevance reads only answers of fields before it (or it has none), so it is the same
   * whether judged while the answers are kept in form order or on the final answers (reach.ts).
   */
  early: boolean[];
  /** repeat id → the same per sub-field: reads only earlier sub-fields of its item and fields before the repeat */
  earlySub: Map<string, boolean[]>;
  /** every relevance, requirement, calculation and rule names only fields of the form */
  namesKnown: boolean;
  /**
   * Per field of `top`, what it stands for in the forward walk: no step (a note or a calculation), one plain question
   * (done once answered), or steps to walk (a list, a checklist, a section's confirmation before it).
   */
  walkKind: Uint8Array;
  /** the plain questions' ids in form order; per field of `top`, its place among them (-1: not one) */
  plainIds: string[];
  plainRank: Int32Array;
  /** repeat fields, in form order */
  repeats: FieldDef[];
  /** fields the engine may fill (an autofill of its own, or a repeat with autofilled sub-fields), in form order */
  autofilled: FieldDef[];
  /** repeat id → its sub-fields with an autofill */
  autofillSubs: Map<string, FieldDef[]>;
}

/** `CompiledForm.walkKind`: no step; one plain question; steps to walk. */
export const WALK = { none: 0, plain: 1, steps: 2 } as const;

/** Sections need this many carried facts before they are confirmed as a block. */
const MIN_CONFIRMABLE = 2;

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
    sectionIdAt: top.map((f) => sectionOf.get(f.id)!.id),
    topIndex: new Map(top.map((f, i) => [f.id, i])),
    byId: new Map(top.map((f) => [f.id, f])),
    sectionOf,
    subs,
    stepFields: top.filter((f) => f.type !== 'calculate'),
    sectionIndex: new Map(def.sections.map((s, i) => [s.id, i])),
    confirmAt: new Map(),
    confirmable: new Map(),
    across: new Map(),
    checklists: new Map(),
    checklistAt: new Map(),
    notes: new Map(def.sections.map((s) => [s.id, s.fields.filter((f) => f.type === 'note')])),
    early: [],
    earlySub: new Map(),
    namesKnown: false,
    walkKind: new Uint8Array(top.length),
    plainIds: [],
    plainRank: new Int32Array(top.length).fill(-1),
    repeats: top.filter((f) => f.type === 'repeat'),
    autofilled: [],
    autofillSubs: new Map(),
  };
  Object.assign(compiled, earlyRelevance({ ...compiled, visitDateField: def.visit_date_field }, top, def.rules ?? []));
  for (const s of def.sections) {
    const carried = s.fields.filter((f) => f.carry_forward && f.type !== 'repeat' && f.type !== 'note' && f.type !== 'calculate');
    if (carried.length < MIN_CONFIRMABLE) continue;
    compiled.confirmable.set(s.id, carried);
    compiled.confirmAt.set(carried[0].id, s);
  }
  for (const f of top) {
    if (f.checklist === undefined) continue;
    const group = compiled.checklists.get(f.checklist);
    if (group) group.push(f);
    else {
      compiled.checklists.set(f.checklist, [f]);
      compiled.checklistAt.set(f.id, f.checklist);
    }
  }
  for (const f of top) {
    if (f.type !== 'repeat') continue;
    const groups: FieldDef[][] = [];
    for (const sf of (f.fields ?? []).filter((x) => x.ask === 'across')) {
      const group = sf.across_group === undefined ? undefined : groups.find((g) => g[0].across_group === sf.across_group);
      if (group) group.push(sf);
      else groups.push([sf]);
    }
    if (groups.length) compiled.across.set(f.id, groups);
  }
  for (const f of top) {
    const subs = (f.fields ?? []).filter((sf) => sf.autofill !== undefined);
    if (f.type === 'repeat' ? subs.length > 0 : f.autofill !== undefined) compiled.autofilled.push(f);
    if (f.type === 'repeat') compiled.autofillSubs.set(f.id, subs);
  }
  top.forEach((f, i) => {
    compiled.walkKind[i] = compiled.confirmAt.has(f.id) ? WALK.steps
      : f.type === 'calculate' || f.type === 'note' ? WALK.none
        : f.checklist === undefined && f.type !== 'repeat' ? WALK.plain : WALK.steps;
    if (compiled.walkKind[i] !== WALK.plain) return;
    compiled.plainRank[i] = compiled.plainIds.length;
    compiled.plainIds.push(f.id);
  });
  cache.set(def, compiled);
  return compiled;
}

/** The field at a parsed path (a repeat's sub-field when `sub` is given). */
export function fieldAt(c: CompiledForm, field: string, sub?: string): FieldDef | undefined {
  return sub === undefined ? c.byId.get(field) : c.subs.get(field)?.get(sub);
}

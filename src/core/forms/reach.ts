/**
 * Which answers an expression can read, as positions in form order: the summary uses it to know that a field's
 * relevance, judged while the final answers are kept in form order, is the same on the final answers (it reads
 * only answers kept before it). Conservative: anything not understood counts as reading everything.
 */
import type { CrossRule, FieldDef } from './types.js';

/** The last positions an expression reads: in `top` (index), and inside its own repeat item (sub-field index). */
export interface Reach {
  top: number;
  sub: number;
}

/** What the analysis needs of a compiled form (compiled.ts calls it while building one). */
export interface ReachForm {
  topIndex: Map<string, number>;
  byId: Map<string, FieldDef>;
  subs: Map<string, Map<string, FieldDef>>;
  visitDateField?: string;
}

/** Deeper than this (a calculate cycle inside a repeat, which the validator does not look for): reads everything. */
const MAX_DEPTH = 64;

/** operators that read a whole repeat's items: `{ count: { repeat, where, value } }` … */
const OVER_ITEMS = new Set(['count', 'any', 'all', 'sum_over', 'first']);
/** operators that read the visit date field's answer (ages and the visit year's lines) */
const AT_VISIT = new Set(['age', 'poverty_line', 'monitoring_range']);

/**
 * The reach of an expression evaluated at top level (`own` undefined) or inside an item of repeat `own`. Mirrors
 * `evaluate`'s lookups: `{ field }` is the item's own sub-field first, then a top-level field; a calculate field
 * reads what its expression reads; every key of an object is walked, not only the operator `evaluate` takes.
 */
export function reachOf(f: ReachForm, e: unknown, own?: string): Reach {
  const out: Reach = { top: -1, sub: -1 };
  walk(f, e, own, own, out, 0);
  return out;
}

function walk(f: ReachForm, e: unknown, scopeRepeat: string | undefined, own: string | undefined, out: Reach, depth: number): void {
  if (e === null || typeof e !== 'object') return;
  if (depth > MAX_DEPTH) {
    out.top = Infinity;
    return;
  }
  if (Array.isArray(e)) {
    for (const x of e) walk(f, x, scopeRepeat, own, out, depth + 1);
    return;
  }
  for (const [k, arg] of Object.entries(e as Record<string, unknown>)) {
    if (k === 'field') {
      if (typeof arg !== 'string') out.top = Infinity;
      else ref(f, arg, scopeRepeat, own, out, depth);
    } else if (OVER_ITEMS.has(k) && arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
      const a = arg as Record<string, unknown>;
      if (typeof a.repeat !== 'string') out.top = Infinity;
      else {
        at(f, a.repeat, out);
        // inside, `{ field }` names that repeat's sub-fields over all its items: read through the repeat itself
        for (const [ak, av] of Object.entries(a)) if (ak !== 'repeat') walk(f, av, a.repeat, undefined, out, depth + 1);
      }
    } else {
      if (AT_VISIT.has(k) && f.visitDateField !== undefined) at(f, f.visitDateField, out);
      walk(f, arg, scopeRepeat, own, out, depth + 1);
    }
  }
}

function ref(f: ReachForm, id: string, scopeRepeat: string | undefined, own: string | undefined, out: Reach, depth: number): void {
  const sub = scopeRepeat === undefined ? undefined : f.subs.get(scopeRepeat)?.get(id);
  if (sub) {
    if (sub.type === 'calculate') walk(f, sub.calculate ?? null, scopeRepeat, own, out, depth + 1);
    else if (scopeRepeat === own) out.sub = Math.max(out.sub, [...f.subs.get(scopeRepeat!)!.keys()].indexOf(id));
    else at(f, scopeRepeat!, out);
    return;
  }
  const top = f.byId.get(id);
  // a top-level calculation is evaluated outside any item (as `evaluate` does)
  if (top?.type === 'calculate') walk(f, top.calculate ?? null, undefined, undefined, out, depth + 1);
  else if (top) at(f, id, out);
  // a name the form does not have (the validator refuses it) reads whatever the answers hold under it
  else out.top = Infinity;
}

function at(f: ReachForm, id: string, out: Reach): void {
  const i = f.topIndex.get(id);
  if (i !== undefined) out.top = Math.max(out.top, i);
}

/**
 * Per top-level field (index in `top`): whether its relevance reads only answers of fields before it (or it has
 * none). Per repeat: the same for each sub-field (index in `fields`), where "before" is an earlier sub-field of the
 * same item or a field before the repeat, and the repeat's own relevance must qualify too.
 */
export function earlyRelevance(f: ReachForm, top: FieldDef[], rules: CrossRule[]): { early: boolean[]; earlySub: Map<string, boolean[]>; namesKnown: boolean } {
  const early = top.map((x, i) => x.relevant === undefined || reachOf(f, x.relevant).top < i);
  const earlySub = new Map<string, boolean[]>();
  top.forEach((x, i) => {
    if (x.type !== 'repeat') return;
    earlySub.set(x.id, (x.fields ?? []).map((sf, j) => {
      if (!early[i]) return false;
      if (sf.relevant === undefined) return true;
      const r = reachOf(f, sf.relevant, x.id);
      return r.top < i && r.sub < j;
    }));
  });
  // every expression the summary evaluates names only fields of the form (always so once validated)
  const known = (e: unknown, own?: string) => e === undefined || reachOf(f, e, own).top !== Infinity;
  const namesKnown = rules.every((r) => known(r.when))
    && top.every((x) => known(x.relevant) && known(x.required) && known(x.calculate)
      && (x.fields ?? []).every((sf) => known(sf.relevant, x.id) && known(sf.required, x.id) && known(sf.calculate, x.id)));
  return { early, earlySub, namesKnown };
}

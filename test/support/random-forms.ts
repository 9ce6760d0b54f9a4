/**
 * Random card forms and states for property tests of the engine's shortcuts: relevance reading earlier and later
 * fields, itself, repeats' items, sibling sub-fields either side, calculations, the visit date; rules; carried
 * facts confirmed by section; answers to fields that no longer apply (as after edits).
 */
import {
  compile, validateFormDefinition, type CardState, type EngineContext, type Expr, type FormDefinition, type RepeatItem,
} from '../../src/core/forms/index.js';
import { engineContext } from './engine-context.js';

export const ctx: EngineContext = engineContext;
export const L = (zh: string) => ({ zh, en: zh });
const CHOICES = [{ value: 'a', label: L('甲') }, { value: 'b', label: L('乙') }, { value: 'c', label: L('丙') }];

/** A small seeded generator (mulberry32): one seed gives one form and its states, reproducibly. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

const PLAIN = ['integer', 'text', 'select_one', 'select_multiple', 'yes_no', 'date'] as const;
type Plain = (typeof PLAIN)[number];
interface Ref { id: string; type: Plain | 'repeat' | 'calculate'; subs?: Ref[] }

/** A condition on one field, of a shape that fits its type. */
function condOn(r: Rng, f: Ref): Expr {
  const v = { field: f.id };
  switch (f.type) {
    case 'integer': return r.pick([{ gte: [v, r.int(5)] }, { lt: [v, r.int(5)] }, { answered: v }]);
    case 'calculate': return r.pick([{ gt: [v, r.int(6)] }, { answered: v }]);
    case 'select_one': return r.pick([{ eq: [v, r.pick(['a', 'b'])] }, { in: [v, ['a', 'c']] }, { empty: v }]);
    case 'select_multiple': return r.pick([{ has: [v, 'a'] }, { gt: [{ count_selected: v }, 0] }]);
    case 'yes_no': return r.pick([v, { not: v }]);
    case 'date': return r.pick([{ gte: [v, '2017-01-01'] }, { answered: v }]);
    case 'text': return r.pick([{ answered: v }, { eq: [v, 'x'] }]);
    case 'repeat': {
      // items whose fields hold something: on the items kept so far, this changes while a list is kept
      const sub = r.pick(f.subs!);
      const where = sub.type === 'calculate' ? { gt: [{ field: sub.id }, 1] } : { answered: { field: sub.id } };
      return r.pick([{ gt: [{ count: { repeat: f.id } }, r.int(3)] }, { any: { repeat: f.id } }, { any: { repeat: f.id, where } }]);
    }
  }
}

/** A condition over one to three of the given fields (and sometimes the visit date). */
function cond(r: Rng, refs: Ref[], visitDate: boolean): Expr {
  const parts: Expr[] = [];
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) {
    const c = condOn(r, r.pick(refs));
    parts.push(r.chance(0.25) ? { not: c } : c);
  }
  if (visitDate && r.chance(0.15)) parts.push({ lt: [{ poverty_line: {} }, 5000] });
  if (visitDate && r.chance(0.1)) parts.push({ gte: [{ age: '2000-01-01' }, 17] });
  return parts.length === 1 ? parts[0] : r.chance(0.5) ? { and: parts } : { or: parts };
}

export function randomForm(r: Rng): FormDefinition {
  const n = 3 + r.int(8);
  const tops: Ref[] = [];
  for (let i = 0; i < n; i++) {
    const type = r.chance(0.15) ? 'repeat' : r.chance(0.1) ? 'calculate' : r.pick([...PLAIN]);
    const subs: Ref[] = [];
    if (type === 'repeat') {
      const m = 1 + r.int(4);
      for (let j = 0; j < m; j++) subs.push({ id: `t${i}_s${j}`, type: r.chance(0.15) ? 'calculate' : r.pick(['integer', 'text', 'select_one', 'yes_no'] as Plain[]) });
    }
    tops.push({ id: `t${i}`, type, ...(type === 'repeat' ? { subs } : {}) });
  }
  const hasDate = tops.some((t) => t.type === 'date');
  const answerable = tops.filter((t) => t.type !== 'calculate');
  const ints = tops.filter((t) => t.type === 'integer');
  const fields = tops.map((t) => {
    const f: Record<string, unknown> = { id: t.id, type: t.type, label: L(t.id) };
    if (t.type === 'select_one' || t.type === 'select_multiple') f.choices = CHOICES;
    if (t.type === 'calculate') {
      const reps = tops.filter((x) => x.type === 'repeat');
      f.calculate = reps.length && r.chance(0.4) ? { count: { repeat: r.pick(reps).id } } : { sum: [...ints.map((x) => ({ field: x.id })), 1] };
      f.value_type = 'integer';
    }
    // relevance reads any field: earlier, later, itself (a form of this shape is allowed)
    if (r.chance(0.55)) f.relevant = cond(r, tops, hasDate);
    if (t.type !== 'calculate') f.required = r.chance(0.2) ? cond(r, tops, hasDate) : r.chance(0.6);
    // carried facts: two or more in a section are confirmed together ("the same as last time?") before the first
    if (t.type !== 'calculate' && t.type !== 'repeat' && r.chance(0.35)) f.carry_forward = true;
    if (t.type === 'repeat') {
      const subs = t.subs!;
      const subInts = subs.filter((s) => s.type === 'integer');
      f.fields = subs.map((s) => {
        const sf: Record<string, unknown> = { id: s.id, type: s.type, label: L(s.id) };
        if (s.type === 'select_one') sf.choices = CHOICES;
        if (s.type === 'calculate') {
          sf.calculate = { add: [...subInts.map((x) => ({ field: x.id })), { item_index: true }] };
          sf.value_type = 'integer';
        }
        // a sub-field's relevance reads siblings either side, the item's position, or fields outside the repeat
        if (r.chance(0.6)) {
          sf.relevant = r.chance(0.2) ? { lt: [{ item_index: true }, 1 + r.int(2)] } : cond(r, [...subs, ...tops.filter((x) => x.id !== t.id || r.chance(0.3))], false);
        }
        if (s.type !== 'calculate') sf.required = r.chance(0.2) ? cond(r, subs, false) : r.chance(0.5);
        return sf;
      });
      f.min_items = r.int(2);
    }
    return f;
  });
  const rules = Array.from({ length: r.int(3) }, (_, k) => ({
    id: `rule${k}`, level: r.pick(['error', 'warning']), when: cond(r, tops, hasDate), message: L(`rule${k}`),
    fields: [r.pick(answerable.length ? answerable : tops).id],
  }));
  const cut = 1 + r.int(fields.length);
  const sections = [{ id: 's1', title: L('s1'), fields: fields.slice(0, cut) }];
  if (cut < fields.length) sections.push({ id: 's2', title: L('s2'), fields: fields.slice(cut) });
  const date = tops.find((t) => t.type === 'date');
  const res = validateFormDefinition({ id: 'rand', version: 1, title: L('rand'), ...(date ? { visit_date_field: date.id } : {}), sections, rules }, 'rand');
  if (!res.ok) throw new Error(res.errors.join('\n'));
  return res.form;
}

function valueFor(r: Rng, type: string): RepeatItem[string] | undefined {
  switch (type) {
    case 'integer': return r.int(7);
    case 'text': return r.pick(['x', '', '答']);
    case 'select_one': return r.pick(['a', 'b', 'c']);
    case 'select_multiple': return r.pick([[], ['a'], ['b', 'c']]);
    case 'yes_no': return r.chance(0.5);
    case 'date': return r.pick(['2016-05-01', '2017-03-02']);
    default: return undefined;
  }
}

/** A state with answers to any field, whether it applies or not (as after edits), items, closed lists, warnings. */
export function randomState(r: Rng, form: FormDefinition): CardState {
  const c = compile(form);
  const answers: CardState['answers'] = {};
  const origins: CardState['origins'] = {};
  for (const f of c.top) {
    if (f.type === 'calculate' || f.type === 'note' || r.chance(0.2)) continue;
    if (f.type === 'repeat') {
      const items: RepeatItem[] = Array.from({ length: r.int(4) }, () => {
        const item: RepeatItem = {};
        for (const sf of f.fields ?? []) {
          const v = r.chance(0.75) ? valueFor(r, sf.type) : undefined;
          if (v !== undefined) item[sf.id] = v;
        }
        return item;
      });
      answers[f.id] = items;
      origins[f.id] = items.map((_, k) => (r.chance(0.5) ? k : null));
      continue;
    }
    const v = valueFor(r, f.type);
    if (v !== undefined) answers[f.id] = v;
  }
  // answers given out of form order now and then (edits, prefilled facts): the key order is the order first given
  if (r.chance(0.3)) {
    const entries = Object.entries(answers);
    for (const [k] of entries) delete answers[k];
    for (const [k, v] of entries.sort(() => r.next() - 0.5)) answers[k] = v;
  }
  const previous: CardState['previous'] = {};
  for (const f of c.top) {
    const v = f.carry_forward && r.chance(0.7) ? valueFor(r, f.type) : undefined;
    if (v !== undefined) previous[f.id] = v;
  }
  return {
    formId: form.id, formVersion: form.version, cursor: r.chance(0.7) ? null : c.top[0].id, answers, previous, origins,
    closed: [...c.top.filter(() => r.chance(0.3)).map((f) => f.id), ...[...c.confirmable.keys()].filter(() => r.chance(0.3)).map((id) => `@${id}`)], auto: [],
    confirmedWarnings: (form.rules ?? []).filter(() => r.chance(0.5)).map((x) => x.id), startedAtMs: 0,
  };
}


/**
 * Property: the fast summary (src/core/forms/summary.ts: relevance judged once where it reads only earlier answers,
 * no final answers built when none is dropped) equals the step-by-step definition (test/support/summary-oracle.ts)
 * on random forms and random states: relevance reading earlier and later fields, itself, repeats' item counts,
 * sibling sub-fields either side, calculations, the visit date; rules; answers that no longer apply.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compile, finalAnswers, summarize, validateFormDefinition,
  type CardState, type EngineContext, type Expr, type FormDefinition, type RepeatItem,
} from '../../src/core/forms/index.js';
import { oracleFinalAnswers, oracleSummarize } from '../support/summary-oracle.js';
import { ctx as benchCtx } from '../../bench/forms.bench.js';

const ctx: EngineContext = benchCtx;
const L = (zh: string) => ({ zh, en: zh });
const CHOICES = [{ value: 'a', label: L('甲') }, { value: 'b', label: L('乙') }, { value: 'c', label: L('丙') }];

/** A small seeded generator (mulberry32): one seed gives one form and its states, reproducibly. */
function rng(seed: number) {
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

function randomForm(r: Rng): FormDefinition {
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
function randomState(r: Rng, form: FormDefinition): CardState {
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
  return {
    formId: form.id, formVersion: form.version, cursor: r.chance(0.7) ? null : c.top[0].id, answers, previous: {}, origins,
    closed: c.top.filter(() => r.chance(0.3)).map((f) => f.id), auto: [],
    confirmedWarnings: (form.rules ?? []).filter(() => r.chance(0.5)).map((x) => x.id), startedAtMs: 0,
  };
}

/** Plain data (an item's shown value is worked out when read): what a view or JSON sees. */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

describe('the fast summary equals the step-by-step definition', () => {
  it('on random forms and states', () => {
    let quick = 0;
    let dropped = 0;
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
      const r = rng(seed);
      const form = randomForm(r);
      for (let k = 0; k < 6; k++) {
        const state = randomState(r, form);
        const want = oracleFinalAnswers(form, state, ctx);
        expect(finalAnswers(form, state, ctx)).toEqual(want);
        expect(plain(summarize(form, state, ctx))).toEqual(plain(oracleSummarize(form, state, ctx)));
        if (JSON.stringify(want) !== JSON.stringify(state.answers)) dropped++;
        else quick++;
      }
    }), { numRuns: 400, seed: 20171103 });
    // both kinds of card were met: answers that were all kept, and answers dropped as no longer applying
    expect(quick).toBeGreaterThan(100);
    expect(dropped).toBeGreaterThan(100);
  });

  it('knows which fields read only earlier answers', () => {
    const form = validateFormDefinition({
      id: 'e', version: 1, title: L('e'), sections: [{ id: 's', title: L('s'), fields: [
        { id: 'a', type: 'integer', label: L('a') },
        { id: 'b', type: 'integer', label: L('b'), relevant: { gt: [{ field: 'a' }, 0] } },
        { id: 'c', type: 'integer', label: L('c'), relevant: { gt: [{ field: 'd' }, 0] } },
        { id: 'd', type: 'integer', label: L('d'), relevant: { gt: [{ field: 'tot' }, 0] } },
        { id: 'tot', type: 'calculate', label: L('tot'), calculate: { sum: [{ field: 'a' }] }, value_type: 'integer' },
        { id: 'm', type: 'repeat', label: L('m'), relevant: { answered: { field: 'a' } }, fields: [
          { id: 'x', type: 'integer', label: L('x') },
          { id: 'y', type: 'integer', label: L('y'), relevant: { gt: [{ field: 'x' }, 0] } },
          { id: 'z', type: 'integer', label: L('z'), relevant: { gt: [{ field: 'w' }, 0] } },
          { id: 'w', type: 'integer', label: L('w') },
          { id: 'v', type: 'integer', label: L('v'), relevant: { gt: [{ count: { repeat: 'm' } }, 1] } },
        ] },
        { id: 'e', type: 'yes_no', label: L('e'), relevant: { any: { repeat: 'm', where: { gt: [{ field: 'w' }, 0] } } } },
      ] }], rules: [],
    }, 'e');
    if (!form.ok) throw new Error(form.errors.join('\n'));
    const c = compile(form.form);
    // d reads tot, which reads a (earlier); c reads d (later); e reads the repeat before it
    expect(c.early).toEqual([true, true, false, true, true, true, true]);
    expect(c.earlySub.get('m')).toEqual([true, true, false, true, false]);
    expect(c.namesKnown).toBe(true);
  });

  it('builds the final answers when an expression names a field the form does not have (never once validated)', () => {
    // a hand-made definition: the rule reads a name that the state holds but the final answers never do
    const form = {
      id: 'g', version: 1, title: L('g'), sections: [{ id: 's', title: L('s'), fields: [{ id: 'a', type: 'integer', label: L('a') }] }],
      rules: [{ id: 'r', level: 'error', when: { field: 'ghost' }, message: L('r'), fields: ['a'] }],
    } as FormDefinition;
    expect(compile(form).namesKnown).toBe(false);
    const state: CardState = {
      formId: 'g', formVersion: 1, cursor: null, answers: { a: 1, ghost: true }, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: 0,
    };
    expect(plain(summarize(form, state, ctx))).toEqual(plain(oracleSummarize(form, state, ctx)));
    expect(summarize(form, state, ctx).errors).toEqual([]);
  });
});

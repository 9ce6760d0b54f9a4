/**
 * Property: the fast summary (src/core/forms/summary.ts: relevance judged once where it reads only earlier answers,
 * no final answers built when none is dropped) equals the step-by-step definition (test/support/summary-oracle.ts)
 * on random forms and random states: relevance reading earlier and later fields, itself, repeats' item counts,
 * sibling sub-fields either side, calculations, the visit date; rules; answers that no longer apply.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compile, finalAnswers, summarize, validateFormDefinition, type CardState, type FormDefinition } from '../../src/core/forms/index.js';
import { oracleFinalAnswers, oracleSummarize } from '../support/summary-oracle.js';
import { ctx, L, randomForm, randomState, rng } from '../support/random-forms.js';

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

  it('a note holding a value in a hand-made state is never on the summary, even when its relevance reads later answers', () => {
    // the engine stores no note value; a state written by hand may: the plain definition skips notes whatever they hold
    const form = validateFormDefinition({
      id: 'n', version: 1, title: L('n'), sections: [{ id: 's', title: L('s'), fields: [
        { id: 'hint', type: 'note', label: L('hint'), required: true, relevant: { gt: [{ field: 'b' }, 0] } },
        { id: 'b', type: 'integer', label: L('b') },
      ] }], rules: [],
    }, 'n');
    if (!form.ok) throw new Error(form.errors.join('\n'));
    const state: CardState = {
      formId: 'n', formVersion: 1, cursor: null, answers: { hint: 'x', b: 2 }, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: 0,
    };
    expect(plain(summarize(form.form, state, ctx))).toEqual(plain(oracleSummarize(form.form, state, ctx)));
    expect(summarize(form.form, state, ctx).missing).toEqual([]);
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

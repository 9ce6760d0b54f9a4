/**
 * Property: the engine's walk to the next waiting step, which passes over answered plain questions, notes and
 * calculations by the compiled form's table (`walkKind`) without building their steps, finds what walking every
 * step in order and asking each whether it waits finds; on random forms (lists, carried facts confirmed by section,
 * relevance either way) and states, from the start and from every step.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compile, type CardState, type StepPath } from '../../src/core/forms/index.js';
import { allSteps, isPending, nextPending } from '../../src/core/forms/navigation.js';
import type { CompiledForm } from '../../src/core/forms/compiled.js';
import { ctx, randomForm, randomState, rng } from '../support/random-forms.js';

/** nextPending by its definition: the first waiting step after `from`, else the first from the start up to `from`. */
function reference(c: CompiledForm, state: CardState, from: StepPath | null): StepPath | null {
  const steps = [...allSteps(c, state)];
  const at = from === null ? -1 : steps.findIndex((s) => s.path === from);
  if (at >= 0) for (const s of steps.slice(at + 1)) if (isPending(c, state, ctx, s)) return s.path;
  for (const s of steps) {
    if (isPending(c, state, ctx, s)) return s.path;
    if (at >= 0 && s.path === from) return null;
  }
  return null;
}

describe('the walk to the next waiting step', () => {
  it('equals the step-by-step definition on random forms and states', () => {
    let confirmSteps = 0;
    let found = 0;
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
      const r = rng(seed);
      const form = randomForm(r);
      const c = compile(form);
      for (let k = 0; k < 4; k++) {
        const state = randomState(r, form);
        const paths = [...allSteps(c, state)].map((s) => s.path);
        confirmSteps += paths.filter((p) => p.startsWith('@')).length;
        for (const from of [null, ...paths]) {
          const want = reference(c, state, from);
          if (want !== null) found++;
          expect(nextPending(c, state, ctx, from)).toBe(want);
        }
      }
    }), { numRuns: 300, seed: 20171104 });
    expect(confirmSteps).toBeGreaterThan(50);
    expect(found).toBeGreaterThan(500);
  });
});
